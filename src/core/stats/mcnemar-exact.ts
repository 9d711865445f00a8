import { EvalOpsError } from '../errors.js';

/**
 * McNemar's test for paired binary outcomes, conditional on the discordant pairs: under "no change",
 * each of the b + c discordant pairs is equally likely to have gone either way, so
 * min(b, c) ~ Binomial(b + c, ½). Computed in log space so b + c may run to many thousands.
 */

/** P(X ≤ k) and P(X = k) for X ~ Binomial(n, ½) with k ≤ n/2, without underflow. */
function halfBinomialLowerTail(k: number, n: number): { cdf: number; pmf: number } {
  // ln C(n, k) = Σ_{i=1..k} ln((n − k + i) / i): k terms, each exact to a few ulps.
  let logChoose = 0;
  for (let i = 1; i <= k; i++) logChoose += Math.log((n - k + i) / i);
  const logPmf = logChoose - n * Math.LN2;
  // Σ_{j ≤ k} P(X = j) / P(X = k): the ratio P(X = j − 1) / P(X = j) = j / (n − j + 1) is ≤ 1 for
  // j ≤ n/2, so the terms shrink and the sum can stop once they no longer change it.
  let term = 1;
  let sum = 1;
  for (let j = k; j >= 1; j--) {
    term *= j / (n - j + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return { cdf: Math.exp(logPmf + Math.log(sum)), pmf: Math.exp(logPmf) };
}

function checkCounts(b: number, c: number): void {
  for (const [name, v] of [['b', b], ['c', c]] as const) {
    if (!Number.isInteger(v) || v < 0) {
      throw new EvalOpsError('input', `McNemar's test needs non-negative whole counts of discordant pairs; ${name} is ${v}`);
    }
  }
}

/**
 * Two-sided exact (conditional) p-value of McNemar's test: p = min(1, 2·P(X ≤ min(b, c))) with
 * X ~ Binomial(b + c, ½) — the same figure as R's `binom.test(min(b, c), b + c)` and
 * `exact2x2::mcnemar.exact`. With no discordant pairs there is no evidence of change: p = 1.
 * @param b pairs that passed in the baseline and failed in the candidate
 * @param c pairs that failed in the baseline and passed in the candidate
 * @example mcnemarExact(1, 7) // 0.0703125 (= 18/256)
 */
export function mcnemarExact(b: number, c: number): number {
  checkCounts(b, c);
  const n = b + c;
  if (n === 0) return 1;
  const { cdf } = halfBinomialLowerTail(Math.min(b, c), n);
  return Math.min(1, 2 * cdf);
}

/**
 * Two-sided mid-p McNemar test: p = 2·P(X < min(b, c)) + P(X = min(b, c)), at most 1. Less
 * conservative than the exact test and, per Fagerland, Lydersen & Laake (2013, BMC Medical Research
 * Methodology 13:91), close to nominal in practice; it does not strictly guarantee the level.
 * @example mcnemarMidP(1, 7) // 0.0390625 (= 10/256)
 */
export function mcnemarMidP(b: number, c: number): number {
  checkCounts(b, c);
  const n = b + c;
  if (n === 0) return 1;
  const { cdf, pmf } = halfBinomialLowerTail(Math.min(b, c), n);
  return Math.min(1, 2 * cdf - pmf);
}
