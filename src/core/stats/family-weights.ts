import type { MetricComparison } from '../comparison.js';
import { EvalOpsError } from '../errors.js';

/**
 * Share of a metric's α that goes to its whole-dataset test; the rest is split evenly among its
 * slices. See {@link familyWeights}.
 */
export const OVERALL_SHARE = 0.5;

/**
 * Weights of the weighted Holm correction for one comparison's family. Every metric gets an equal
 * share of α; within a metric, the whole-dataset test gets `overallShare` of it and the slices split
 * the rest evenly (a metric without slices, or without a whole-dataset test, gives its whole share to
 * what it has). Tests without a p-value get weight 0.
 *
 * Why not equal weights: the family-wise error stays at α either way (weighted Holm controls it for
 * any fixed weights), but with equal weights a regression spread over the whole dataset — the common
 * case — must beat α / (metrics × (slices + 1)). The whole-dataset test is √slices times more
 * sensitive to such a change than any one slice test, so it deserves the larger share; a regression
 * concentrated in one slice is large against that slice's noise and is still caught with the slices'
 * share (bench/gate-accuracy.ts measures both).
 *
 * @example familyWeights(comparisons) // metric A overall + 4 slices, metric B overall only:
 *   [0.25, 0.0625, 0.0625, 0.0625, 0.0625, 0.5]
 */
export function familyWeights(comparisons: readonly Pick<MetricComparison, 'metric' | 'slice' | 'pValue'>[], overallShare: number = OVERALL_SHARE): number[] {
  if (!(overallShare >= 0 && overallShare <= 1)) throw new EvalOpsError('input', `overallShare must lie in [0, 1], not ${overallShare}`);
  const byMetric = new Map<string, { overall: number; slices: number }>();
  for (const c of comparisons) {
    if (c.pValue === null) continue;
    const entry = byMetric.get(c.metric) ?? { overall: 0, slices: 0 };
    if (c.slice === null) entry.overall += 1;
    else entry.slices += 1;
    byMetric.set(c.metric, entry);
  }
  const perMetric = byMetric.size > 0 ? 1 / byMetric.size : 0;
  return comparisons.map((c) => {
    const entry = byMetric.get(c.metric);
    if (c.pValue === null || !entry) return 0;
    const overallPart = entry.slices === 0 ? 1 : entry.overall === 0 ? 0 : overallShare;
    return c.slice === null ? (perMetric * overallPart) / entry.overall : (perMetric * (1 - overallPart)) / entry.slices;
  });
}
