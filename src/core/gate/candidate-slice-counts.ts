import type { ScoreCell, TargetErrorCell } from '../impute-missing.js';
import type { SliceCounts } from './evaluate-gate.js';

/**
 * Pass counts of the candidate per metric and slice, for `min`/`max` rules with `perSlice`. Missing
 * results never help: an errored score, and for every metric a target-errored result (which has no
 * scores), is a failed result of its slices.
 * @example candidateSliceCounts(rows, errors, slices, ['cites_policy'])['cites_policy']?.['lang:es']
 */
export function candidateSliceCounts(rows: readonly ScoreCell[], targetErrors: readonly TargetErrorCell[], slices: ReadonlyMap<string, readonly string[]>, metrics: readonly string[]): SliceCounts {
  const out: Record<string, Record<string, { passed: number; n: number }>> = {};
  const add = (metric: string, exampleId: string, pass: boolean): void => {
    const byMetric = (out[metric] ??= {});
    for (const s of slices.get(exampleId) ?? []) {
      const c = (byMetric[s] ??= { passed: 0, n: 0 });
      c.n++;
      if (pass) c.passed++;
    }
  };
  const scored = new Set<string>();
  const skipped = new Set<string>();
  for (const r of rows) {
    if (r.status === 'skipped') {
      skipped.add(r.metric);
      continue;
    }
    add(r.metric, r.exampleId, r.status === 'scored' && r.pass === true);
    scored.add(r.metric);
  }
  // Like imputedCounts: a metric with no scored or errored score anywhere does not apply to this run.
  const charged = metrics.filter((m) => scored.has(m) || !skipped.has(m));
  for (const e of targetErrors) for (const m of charged) add(m, e.exampleId, false);
  return out;
}
