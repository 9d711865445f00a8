import { verdictFor } from '../compare-metric.js';
import type { MetricComparison } from '../comparison.js';
import { familyWeights, OVERALL_SHARE } from './family-weights.js';
import { holmAdjust } from './holm.js';

export interface AdjustOptions {
  /** Default {@link OVERALL_SHARE}. */
  readonly overallShare?: number;
  /** Minimum effect for the recomputed verdicts (a gate rule may ask for its own later); default 0. */
  readonly minEffect?: number;
}

/**
 * The multiple-comparison correction of one comparison: every metric × {whole dataset, each slice}
 * test is one family, so noise alone marks something `regressed` in at most 5% of comparisons however
 * many metrics and slices there are. Returns the comparisons with `pAdjusted` and `verdict` replaced.
 *
 * - Two one-sided families. A gate blocks on regressions only, so "worse?" is its own family: each
 *   test's one-sided p-value for a drop (p/2 when delta < 0, else 1 − p/2, from the two-sided p of
 *   McNemar's or the sign-flip test, whose null distributions are symmetric) goes through a weighted
 *   Holm correction at family-wise α = 0.05. "Better?" is the mirror family. `pAdjusted` is the
 *   adjusted one-sided p-value in the direction of the observed delta (1 when delta is 0), so it can
 *   be below the two-sided `pValue`. Spending all of α on the direction that blocks, instead of half
 *   of it on improvements that never block, is what lets a 5-point drop at n = 1,000 be caught (see
 *   bench/gate-accuracy.ts).
 * - Weighted Holm (stats/holm.ts) with {@link familyWeights}: each metric an equal share; within a
 *   metric, half for the whole dataset and half split among its slices.
 * - Verdicts are recomputed with {@link verdictFor}. Tests without a p-value keep `pAdjusted: null`.
 *
 * @example adjustComparisons(raw).filter((c) => c.verdict === 'regressed')
 */
export function adjustComparisons(comparisons: readonly MetricComparison[], options: AdjustOptions = {}): MetricComparison[] {
  const weights = familyWeights(comparisons, options.overallShare ?? OVERALL_SHARE);
  const worse = comparisons.map((c) => oneSided(c, -1));
  const better = comparisons.map((c) => oneSided(c, 1));
  const adjustedWorse = holmAdjust(worse, weights);
  const adjustedBetter = holmAdjust(better, weights);
  return comparisons.map((c, i) => {
    let pAdjusted: number | null = null;
    if (c.pValue !== null && c.delta !== null) pAdjusted = c.delta < 0 ? (adjustedWorse[i] as number) : c.delta > 0 ? (adjustedBetter[i] as number) : 1;
    return { ...c, pAdjusted, verdict: verdictFor(c, pAdjusted, options.minEffect ?? 0) };
  });
}

/** One-sided p-value of a change in `direction` (−1: a drop, +1: a gain) from the two-sided p. */
function oneSided(c: Pick<MetricComparison, 'pValue' | 'delta'>, direction: -1 | 1): number {
  if (c.pValue === null || c.delta === null) return 1;
  const half = Math.min(1, c.pValue) / 2;
  return Math.sign(c.delta) === direction ? half : 1 - half;
}
