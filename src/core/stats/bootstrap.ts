import { EvalOpsError } from '../errors.js';
import { quantileSorted } from '../stats.js';
import { normalTwoSidedP } from './normal-cdf.js';
import { seededRandom } from './seeded-random.js';

export interface PairedBootstrapOptions {
  /** Resamples; default 2,000. */
  readonly iterations?: number;
  /** Seed of the resampling generator: the same seed and data give the same result. */
  readonly seed: number;
  /** 1 − confidence level of the interval; default 0.05 (a 95% interval). */
  readonly alpha?: number;
}

export interface PairedBootstrapResult {
  /** Mean of the deltas. */
  readonly mean: number;
  /** Percentile interval of the resampled means at level 1 − alpha. */
  readonly interval: [number, number];
  /** Standard deviation of the resampled means: the bootstrap standard error of the mean. */
  readonly standardError: number;
  /** Two-sided p-value of "the mean delta is 0" (see pairedBootstrapMeanInterval). */
  readonly pValue: number;
}

/**
 * Paired bootstrap of the mean of per-example deltas (candidate − baseline): resample the examples
 * with replacement `iterations` times and take the mean each time (Efron & Tibshirani 1993, ch. 13).
 *
 * - Interval: the percentile interval, quantiles alpha/2 and 1 − alpha/2 of the resampled means
 *   (Hyndman–Fan type 7).
 * - p-value: 2·Q(|mean| / se*), the normal tail of the observed mean measured in bootstrap standard
 *   errors. Why not the share of resampled means beyond 0: that share cannot go below 1/(B + 1), so
 *   with B = 2,000 no p-value could fall under ≈ 0.001 and a Holm correction over 50 slice × metric
 *   tests could never find anything. (compareMetric takes its p-value from the sign-flip test instead,
 *   which stays exact when only a few examples changed, where any bootstrap is over-confident; it
 *   uses this interval, and a verdict needs both.)
 * - Degenerate cases: a single delta carries no evidence about spread (p = 1); deltas that are all
 *   equal and non-zero give se* = 0 and p = 0; all zero gives p = 1.
 *
 * Allocation-free inner loop over a Float64Array: 10,000 deltas × 2,000 resamples take tens of ms.
 * Resample k draws its indices from `xoshiro128(words)`, where words are outputs 4k … 4k + 3 of
 * `seededRandom(seed)`, so the same seed always gives the same resamples. When every delta is the same
 * (an unchanged metric or slice), the resampled means are known without drawing: the same figures, no
 * random numbers drawn.
 * @example pairedBootstrapMeanInterval(Float64Array.from([0.1, 0.2, -0.05, 0.15]), { seed: 1 })
 */
export function pairedBootstrapMeanInterval(deltas: Float64Array, options: PairedBootstrapOptions): PairedBootstrapResult {
  const iterations = options.iterations ?? 2000;
  const alpha = options.alpha ?? 0.05;
  const n = deltas.length;
  if (n === 0) throw new EvalOpsError('input', 'the paired bootstrap needs at least one delta');
  if (!Number.isInteger(iterations) || iterations < 1) throw new EvalOpsError('input', `bootstrap iterations must be a positive whole number, not ${iterations}`);
  if (!(alpha > 0 && alpha < 1)) throw new EvalOpsError('input', `alpha must lie strictly between 0 and 1, not ${alpha}`);

  let total = 0;
  for (let i = 0; i < n; i++) {
    const v = deltas[i] as number;
    if (!Number.isFinite(v)) throw new EvalOpsError('input', `delta ${i} is ${v}; every delta must be a finite number`);
    total += v;
  }
  const mean = total / n;

  const means = resampledMeans(deltas, iterations, options.seed);

  let m1 = 0;
  for (let it = 0; it < iterations; it++) m1 += means[it] as number;
  m1 /= iterations;
  let ss = 0;
  for (let it = 0; it < iterations; it++) {
    const dv = (means[it] as number) - m1;
    ss += dv * dv;
  }
  const standardError = iterations > 1 ? Math.sqrt(ss / (iterations - 1)) : 0;

  means.sort();
  const interval: [number, number] = [quantileSorted(means, alpha / 2) as number, quantileSorted(means, 1 - alpha / 2) as number];

  let pValue: number;
  if (n < 2 || mean === 0) pValue = 1;
  else if (standardError === 0) pValue = 0;
  else pValue = normalTwoSidedP(mean / standardError);
  return { mean, interval, standardError, pValue };
}

/**
 * Means of `iterations` resamples with replacement. Resample k draws its indices from its own
 * xoshiro128** stream, whose four state words are the next four outputs of `seededRandom(seed)` (a
 * master stream), so every index can be reproduced from the seed.
 */
function resampledMeans(deltas: Float64Array, iterations: number, seed: number): Float64Array {
  const means = new Float64Array(iterations);
  const constant = constantResampleMean(deltas);
  if (constant !== null) return means.fill(constant);
  const master = seededRandom(seed);
  for (let it = 0; it < iterations; it++) {
    let s0 = master.nextUint32() | 0;
    const s1 = master.nextUint32() | 0;
    const s2 = master.nextUint32() | 0;
    const s3 = master.nextUint32() | 0;
    if ((s0 | s1 | s2 | s3) === 0) s0 = 1; // as xoshiro128() does
    means[it] = resampleSum(deltas, s0, s1, s2, s3) / deltas.length;
  }
  return means;
}

/**
 * When every delta is the same value v (nothing changed: v = 0), every resample draws n copies of v,
 * so every resampled mean is the sum of n copies of v, added one by one as resampleSum adds them,
 * divided by n: the same figure without drawing an index. Null when the deltas differ.
 */
function constantResampleMean(deltas: Float64Array): number | null {
  const n = deltas.length;
  const v = deltas[0] as number;
  for (let i = 1; i < n; i++) if (deltas[i] !== v) return null;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += v;
  return sum / n;
}

/**
 * Sum of one resample of `deltas`, drawn with the step of xoshiro128() inlined (a call per draw costs
 * a third of the time; bootstrap.test.ts checks the two agree). Only the sum leaves
 * the loop, which keeps the optimised code free of stores that V8 has no type feedback for.
 */
function resampleSum(deltas: Float64Array, s0: number, s1: number, s2: number, s3: number): number {
  // A local constant, not an import: loaders that transpile modules (tsx, vitest) turn imported
  // bindings into getter calls, which would run on every draw. 2^-32: multiplying by it is exact, as
  // dividing by 2^32 is, so the index is the same.
  const twoPowMinus32 = 2.3283064365386963e-10;
  const n = deltas.length;
  let a = s0;
  let b = s1;
  let c = s2;
  let d = s3;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const m = Math.imul(b, 5);
    const r = Math.imul((m << 7) | (m >>> 25), 9);
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = (d << 11) | (d >>> 21);
    // ⌊r·n / 2^32⌋ lies in [0, n) ⊂ [0, 2^31), where `| 0` truncates exactly as Math.floor does; it
    // takes about a fifth off the loop.
    sum += deltas[((r >>> 0) * n * twoPowMinus32) | 0] as number;
  }
  return sum;
}
