import type { LoadedConfig } from '../config/load-config.js';
import { verdictFor } from '../core/compare-metric.js';
import { EvalOpsError } from '../core/errors.js';
import { contentHash } from '../core/hash.js';
import { ruleText } from '../core/gate/rule-text.js';
import { evaluateGate, type GateMetricInfo, type SliceCounts } from '../core/gate/evaluate-gate.js';
import { exitCodeForOutcome, type GateDecisionDocument } from '../core/gate/gate-decision.js';
import { runWithSummary } from '../runner/run-queries.js';
import type { Store } from '../store/store.js';
import type { ScoreRow } from '../store/run-repository.js';
import { collectEvidence } from './collect-evidence.js';
import { compareRuns } from './compare-runs.js';
import { decisionSummary } from './decision-summary.js';
import { recordDecision } from './record-decision.js';
import { validateRules } from './validate-rules.js';

export interface GateOptions {
  readonly candidate?: string;
  readonly baseline?: string;
  readonly commonExamples?: boolean;
  readonly actor: string;
}

/**
 * `evalops gate`: picks the candidate (the newest completed run unless given) and the baseline
 * (`last-approved` for the project and dataset unless given), compares them, evaluates every rule,
 * attaches evidence and records the decision — with its audit entry and the release transition — in
 * one transaction.
 */
export async function runGate(store: Store, loaded: LoadedConfig, options: GateOptions): Promise<GateDecisionDocument> {
  const { config } = loaded;
  if (!config.gate) throw new EvalOpsError('usage', 'the config has no `gate:` section with rules', { location: loaded.path });
  const project = await store.projects.findByName(config.project);
  if (!project) throw new EvalOpsError('not_found', `project "${config.project}" has no runs yet; run \`evalops run\` first`);

  const candidateId = options.candidate ?? (await store.runs.list(project.id, { status: 'completed', limit: 1 }))[0]?.id;
  if (!candidateId) throw new EvalOpsError('not_found', `project "${config.project}" has no completed run to gate`);
  const { run: candidate, summary } = await runWithSummary(store, candidateId);
  if (candidate.projectId !== project.id) throw new EvalOpsError('usage', `run ${candidateId} belongs to another project`);
  if (candidate.status !== 'completed') throw new EvalOpsError('usage', `run ${candidateId} is ${candidate.status}; only a completed run can be gated`);
  validateRules(config.gate.rules, candidate.metrics);

  const requested = options.baseline ?? config.gate.baseline;
  let baselineId: string | undefined;
  let chosenBy: GateDecisionDocument['baseline']['chosenBy'] = 'none';
  if (requested === 'last-approved') {
    baselineId = await store.decisions.lastApprovedRunId(project.id, summary.dataset.name);
    if (baselineId === candidateId) baselineId = undefined;
    if (baselineId) chosenBy = 'last-approved';
  } else {
    await store.runs.get(requested).catch(() => {
      throw new EvalOpsError('usage', `baseline run ${requested} does not exist`, { location: options.baseline ? '--baseline' : 'gate.baseline' });
    });
    baselineId = requested;
    chosenBy = 'explicit';
  }

  const [candidateRows, baselineRows, slices] = await Promise.all([
    store.runs.scoreRows(candidateId),
    baselineId ? store.runs.scoreRows(baselineId) : Promise.resolve(null),
    store.datasets.exampleSlices(candidate.datasetVersionId),
  ]);
  const comparison =
    baselineId && baselineRows
      ? await compareRuns(store, baselineId, candidateId, { commonExamples: options.commonExamples ?? false, data: { baselineRows, candidateRows, slices } })
      : null;

  const configured = new Map(config.metrics.map((m) => [m.name, m]));
  const infos: GateMetricInfo[] = candidate.metrics.map((m) => {
    const c = configured.get(m.name);
    const owner = c?.owner ?? m.owner;
    const failureClass = c?.failureClass ?? m.failureClass;
    const lifecycle = c?.lifecycle ?? m.lifecycle;
    return {
      name: m.name,
      scorerType: m.scorerType,
      calibrated: m.scorerType !== 'judge',
      ...(owner ? { owner } : {}),
      ...(failureClass ? { failureClass } : {}),
      ...(lifecycle ? { lifecycle } : {}),
    };
  });

  const evaluation = evaluateGate({
    rules: config.gate.rules,
    metrics: infos,
    candidate: summary,
    candidateSlices: sliceCounts(candidateRows, slices),
    comparisons: comparison ? comparison.comparisons : null,
    regressed: (c, minEffect) => verdictFor(c, c.pAdjusted, minEffect) === 'regressed',
  });
  const findings = await collectEvidence(store, evaluation.findings, { candidateRunId: candidateId, baselineRunId: baselineId ?? null, candidateVersionId: candidate.datasetVersionId }, { candidate: candidateRows, baseline: baselineRows }, slices);
  const warnings = [...evaluation.warnings, ...(comparison?.warnings ?? [])];
  if (chosenBy === 'none' && requested === 'last-approved') warnings.push('no approved baseline yet: this decision judges the candidate on absolute rules only');

  const draft: Omit<GateDecisionDocument, 'decisionId' | 'createdAt' | 'summary'> = {
    project: config.project,
    outcome: evaluation.outcome,
    rolloutPercent: evaluation.rolloutPercent,
    exitCode: exitCodeForOutcome(evaluation.outcome),
    candidate: { runId: candidateId, variant: candidate.targetVariant, dataset: summary.dataset },
    baseline: { runId: baselineId ?? null, chosenBy },
    policy: { hash: contentHash(config.gate), rules: config.gate.rules.map(ruleText) },
    findings,
    owners: evaluation.owners,
    warnings,
    comparisons: comparison?.comparisons ?? [],
    pairing: comparison ? { paired: comparison.pairing.paired, baselineOnly: comparison.pairing.baselineOnly.length, candidateOnly: comparison.pairing.candidateOnly.length } : null,
    metrics: Object.fromEntries(
      infos.map((m) => [
        m.name,
        { owner: m.owner ?? null, failureClass: m.failureClass ?? null, lifecycle: m.lifecycle ?? null, scorerType: m.scorerType, calibrated: m.calibrated, passRate: summary.metrics[m.name]?.passRate ?? null, n: summary.metrics[m.name]?.n ?? 0 },
      ]),
    ),
  };
  return recordDecision(store, project.id, { ...draft, summary: decisionSummary(draft) }, options.actor);
}

function sliceCounts(rows: readonly ScoreRow[], slices: Map<string, string[]>): SliceCounts {
  const out: Record<string, Record<string, { passed: number; n: number }>> = {};
  for (const r of rows) {
    if (r.status !== 'scored') continue;
    const byMetric = (out[r.metric] ??= {});
    for (const s of slices.get(r.exampleId) ?? []) {
      const c = (byMetric[s] ??= { passed: 0, n: 0 });
      c.n++;
      if (r.pass) c.passed++;
    }
  }
  return out;
}
