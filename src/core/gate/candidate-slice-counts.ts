import type { ScoreCell, TargetErrorCell } from '../impute-missing.js';
import { isScoreColumns, SCORE_STATUS_CODE, scoreColumnsFromRows, type ScoreColumns } from '../score-columns.js';
import type { SliceCounts } from './evaluate-gate.js';

/**
 * Pass counts of the candidate per metric and slice, for `min`/`max` rules with `perSlice`. Missing
 * results never help: an errored score, and for every metric a target-errored result (which has no
 * scores), is a failed result of its slices.
 * @example candidateSliceCounts(rows, errors, slices, ['cites_policy'])['cites_policy']?.['lang:es']
 */
export function candidateSliceCounts(rows: readonly ScoreCell[] | ScoreColumns, targetErrors: readonly TargetErrorCell[], slices: ReadonlyMap<string, readonly string[]>, metrics: readonly string[]): SliceCounts {
  const cols = isScoreColumns(rows) ? rows : scoreColumnsFromRows(rows);
  const out: Record<string, Record<string, { passed: number; n: number }>> = {};
  const add = (metric: string, exampleSlices: readonly string[], pass: boolean): void => {
    const byMetric = (out[metric] ??= {});
    for (const s of exampleSlices) {
      const c = (byMetric[s] ??= { passed: 0, n: 0 });
      c.n++;
      if (pass) c.passed++;
    }
  };
  const none: readonly string[] = [];
  const slicesOf = cols.exampleIds.map((id) => slices.get(id) ?? none);
  const scored = new Set<string>();
  const skipped = new Set<string>();
  for (let i = 0; i < cols.length; i++) {
    const metric = cols.metrics[cols.metric[i] as number] as string;
    const status = cols.status[i];
    if (status === SCORE_STATUS_CODE.skipped) {
      skipped.add(metric);
      continue;
    }
    add(metric, slicesOf[cols.example[i] as number] as readonly string[], status === SCORE_STATUS_CODE.scored && cols.pass[i] === 1);
    scored.add(metric);
  }
  // Like imputedCounts: a metric with no scored or errored score anywhere does not apply to this run.
  const charged = metrics.filter((m) => scored.has(m) || !skipped.has(m));
  for (const e of targetErrors) for (const m of charged) add(m, slices.get(e.exampleId) ?? none, false);
  return out;
}
