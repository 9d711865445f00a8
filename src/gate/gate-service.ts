import { verdictFor } from '../core/compare-metric.js';
import { EvalOpsError } from '../core/errors.js';
import type { GateConfig } from '../core/gate-config.js';
import { contentHash } from '../core/hash.js';
import { ruleText } from '../core/gate/rule-text.js';
import { candidateSliceCounts } from '../core/gate/candidate-slice-counts.js';
import { evaluateGate, imputedCounts, type GateMetricInfo } from '../core/gate/evaluate-gate.js';
import { runErrors } from '../core/error-rate.js';
import { exitCodeForOutcome, type GateDecisionDocument } from '../core/gate/gate-decision.js';
import type { MetricAnnotation } from '../core/gate/metric-annotation.js';
import { runWithSummary } from '../runner/run-queries.js';
import type { Store } from '../store/store.js';
import { cacheWarnings } from './cache-warnings.js';
import { collectEvidence } from './collect-evidence.js';
import { compareRuns } from './compare-runs.js';
import { decisionSummary } from './decision-summary.js';
import { recordDecision } from './record-decision.js';
import { validateRules } from './validate-rules.js';
import { visibilityForGate } from './visibility-for-gate.js';
import { visibilityWarnings } from '../core/plan/gate-visibility.js';
import { judgeStatuses } from '../review/judge-statuses.js';
import { isJudgeScorerType } from '../core/judge-scorer-types.js';
import type { CoverageConfig } from '../core/coverage/coverage-config.js';
import { measureCoverage } from './measure-coverage.js';
import { FULL_SUITE_NOTE, markNotDetectable, subsetDecision, type GateMode } from '../core/gate/pr-subset.js';

export interface GateOptions {
  readonly candidate?: string;
  readonly baseline?: string;
  readonly commonExamples?: boolean;
  readonly actor: string;
  /** `pr` on a subset run (its default), `full` otherwise; `full` on a subset run is refused. */
  readonly mode?: GateMode;
}

/** What a gate decision is made by: the project, its gate policy, and what the config says of its metrics. */
export interface GatePolicy {
  /** The project's name. */
  readonly project: string;
  /** The config's `gate:` section (or a policy file), parsed. */
  readonly gate: GateConfig;
  /** Owners, failure classes and lifecycles from the config, over the candidate run's own record. */
  readonly metrics?: readonly MetricAnnotation[];
  /** The config's `coverage:` section: how traces map to slices, for minCoverage rules and the scorecard. */
  readonly coverage?: CoverageConfig;
}

/**
 * `evalops gate`: picks the candidate (the newest completed run unless given) and the baseline
 * (`last-approved` for the project and dataset unless given), compares them, evaluates every rule,
 * attaches evidence and records the decision — with its audit entry and the release transition — in
 * one transaction. The policy, admins included, is recorded with the decision.
 * @example await runGate(store, { project: 'support-bot', gate: config.gate }, { actor: 'ci@example.com' })
 */
export async function runGate(store: Store, policy: GatePolicy, options: GateOptions): Promise<GateDecisionDocument> {
  const { gate } = policy;
  const project = await store.projects.findByName(policy.project);
  if (!project) throw new EvalOpsError('not_found', `project "${policy.project}" has no runs yet; run \`evalops run\` first`);

  const candidateId = options.candidate ?? (await store.runs.list(project.id, { status: 'completed', limit: 1 }))[0]?.id;
  if (!candidateId) throw new EvalOpsError('not_found', `project "${policy.project}" has no completed run to gate`);
  // Looked up in the project: a run of another project is answered as one that does not exist.
  const { run: candidate, summary } = await runWithSummary(store, candidateId, project.id);
  if (candidate.status !== 'completed') throw new EvalOpsError('usage', `run ${candidateId} is ${candidate.status}; only a completed run can be gated`);
  validateRules(gate.rules, candidate.metrics);
  const subset = await store.subsets.forRun(candidateId);
  const mode: GateMode = options.mode ?? (subset ? 'pr' : 'full');
  if (subset && mode === 'full') {
    throw new EvalOpsError('usage', `run ${candidateId} ran on subset ${subset.subset.name} (${subset.subset.size} of ${subset.subset.datasetSize} examples): gate it with --mode pr, or run the full suite for a full gate`, { location: '--mode' });
  }

  const requested = options.baseline ?? gate.baseline;
  let baselineId: string | undefined;
  let chosenBy: GateDecisionDocument['baseline']['chosenBy'] = 'none';
  if (requested === 'last-approved') {
    baselineId = await store.decisions.lastApprovedRunId(project.id, summary.dataset.name);
    if (baselineId === candidateId) baselineId = undefined;
    if (baselineId) chosenBy = 'last-approved';
  } else {
    const baseline = await store.runs.getInProject(project.id, requested).catch(() => undefined);
    if (baseline === undefined) {
      throw new EvalOpsError('usage', `baseline run ${requested} does not exist`, { location: options.baseline ? '--baseline' : 'gate.baseline' });
    }
    baselineId = requested;
    chosenBy = 'explicit';
  }

  const [candidateRows, baselineRows, candidateErrors, baselineErrors, slices] = await Promise.all([
    store.runs.scoreColumns(candidateId),
    baselineId ? store.runs.scoreColumns(baselineId) : Promise.resolve(null),
    store.runs.errorRows(candidateId),
    baselineId ? store.runs.errorRows(baselineId) : Promise.resolve([]),
    store.datasets.exampleSlices(candidate.datasetVersionId),
  ]);
  const comparison =
    baselineId && baselineRows
      ? await compareRuns(store, baselineId, candidateId, { commonExamples: options.commonExamples ?? false, data: { baselineRows, candidateRows, baselineErrors, candidateErrors, slices } })
      : null;
  // Without a baseline, the candidate's own errors (denominator: the examples it has results for).
  const candidateErrorCounts = comparison?.errors.candidate ?? runErrors(candidateErrors, await store.runs.exampleIds(candidateId));

  const configured = new Map((policy.metrics ?? []).map((m) => [m.name, m]));
  // A judge gates with its own action only when calibrated for the very version the candidate used.
  const judges = await judgeStatuses(store, project.id, candidate.metrics);
  const infos: GateMetricInfo[] = candidate.metrics.map((m) => {
    const c = configured.get(m.name);
    const owner = c?.owner ?? m.owner;
    const failureClass = c?.failureClass ?? m.failureClass;
    const lifecycle = c?.lifecycle ?? m.lifecycle;
    return {
      name: m.name,
      scorerType: m.scorerType,
      calibrated: !isJudgeScorerType(m.scorerType) || judges.get(m.name)?.status === 'calibrated',
      ...(judges.has(m.name) ? { calibration: judges.get(m.name)?.status } : {}),
      ...(owner ? { owner } : {}),
      ...(failureClass ? { failureClass } : {}),
      ...(lifecycle ? { lifecycle } : {}),
    };
  });

  const coverage = await measureCoverage(store, policy.project, summary.dataset, gate.rules, policy.coverage);
  const candidateSlices = candidateSliceCounts(candidateRows, candidateErrors, slices, candidate.metrics.map((m) => m.name));
  const evaluation = evaluateGate({
    rules: gate.rules,
    metrics: infos,
    candidate: summary,
    candidateSlices,
    comparisons: comparison ? comparison.comparisons : null,
    regressed: (c, minEffect) => verdictFor(c, c.pAdjusted, minEffect) === 'regressed',
    errors: { comparison: comparison?.errors ?? null, candidate: candidateErrorCounts },
    ...(gate.errorRate ? { errorRate: gate.errorRate } : {}),
    prMode: mode === 'pr',
    coverage,
  });
  const visibility = visibilityForGate({ rules: gate.rules, metrics: infos, runMetrics: candidate.metrics, comparisons: comparison?.comparisons ?? null, candidate: summary, candidateSlices });
  const judged = mode === 'pr' ? markNotDetectable(evaluation.findings, visibility) : evaluation.findings;
  const findings = await collectEvidence(store, judged, { candidateRunId: candidateId, baselineRunId: baselineId ?? null, candidateVersionId: candidate.datasetVersionId }, { candidate: candidateRows, baseline: baselineRows, candidateErrors }, slices);
  const warnings = [...(mode === 'pr' ? [`PR gate${subset ? ` on subset ${subset.subset.name} (${subset.subset.size} of ${subset.subset.datasetSize} examples)` : ''}: blocks only on effects it can detect; ${FULL_SUITE_NOTE}`] : []), ...evaluation.warnings, ...(comparison?.warnings ?? []), ...visibilityWarnings(visibility)];
  if (chosenBy === 'none' && requested === 'last-approved') warnings.push('no approved baseline yet: this decision judges the candidate on absolute rules only');
  warnings.push(...(await cacheWarnings(store, { runId: candidateId, summary }, baselineId ?? null)));

  const draft: Omit<GateDecisionDocument, 'decisionId' | 'createdAt' | 'summary'> = {
    project: policy.project,
    outcome: evaluation.outcome,
    rolloutPercent: evaluation.rolloutPercent,
    exitCode: exitCodeForOutcome(evaluation.outcome),
    candidate: { runId: candidateId, variant: candidate.targetVariant, dataset: summary.dataset },
    baseline: { runId: baselineId ?? null, chosenBy },
    policy: { hash: contentHash(gate), rules: gate.rules.map(ruleText), admins: [...gate.admins] },
    findings,
    owners: evaluation.owners,
    warnings,
    comparisons: comparison?.comparisons ?? [],
    visibility,
    coverage,
    mode,
    ...(subset ? { subset: subsetDecision(subset.subset, visibility) } : {}),
    pairing: comparison ? { paired: comparison.pairing.paired, baselineOnly: comparison.pairing.baselineOnly.length, candidateOnly: comparison.pairing.candidateOnly.length } : null,
    errors: {
      baseline: comparison?.errors.baseline ?? null,
      candidate: candidateErrorCounts,
      comparison: comparison ? { n: comparison.errors.n, newErrors: comparison.errors.newErrors, fixedErrors: comparison.errors.fixedErrors, pValue: comparison.errors.pValue, rose: comparison.errors.rose } : null,
    },
    metrics: Object.fromEntries(
      infos.map((m) => [
        m.name,
        { owner: m.owner ?? null, failureClass: m.failureClass ?? null, lifecycle: m.lifecycle ?? null, scorerType: m.scorerType, calibrated: m.calibrated, ...(m.calibration ? { calibration: m.calibration } : {}), passRate: summary.metrics[m.name]?.passRate ?? null, n: summary.metrics[m.name]?.n ?? 0, ...imputation(m.name), ...(candidate.metrics.find((r) => r.name === m.name)?.primary ? { primary: true } : {}) },
      ]),
    ),
  };
  return recordDecision(store, project.id, { ...draft, summary: decisionSummary(draft) }, options.actor, gate.onApprove ? { onApprove: gate.onApprove } : {});

  /** A metric's errored results counted as fails, and its imputed pairs per side (overall comparison). */
  function imputation(metric: string): { errored: number; imputed: { baseline: number; candidate: number } } {
    const s = summary.metrics[metric];
    const errored = s ? imputedCounts(s, summary.results.errors).imputed : 0;
    const overall = comparison?.comparisons.find((c) => c.metric === metric && c.slice === null);
    return { errored, imputed: overall ? overall.imputed : { baseline: 0, candidate: errored } };
  }
}
