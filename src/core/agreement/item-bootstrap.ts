import { EvalOpsError } from '../errors.js';
import { quantileSorted } from '../stats.js';
import { TWO_POW_32, xoshiroState } from '../stats/seeded-random.js';

/** The seed used when none is given, so that a report run twice shows the same interval. */
export const DEFAULT_BOOTSTRAP_SEED = 1;

export interface ItemBootstrapOptions {
  /** Resamples; default 2,000. */
  readonly iterations?: number;
  /** Seed of the resampling stream; default {@link DEFAULT_BOOTSTRAP_SEED}. */
  readonly seed?: number;
  /** Confidence level of the interval; default 0.95. */
  readonly confidence?: number;
}

/** A percentile bootstrap interval, with what it was computed from. */
export interface ItemBootstrapInterval {
  /** [lower, upper], or null (see `reason`). */
  readonly interval: readonly [number, number] | null;
  readonly reason: string | null;
  readonly iterations: number;
  readonly seed: number;
  readonly confidence: number;
  /** Resamples on which the statistic was undefined (e.g. every drawn item got one label); left out of the interval. */
  readonly undefinedResamples: number;
}

/**
 * Percentile bootstrap over items (Efron & Tibshirani 1993, ch. 13): draw `nItems` items with
 * replacement `iterations` times and recompute the statistic on each resample; the interval is the
 * (1 − confidence)/2 and (1 + confidence)/2 quantiles (Hyndman–Fan type 7) of the results.
 *
 * The statistic receives how many times each item was drawn (so a sum over items becomes a weighted
 * sum, with no copy of the data) and returns null where it is undefined; such resamples are counted
 * in `undefinedResamples` and left out, so the interval is conditional on the statistic being
 * defined. The interval is null for fewer than two items (every resample would be the data itself)
 * or when no resample gives a value. Draws come in order from one `seededRandom(seed)` stream, so
 * the same seed and data give the same interval.
 * @example itemBootstrapInterval(3, (w) => w[0]! / 3, { seed: 7 }).interval // e.g. [0, 0.667]
 */
export function itemBootstrapInterval(
  nItems: number,
  statistic: (multiplicity: Uint32Array) => number | null,
  options: ItemBootstrapOptions = {},
): ItemBootstrapInterval {
  const iterations = options.iterations ?? 2000;
  const seed = options.seed ?? DEFAULT_BOOTSTRAP_SEED;
  const confidence = options.confidence ?? 0.95;
  if (!Number.isInteger(iterations) || iterations < 1) throw new EvalOpsError('input', `bootstrap iterations must be a positive whole number, not ${iterations}`);
  if (!(confidence > 0 && confidence < 1)) throw new EvalOpsError('input', `confidence must lie strictly between 0 and 1, not ${confidence}`);
  if (!Number.isFinite(seed)) throw new EvalOpsError('input', `the bootstrap seed must be a finite number, not ${seed}`);
  if (nItems > 2 ** 21) throw new EvalOpsError('input', `the item bootstrap draws from at most 2^21 items, not ${nItems}`);
  const base = { iterations, seed, confidence };
  if (nItems < 2) return { ...base, interval: null, reason: 'fewer than two items to resample', undefinedResamples: 0 };

  // xoshiro128** inlined (the stream of seededRandom(seed).nextInt, draw for draw): the draws are the
  // hot loop, 20 million of them for 10,000 items × 2,000 resamples.
  let [a, b, c, d] = xoshiroState(seed);
  const multiplicity = new Uint32Array(nItems);
  const values: number[] = [];
  for (let it = 0; it < iterations; it++) {
    multiplicity.fill(0);
    for (let i = 0; i < nItems; i++) {
      const m = Math.imul(b, 5);
      const r = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
      const t = b << 9;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = (d << 11) | (d >>> 21);
      multiplicity[Math.floor((r * nItems) / TWO_POW_32)]! += 1;
    }
    const v = statistic(multiplicity);
    if (v !== null && Number.isFinite(v)) values.push(v);
  }
  const undefinedResamples = iterations - values.length;
  if (values.length === 0) return { ...base, interval: null, reason: 'the statistic was undefined on every resample', undefinedResamples };
  values.sort((a, b) => a - b);
  const tail = (1 - confidence) / 2;
  const interval: [number, number] = [quantileSorted(values, tail) as number, quantileSorted(values, 1 - tail) as number];
  return { ...base, interval, reason: null, undefinedResamples };
}
