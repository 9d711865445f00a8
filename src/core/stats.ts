/**
 * Small descriptive statistics for scorecards. Inference for comparisons lives with the gate.
 */

/** z for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

/**
 * Wilson score interval for a binomial proportion (Wilson 1927; recommended over the Wald interval by
 * Brown, Cai & DasGupta 2001). Returns null when n is 0.
 * @example wilsonInterval(8, 10) // [0.4902, 0.9433] (rounded)
 */
export function wilsonInterval(successes: number, n: number, z: number = Z95): [number, number] | null {
  if (n <= 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * Normal-approximation 95% interval of a mean from its count, sum and sum of squares (so it can be fed
 * from SQL aggregates). Uses the sample variance; null when n < 2.
 */
export function meanInterval(n: number, sum: number, sumSquares: number, z: number = Z95): [number, number] | null {
  if (n < 2) return null;
  const mean = sum / n;
  const variance = Math.max(0, (sumSquares - n * mean * mean) / (n - 1));
  const half = z * Math.sqrt(variance / n);
  return [mean - half, mean + half];
}

/**
 * Quantile with linear interpolation between order statistics (Hyndman & Fan type 7, the default of R
 * and NumPy). `sorted` must be ascending. Returns null for an empty array.
 * @example quantileSorted([1, 2, 3, 4], 0.5) // 2.5
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (h - lo) * (b - a);
}
