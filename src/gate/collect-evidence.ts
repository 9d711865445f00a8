import { isBuiltInMetric } from '../core/metric.js';
import type { ExampleEvidence, Finding } from '../core/gate/gate-decision.js';
import type { Store } from '../store/store.js';
import type { ScoreRow } from '../store/run-repository.js';

const WORST = 5;

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
  rows: { candidate: readonly ScoreRow[]; baseline: readonly ScoreRow[] | null; candidateErrors?: readonly { exampleId: string; trial: number }[] },
  slices: ReadonlyMap<string, readonly string[]>,
): Promise<Finding[]> {
  const failed = findings.filter((f) => f.status === 'failed' && !f.metric.startsWith('failureClass:') && !isBuiltInMetric(f.metric));
  if (failed.length === 0) return [...findings];
  const baselinePass = new Map<string, boolean>();
  for (const r of rows.baseline ?? []) if (r.status === 'scored' && r.trial === 0) baselinePass.set(`${r.metric}\u0000${r.exampleId}`, r.pass === true);

  // Failed first-trial rows per metric, gathered once (a 10k × 6 run has 60k rows).
  const failedByMetric = new Map<string, ScoreRow[]>();
  const metrics = new Set(failed.map((f) => f.metric));
  const add = (r: ScoreRow): void => {
    const list = failedByMetric.get(r.metric);
    if (list) list.push(r);
    else failedByMetric.set(r.metric, [r]);
  };
  for (const r of rows.candidate) {
    if (r.trial !== 0 || !metrics.has(r.metric)) continue;
    if ((r.status === 'scored' && r.pass === false) || r.status === 'errored') add(r);
  }
  for (const e of rows.candidateErrors ?? []) {
    if (e.trial !== 0) continue;
    for (const metric of metrics) add({ exampleId: e.exampleId, trial: 0, metric, status: 'errored', value: null, pass: null });
  }
  const regressedFirst = (a: ScoreRow, b: ScoreRow): number =>
    Number(baselinePass.get(`${b.metric}\u0000${b.exampleId}`) ?? false) - Number(baselinePass.get(`${a.metric}\u0000${a.exampleId}`) ?? false) || (a.exampleId < b.exampleId ? -1 : a.exampleId > b.exampleId ? 1 : 0);

  const picks = new Map<Finding, { exampleId: string }[]>();
  const wanted = new Set<string>();
  for (const f of failed) {
    const inSlice = (failedByMetric.get(f.metric) ?? []).filter((r) => f.slice === null || (slices.get(r.exampleId) ?? []).includes(f.slice));
    const chosen = inSlice.sort(regressedFirst).slice(0, WORST).map((r) => ({ exampleId: r.exampleId }));
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
