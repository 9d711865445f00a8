/**
 * One-sided Fisher exact test on a 2×2 table (Fisher 1935, The Design of Experiments §2): given the
 * margins, the count of passes in group A is hypergeometric; the p-value is the probability of as few
 * passes in A as observed, or fewer. Exact for any n, conservative; for small samples.
 */
import { EvalOpsError } from '../errors.js';

function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i);
  return s;
}

/**
 * P(X ≤ passedA) for X ~ Hypergeometric(passes in total, A's size, B's size): small when A passes less
 * often than B.
 * @example fisherExactLess(1, 4, 3, 4) // 17/70 ≈ 0.243 (Fisher's lady tasting tea, 3 of 4 right)
 */
export function fisherExactLess(passedA: number, totalA: number, passedB: number, totalB: number): number {
  for (const [name, v] of [['passedA', passedA], ['totalA', totalA], ['passedB', passedB], ['totalB', totalB]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new EvalOpsError('input', `Fisher's test needs whole non-negative counts; ${name} is ${v}`);
  }
  if (passedA > totalA || passedB > totalB) throw new EvalOpsError('input', 'Fisher\'s test: passed cannot exceed total');
  const passes = passedA + passedB;
  const n = totalA + totalB;
  const lo = Math.max(0, passes - totalB);
  const logDenominator = logChoose(n, passes);
  let p = 0;
  for (let x = lo; x <= passedA; x++) p += Math.exp(logChoose(totalA, x) + logChoose(totalB, passes - x) - logDenominator);
  return Math.min(1, p);
}
