import { isBuiltInMetric } from '../core/metric.js';
import type { ExampleEvidence, Finding } from '../core/gate/gate-decision.js';
import type { Store } from '../store/store.js';
import type { ScoreRow } from '../store/run-repository.js';

const WORST = 5;

/**
 * Attaches the worst examples to every failed finding on a scored metric: examples the candidate
 * failed (those the baseline passed first), in the finding's slice, with input, expected, both outputs
 * and the scorer's reason — what a reviewer needs to act without opening another tool.
 */
export async function collectEvidence(
  store: Store,
  findings: readonly Finding[],
  runs: { candidateRunId: string; baselineRunId: string | null; candidateVersionId: string },
  rows: { candidate: readonly ScoreRow[]; baseline: readonly ScoreRow[] | null },
  slices: Map<string, string[]>,
): Promise<Finding[]> {
  const failed = findings.filter((f) => f.status === 'failed' && !f.metric.startsWith('failureClass:') && !isBuiltInMetric(f.metric));
  if (failed.length === 0) return [...findings];
  const baselinePass = new Map<string, boolean>();
  for (const r of rows.baseline ?? []) if (r.status === 'scored' && r.trial === 0) baselinePass.set(`${r.metric}\u0000${r.exampleId}`, r.pass === true);

  const picks = new Map<Finding, { exampleId: string; reason?: string }[]>();
  const wanted = new Set<string>();
  for (const f of failed) {
    const candidates = rows.candidate.filter(
      (r) => r.metric === f.metric && r.trial === 0 && r.status === 'scored' && r.pass === false && (f.slice === null || (slices.get(r.exampleId) ?? []).includes(f.slice)),
    );
    candidates.sort((a, b) => Number(baselinePass.get(`${b.metric}\u0000${b.exampleId}`) ?? false) - Number(baselinePass.get(`${a.metric}\u0000${a.exampleId}`) ?? false) || a.exampleId.localeCompare(b.exampleId));
    const chosen = candidates.slice(0, WORST).map((r) => ({ exampleId: r.exampleId }));
    chosen.forEach((c) => wanted.add(c.exampleId));
    picks.set(f, chosen);
  }
  const ids = [...wanted];
  const [cResults, bResults, examples] = await Promise.all([
    store.runs.resultsFor(runs.candidateRunId, ids),
    runs.baselineRunId ? store.runs.resultsFor(runs.baselineRunId, ids) : Promise.resolve([]),
    store.datasets.examples(runs.candidateVersionId),
  ]);
  const cBy = new Map(cResults.map((r) => [r.exampleId, r]));
  const bBy = new Map(bResults.map((r) => [r.exampleId, r]));
  const eBy = new Map(examples.filter((e) => wanted.has(e.id)).map((e) => [e.id, e]));
  return findings.map((f) => {
    const chosen = picks.get(f);
    if (!chosen) return f;
    const evidence: ExampleEvidence[] = chosen.map(({ exampleId }) => {
      const c = cBy.get(exampleId);
      const b = bBy.get(exampleId);
      const e = eBy.get(exampleId);
      const reason = c?.scores[f.metric]?.reason;
      return {
        exampleId,
        slices: e?.slices ?? [],
        input: e?.input,
        ...(e?.expected === undefined ? {} : { expected: e.expected }),
        candidateOutput: c?.output,
        ...(b ? { baselineOutput: b.output } : {}),
        ...(reason ? { reason } : {}),
      };
    });
    return { ...f, evidence: { ...f.evidence, examples: evidence } };
  });
}
