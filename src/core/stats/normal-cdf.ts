/**
 * The standard normal distribution function, accurate in the far tails (the gate turns tiny
 * bootstrap z-scores into p-values that Holm then multiplies, so relative accuracy matters there).
 */

const INV_SQRT_2PI = 0.3989422804014327;

/** Density of the standard normal at x. */
function density(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/**
 * Upper tail Q(x) = P(Z > x) of the standard normal, with full relative precision for large x.
 * Below |x| = 3 it sums the Taylor series Φ(x) = ½ + φ(x)·Σ x^(2k+1)/(2k+1)!! (all terms positive);
 * beyond, it evaluates the Laplace continued fraction Q(x) = φ(x)/(x + 1/(x + 2/(x + 3/(x + …)))).
 * @example normalUpperTail(1.959963984540054) // 0.025
 */
export function normalUpperTail(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return 1 - normalUpperTail(-x);
  if (x === Infinity) return 0;
  if (x < 3) {
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let k = 1; k < 200 && term > sum * 1e-17; k++) {
      term *= x2 / (2 * k + 1);
      sum += term;
    }
    return 0.5 - density(x) * sum;
  }
  // Backward evaluation of the continued fraction; 200 levels are ample for x ≥ 3.
  let frac = x;
  for (let k = 200; k >= 1; k--) frac = x + k / frac;
  return density(x) / frac;
}

/**
 * Φ(x) = P(Z ≤ x) for a standard normal Z.
 * @example normalCdf(0) // 0.5
 */
export function normalCdf(x: number): number {
  return normalUpperTail(-x);
}

/**
 * Two-sided p-value of a z statistic: 2·Q(|z|), at most 1.
 * @example normalTwoSidedP(1.959963984540054) // 0.05
 */
export function normalTwoSidedP(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  return Math.min(1, 2 * normalUpperTail(Math.abs(z)));
}
