import { EvalOpsError } from '../errors.js';
import { wilsonInterval, Z95 } from '../stats.js';

/**
 * Confidence interval for the difference of two paired proportions, candidate − baseline.
 *
 * The 2×2 table, one row per example scored pass/fail in both runs:
 *
 * |                    | candidate pass | candidate fail |
 * |--------------------|----------------|----------------|
 * | **baseline pass**  | a              | b              |
 * | **baseline fail**  | c              | d              |
 *
 * baseline rate = (a + b)/n, candidate rate = (a + c)/n, difference = (c − b)/n.
 *
 * Method 10 of Newcombe (1998), "Improved confidence intervals for the difference between binomial
 * proportions based on paired data", Statistics in Medicine 17:2635–2650: the Wilson score interval
 * of each rate, combined by "square and add" with a correction for the correlation of the two rates,
 * φ = (ad − bc)/√((a+b)(c+d)(a+c)(b+d)), itself continuity-corrected: ad − bc is replaced by
 * ad − bc − n/2 when it exceeds n/2, by 0 when it lies in [0, n/2], and kept when negative.
 * It never leaves [−1, 1] and, unlike the Wald interval, does not collapse to a point when b = c = 0.
 *
 * (Newcombe writes the difference as p1 − p2 with p1 the first classification; here the first
 * margin is the candidate's, so his b and c are this function's c and b.)
 *
 * @returns [lower, upper], or null when the table is empty
 * @example pairedDifferenceInterval(20, 2, 12, 16) // [0.0562, 0.3292], difference 0.2
 */
export function pairedDifferenceInterval(a: number, b: number, c: number, d: number, z: number = Z95): [number, number] | null {
  for (const [name, v] of [['a', a], ['b', b], ['c', c], ['d', d]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new EvalOpsError('input', `a paired 2×2 table needs non-negative whole counts; ${name} is ${v}`);
  }
  const n = a + b + c + d;
  if (n === 0) return null;

  const p1 = (a + c) / n; // candidate
  const p2 = (a + b) / n; // baseline
  const [l1, u1] = wilsonInterval(a + c, n, z) as [number, number];
  const [l2, u2] = wilsonInterval(a + b, n, z) as [number, number];

  const margins = (a + b) * (c + d) * (a + c) * (b + d);
  let phi = 0;
  if (margins > 0) {
    const cross = a * d - b * c;
    const corrected = cross > n / 2 ? cross - n / 2 : cross >= 0 ? 0 : cross;
    phi = corrected / Math.sqrt(margins);
  }

  const theta = p1 - p2;
  const down1 = p1 - l1;
  const up1 = u1 - p1;
  const down2 = p2 - l2;
  const up2 = u2 - p2;
  const lower = theta - Math.sqrt(Math.max(0, down1 * down1 - 2 * phi * down1 * up2 + up2 * up2));
  const upper = theta + Math.sqrt(Math.max(0, up1 * up1 - 2 * phi * up1 * down2 + down2 * down2));
  return [Math.max(-1, lower), Math.min(1, upper)];
}
