import { observationColumns, type MetricComparison, type ObservationColumns, type PairedObservation, type Verdict } from './comparison.js';
import { EvalOpsError } from './errors.js';
import { pairedBootstrapMeanInterval } from './stats/bootstrap.js';
import { mcnemarExact } from './stats/mcnemar-exact.js';
import { pairedDifferenceInterval } from './stats/newcombe-paired.js';
import { trialNoiseFloorColumns } from './stats/noise-floor.js';
import { signFlipTest } from './stats/sign-flip-test.js';

/** Significance level applied to the (multiplicity-adjusted) p-value. */
export const VERDICT_ALPHA = 0.05;
/** Below this many paired examples a comparison is always `inconclusive`. */
export const MIN_EXAMPLES = 10;
/**
 * A change is `unchanged` when its whole 95% interval lies within ± this (or ± the rule's minimum
 * effect or the noise floor, when larger): 5 points on the 0..1 scale, the size of regression the
 * gate is built to catch at n = 1,000 (bench/gate-accuracy.ts).
 */
export const EQUIVALENCE_MARGIN = 0.05;

/** Differences smaller than this are rounding dust from averaging trials, not changes. */
const CHANGE_EPSILON = 1e-12;

export interface CompareMetricOptions {
  /** The metric is pass/fail. Honoured only when every observation has one 0/1 trial per side. */
  readonly binary: boolean;
  /** Seed of the bootstrap resampling (continuous metrics): same data and seed, same interval. */
  readonly seed: number;
  /** Bootstrap resamples; default 2,000. */
  readonly iterations?: number;
  /** Smallest drop (or gain) that counts, on the metric's 0..1 scale; default 0. */
  readonly minEffect?: number;
}

/**
 * Compares one metric on one slice (`null`: the whole dataset) between a baseline and a candidate
 * run, from observations paired by example.
 *
 * - Binary (one 0/1 trial per example and side): delta = candidate pass rate − baseline pass rate;
 *   95% interval: Newcombe's (1998) paired score interval (method 10); p: McNemar's exact test;
 *   improved / regressed examples: the discordant pairs c (fail → pass) and b (pass → fail).
 * - Continuous (anything else, including pass/fail with repeated trials, whose per-example pass rates
 *   are compared): delta = mean of per-example deltas; 95% interval: paired bootstrap percentile
 *   interval; p: paired sign-flip randomization test (exact up to 20 changed examples, normal
 *   approximation beyond — see stats/sign-flip-test.ts for why not a bootstrap p-value);
 *   noise floor from the repeated trials (stats/noise-floor.ts).
 *
 * `pAdjusted` is set equal to `pValue` and the verdict is provisional (two-sided, uncorrected): the
 * caller corrects a whole comparison's family at once with `adjustComparisons`
 * (stats/adjust-comparisons.ts), which replaces `pAdjusted` and recomputes the verdict.
 *
 * @example compareMetric('cites_policy', null, observations, { binary: true, seed: 1 }).verdict
 */
export function compareMetric(metric: string, slice: string | null, observations: readonly PairedObservation[], options: CompareMetricOptions): MetricComparison {
  return compareObservationColumns(metric, slice, observationColumns(observations), options);
}

/**
 * compareMetric on observations held in columns (comparison.ts): the same statistics, without an
 * object per observation. The gate's hot path calls this directly.
 */
export function compareObservationColumns(metric: string, slice: string | null, cols: ObservationColumns, options: CompareMetricOptions): MetricComparison {
  const { n } = cols;
  for (let i = 0; i < n; i++) {
    const b = cols.baseline[i] as number;
    const c = cols.candidate[i] as number;
    if (!Number.isFinite(b) || !Number.isFinite(c)) {
      throw new EvalOpsError('input', `metric ${metric}: observation ${i} (${cols.exampleIds[i]}) has a non-finite value (baseline ${b}, candidate ${c})`);
    }
  }
  const binary = options.binary && allSingleBinaryTrials(cols);
  const kind = binary ? 'binary' : 'continuous';
  const method = binary ? 'mcnemar-exact+newcombe' : 'paired-bootstrap+sign-flip';
  let baselineImputed = 0;
  let candidateImputed = 0;
  for (let i = 0; i < n; i++) {
    if ((cols.baselineImputed[i] as number) > 0) baselineImputed++;
    if ((cols.candidateImputed[i] as number) > 0) candidateImputed++;
  }
  const imputed = { baseline: baselineImputed, candidate: candidateImputed };
  if (n === 0) {
    return { metric, slice, kind, method, n, baseline: null, candidate: null, delta: null, ci95: null, pValue: null, pAdjusted: null, noiseFloor: null, verdict: 'inconclusive', improvedExamples: 0, regressedExamples: 0, imputed };
  }

  let sumBaseline = 0;
  let sumCandidate = 0;
  for (let i = 0; i < n; i++) {
    sumBaseline += cols.baseline[i] as number;
    sumCandidate += cols.candidate[i] as number;
  }
  const baseline = sumBaseline / n;
  const candidate = sumCandidate / n;

  let ci95: [number, number];
  let pValue: number;
  let improvedExamples = 0;
  let regressedExamples = 0;
  let noiseFloor: number | null = null;
  let delta: number;

  if (binary) {
    // a: pass in both, b: pass → fail, c: fail → pass, d: fail in both.
    let a = 0;
    let b = 0;
    let c = 0;
    for (let i = 0; i < n; i++) {
      const bv = cols.baseline[i] as number;
      const cv = cols.candidate[i] as number;
      if (bv === 1 && cv === 1) a++;
      else if (bv === 1) b++;
      else if (cv === 1) c++;
    }
    delta = (c - b) / n;
    ci95 = pairedDifferenceInterval(a, b, c, n - a - b - c) as [number, number];
    pValue = mcnemarExact(b, c);
    improvedExamples = c;
    regressedExamples = b;
  } else {
    const deltas = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const d = (cols.candidate[i] as number) - (cols.baseline[i] as number);
      deltas[i] = d;
      if (d > CHANGE_EPSILON) improvedExamples++;
      else if (d < -CHANGE_EPSILON) regressedExamples++;
    }
    const boot = pairedBootstrapMeanInterval(deltas, { seed: options.seed, ...(options.iterations !== undefined ? { iterations: options.iterations } : {}) });
    delta = boot.mean;
    ci95 = boot.interval;
    pValue = signFlipTest(deltas);
    noiseFloor = trialNoiseFloorColumns(cols);
  }

  const partial = { n, delta, ci95, noiseFloor };
  return {
    metric,
    slice,
    kind,
    method,
    n,
    baseline,
    candidate,
    delta,
    ci95,
    pValue,
    pAdjusted: pValue,
    noiseFloor,
    verdict: verdictFor(partial, pValue, options.minEffect ?? 0),
    improvedExamples,
    regressedExamples,
    imputed,
  };
}

/** Every observation has one 0/1 trial on each side. */
function allSingleBinaryTrials(cols: ObservationColumns): boolean {
  for (let i = 0; i < cols.n; i++) {
    const b = cols.baseline[i] as number;
    const c = cols.candidate[i] as number;
    if (cols.baselineTrials[i] !== 1 || cols.candidateTrials[i] !== 1 || (b !== 0 && b !== 1) || (c !== 0 && c !== 1)) return false;
  }
  return true;
}

/**
 * The verdict of a comparison for a given adjusted p-value and minimum effect. `pAdjusted` is the
 * p-value of the change in the direction of delta after the family's correction (adjustComparisons
 * gives one-sided adjusted values; a two-sided p is a conservative stand-in). With α = 0.05 and
 * margin = max(minEffect, noise floor):
 *
 * 1. `inconclusive` when n < 10 or there is no estimate (n = 0);
 * 2. `regressed` when delta < 0, pAdjusted < α, the 95% interval lies wholly below 0, and the drop
 *    exceeds the margin (a drop within the measured trial noise or below the rule's minimum effect is
 *    not a regression, however significant);
 * 3. `improved`, symmetrically;
 * 4. `unchanged` when the whole 95% interval lies within ± max(margin, equivalenceMargin): any real
 *    change is smaller than what matters;
 * 5. otherwise `inconclusive`: the data cannot tell a change that matters from none (wide interval).
 *
 * @example verdictFor({ n: 1000, delta: -0.05, ci95: [-0.08, -0.02], noiseFloor: null }, 0.001) // 'regressed'
 */
export function verdictFor(
  comparison: Pick<MetricComparison, 'n' | 'delta' | 'ci95' | 'noiseFloor'>,
  pAdjusted: number | null,
  minEffect = 0,
  equivalenceMargin: number = EQUIVALENCE_MARGIN,
): Verdict {
  const { n, delta, ci95 } = comparison;
  if (n < MIN_EXAMPLES || delta === null || ci95 === null || pAdjusted === null) return 'inconclusive';
  const margin = Math.max(minEffect, comparison.noiseFloor ?? 0);
  const significant = pAdjusted < VERDICT_ALPHA;
  if (significant && delta < 0 && ci95[1] < 0 && -delta > margin) return 'regressed';
  if (significant && delta > 0 && ci95[0] > 0 && delta > margin) return 'improved';
  const bound = Math.max(margin, equivalenceMargin);
  if (ci95[0] >= -bound && ci95[1] <= bound) return 'unchanged';
  return 'inconclusive';
}
