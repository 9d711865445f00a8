/**
 * The gate rules bench/gate-accuracy.ts compares. Each gets every comparison of one baseline /
 * candidate pair (each metric on the whole dataset and on every slice) and answers "block?".
 */
import { verdictFor } from '../src/core/compare-metric.js';
import type { MetricComparison } from '../src/core/comparison.js';
import { adjustComparisons } from '../src/core/stats/adjust-comparisons.js';
import { familyWeights } from '../src/core/stats/family-weights.js';
import { holmAdjust } from '../src/core/stats/holm.js';

export type Gate = (comparisons: readonly MetricComparison[]) => boolean;

/**
 * EvalOps, `noRegression: true, perSlice: true` on every metric: block when any comparison is
 * `regressed` after adjustComparisons (one-sided "worse?" family, weighted Holm over every metric ×
 * slice test; stats/adjust-comparisons.ts).
 */
export const evalopsGate: Gate = (comparisons) => adjustComparisons(comparisons).some((c) => c.verdict === 'regressed');

/** Two-sided p-values with the same weighted Holm correction (familyWeights). */
export const twoSidedWeightedGate: Gate = (comparisons) => anyRegressed(comparisons, holmAdjust(pValues(comparisons), familyWeights(comparisons)));

/** The textbook alternative: two-sided p-values, plain (equal-weight) Holm over all metric × slice tests. */
export const plainHolmGate: Gate = (comparisons) => anyRegressed(comparisons, holmAdjust(pValues(comparisons)));

/** The peers' kind of rule, per slice: block if any pass rate (whole dataset or slice) dropped at all. */
export const naiveGate: Gate = (comparisons) => comparisons.some((c) => c.baseline !== null && c.candidate !== null && c.candidate < c.baseline);

/** The peers' kind of rule on the whole dataset only: block if an overall pass rate dropped at all. */
export const naiveOverallGate: Gate = (comparisons) => naiveGate(comparisons.filter((c) => c.slice === null));

function pValues(comparisons: readonly MetricComparison[]): number[] {
  return comparisons.map((c) => c.pValue ?? 1);
}

function anyRegressed(comparisons: readonly MetricComparison[], adjusted: readonly number[]): boolean {
  return comparisons.some((c, i) => c.pValue !== null && verdictFor(c, adjusted[i] as number, 0) === 'regressed');
}
