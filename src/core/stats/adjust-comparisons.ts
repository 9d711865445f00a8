import { verdictFor } from '../compare-metric.js';
import type { MetricComparison } from '../comparison.js';
import { familyWeights, OVERALL_SHARE } from './family-weights.js';
import { graphicalAdjust, primaryGraph } from './graphical-procedure.js';
import { holmAdjust } from './holm.js';

export interface AdjustOptions {
  /** Default {@link OVERALL_SHARE}. */
  readonly overallShare?: number;
  /** Minimum effect for the recomputed verdicts (a gate rule may ask for its own later); default 0. */
  readonly minEffect?: number;
  /**
   * Metrics marked `primary: true`: their whole-dataset tests get α first, and pass it on to the rest
   * when rejected (stats/graphical-procedure.ts). None (the default): weighted Holm.
   */
  readonly primaries?: readonly string[];
}

/** Which correction a comparison used: weighted Holm, or the graphical procedure for primary metrics. */
export type Correction = 'holm' | 'graphical';

/** The correction {@link adjustComparisons} applies to these comparisons with these options. */
export function correctionFor(comparisons: readonly Pick<MetricComparison, 'metric' | 'slice' | 'pValue'>[], options: Pick<AdjustOptions, 'primaries'> = {}): Correction {
  return options.primaries?.length && primaryGraph(comparisons, options.primaries) ? 'graphical' : 'holm';
}

/**
 * Each test's share of α at the first step of the correction (weighted Holm's weights, or the
 * graphical procedure's initial weights): the level a test is sure to get, so the one to plan with.
 */
export function firstStepWeights(comparisons: readonly Pick<MetricComparison, 'metric' | 'slice' | 'pValue'>[], options: Pick<AdjustOptions, 'overallShare' | 'primaries'> = {}): number[] {
  const graph = options.primaries?.length ? primaryGraph(comparisons, options.primaries, options.overallShare ?? OVERALL_SHARE) : null;
  if (graph) return [...graph.weights];
  const weights = familyWeights(comparisons, options.overallShare ?? OVERALL_SHARE);
  const total = weights.reduce((s, w) => s + w, 0);
  return total > 0 ? weights.map((w) => w / total) : weights;
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
 * - With `primaries` (metrics marked `primary: true`): the graphical procedure of Bretz et al. (2009)
 *   instead — the primaries' whole-dataset tests start with half of α and pass it on to every other
 *   test when rejected (stats/graphical-procedure.ts); still a family-wise 5% bound.
 * - Verdicts are recomputed with {@link verdictFor}. Tests without a p-value keep `pAdjusted: null`.
 *
 * @example adjustComparisons(raw).filter((c) => c.verdict === 'regressed')
 */
export function adjustComparisons(comparisons: readonly MetricComparison[], options: AdjustOptions = {}): MetricComparison[] {
  const worse = comparisons.map((c) => oneSided(c, -1));
  const better = comparisons.map((c) => oneSided(c, 1));
  const graph = options.primaries?.length ? primaryGraph(comparisons, options.primaries, options.overallShare ?? OVERALL_SHARE) : null;
  const weights = graph ? null : familyWeights(comparisons, options.overallShare ?? OVERALL_SHARE);
  const adjustedWorse = graph ? graphicalAdjust(worse, graph) : holmAdjust(worse, weights as number[]);
  const adjustedBetter = graph ? graphicalAdjust(better, graph) : holmAdjust(better, weights as number[]);
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
