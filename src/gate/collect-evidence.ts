import { isBuiltInMetric } from '../core/metric.js';
import type { ExampleEvidence, Finding } from '../core/gate/gate-decision.js';
import type { Store } from '../store/store.js';
import type { ScoreCell } from '../core/impute-missing.js';
import { isScoreColumns, SCORE_STATUS_CODE, scoreColumnsFromRows, type ScoreColumns } from '../core/score-columns.js';

const WORST = 5;

const columns = (rows: readonly ScoreCell[] | ScoreColumns): ScoreColumns => (isScoreColumns(rows) ? rows : scoreColumnsFromRows(rows));

/**
 * Attaches the worst examples to every failed finding on a scored metric: examples the candidate
 * failed (those the baseline passed first), in the finding's slice, with input, expected, both outputs
 * and the scorer's reason — what a reviewer needs to act without opening another tool. Errored
 * results count as failed here too (a target error for every metric, a scorer error for its metric),
 * with the error as the reason: they are often exactly where the candidate regressed.
 */
export async function collectEvidence(
  store: Store,
  findings: readonly Finding[],
  runs: { candidateRunId: string; baselineRunId: string | null; candidateVersionId: string },
  rows: { candidate: readonly ScoreCell[] | ScoreColumns; baseline: readonly ScoreCell[] | ScoreColumns | null; candidateErrors?: readonly { exampleId: string; trial: number }[] },
  slices: ReadonlyMap<string, readonly string[]>,
): Promise<Finding[]> {
  const failed = findings.filter((f) => f.status === 'failed' && !f.metric.startsWith('failureClass:') && !isBuiltInMetric(f.metric));
  if (failed.length === 0) return [...findings];
  const metrics = new Set(failed.map((f) => f.metric));
  const candidate = columns(rows.candidate);
  const baseline = rows.baseline === null ? null : columns(rows.baseline);
  const baselinePass = new Map<string, boolean>();
  if (baseline) {
    for (let i = 0; i < baseline.length; i++) {
      const metric = baseline.metrics[baseline.metric[i] as number] as string;
      if (baseline.status[i] !== SCORE_STATUS_CODE.scored || baseline.trial[i] !== 0 || !metrics.has(metric)) continue;
      baselinePass.set(`${metric}\u0000${baseline.exampleIds[baseline.example[i] as number]}`, baseline.pass[i] === 1);
    }
  }

  // Failed first-trial examples per metric, gathered once (a 10k × 6 run has 60k rows), those the
  // baseline passed first, then by example id: sorted once per metric, not once per finding.
  const failedByMetric = new Map<string, string[]>();
  const add = (metric: string, exampleId: string): void => {
    const list = failedByMetric.get(metric);
    if (list) list.push(exampleId);
    else failedByMetric.set(metric, [exampleId]);
  };
  for (let i = 0; i < candidate.length; i++) {
    if (candidate.trial[i] !== 0) continue;
    const metric = candidate.metrics[candidate.metric[i] as number] as string;
    if (!metrics.has(metric)) continue;
    const status = candidate.status[i];
    if ((status === SCORE_STATUS_CODE.scored && candidate.pass[i] === 0) || status === SCORE_STATUS_CODE.errored) add(metric, candidate.exampleIds[candidate.example[i] as number] as string);
  }
  for (const e of rows.candidateErrors ?? []) {
    if (e.trial !== 0) continue;
    for (const metric of metrics) add(metric, e.exampleId);
  }
  for (const [metric, list] of failedByMetric) {
    const passedBefore = new Map(list.map((id) => [id, Number(baselinePass.get(`${metric}\u0000${id}`) ?? false)]));
    list.sort((a, b) => (passedBefore.get(b) as number) - (passedBefore.get(a) as number) || (a < b ? -1 : a > b ? 1 : 0));
  }

  const picks = new Map<Finding, { exampleId: string }[]>();
  const wanted = new Set<string>();
  for (const f of failed) {
    const chosen: { exampleId: string }[] = [];
    for (const exampleId of failedByMetric.get(f.metric) ?? []) {
      if (chosen.length === WORST) break;
      if (f.slice === null || (slices.get(exampleId) ?? []).includes(f.slice)) chosen.push({ exampleId });
    }
    chosen.forEach((c) => wanted.add(c.exampleId));
    picks.set(f, chosen);
  }
  const ids = [...wanted];
  const [cResults, bResults, examples] = await Promise.all([
    store.runs.resultsFor(runs.candidateRunId, ids),
    runs.baselineRunId ? store.runs.resultsFor(runs.baselineRunId, ids) : Promise.resolve([]),
    store.datasets.examples(runs.candidateVersionId, ids),
  ]);
  const cBy = new Map(cResults.map((r) => [r.exampleId, r]));
  const bBy = new Map(bResults.map((r) => [r.exampleId, r]));
  const eBy = new Map(examples.map((e) => [e.id, e]));
  return findings.map((f) => {
    const chosen = picks.get(f);
    if (!chosen) return f;
    const evidence: ExampleEvidence[] = chosen.map(({ exampleId }) => {
      const c = cBy.get(exampleId);
      const b = bBy.get(exampleId);
      const e = eBy.get(exampleId);
      const reason = c?.scores[f.metric]?.reason ?? (c?.error === undefined ? undefined : `error (counted as a fail): ${c.error}`);
      return {
        exampleId,
        slices: e?.slices ?? [...(slices.get(exampleId) ?? [])],
        input: e?.input,
        ...(e?.expected === undefined ? {} : { expected: e.expected }),
        // An errored result has no output: null, so the document keeps the key (and reads back).
        candidateOutput: c?.output ?? null,
        ...(b ? { baselineOutput: b.output } : {}),
        ...(reason ? { reason } : {}),
      };
    });
    return { ...f, evidence: { ...f.evidence, examples: evidence } };
  });
}
