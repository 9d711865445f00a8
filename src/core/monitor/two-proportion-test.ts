/**
 * Canary against live: is the canary's pass rate lower? A one-sided two-proportion test. With every
 * expected cell count of the 2×2 table at least 5 it is the pooled z-test (z² is Pearson's χ² without
 * continuity correction, R's `prop.test(correct = FALSE)`); below that the normal approximation is
 * poor and the exact Fisher test is used instead.
 */
import { EvalOpsError } from '../errors.js';
import { normalUpperTail } from '../stats/normal-cdf.js';
import type { Observation } from './change-detector.js';
import { checkObservation } from './change-detector.js';
import { fisherExactLess } from './fisher-exact-test.js';

export interface TwoProportionResult {
  readonly method: 'z' | 'fisher';
  /** Canary rate minus live rate. */
  readonly difference: number;
  /** Pooled z statistic (negative when the canary is worse); computed for both methods. */
  readonly z: number;
  /** One-sided p-value for "the canary's rate is lower than live's". */
  readonly pValue: number;
}

/**
 * @example twoProportionTest({ passed: 800, total: 1000 }, { passed: 850, total: 1000 }).pValue // ≈ 0.0016 (R: prop.test(c(800, 850), c(1000, 1000), alternative = 'less', correct = FALSE) gives 0.001628)
 */
export function twoProportionTest(canary: Observation, live: Observation): TwoProportionResult {
  checkObservation(canary);
  checkObservation(live);
  if (canary.total === 0 || live.total === 0) throw new EvalOpsError('input', 'comparing a canary with live needs at least one trace on each side');
  const n = canary.total + live.total;
  const pooled = (canary.passed + live.passed) / n;
  const difference = canary.passed / canary.total - live.passed / live.total;
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / canary.total + 1 / live.total));
  const z = se === 0 ? 0 : difference / se;
  const minExpected = Math.min(canary.total, live.total) * Math.min(pooled, 1 - pooled);
  if (minExpected < 5) {
    return { method: 'fisher', difference, z, pValue: fisherExactLess(canary.passed, canary.total, live.passed, live.total) };
  }
  return { method: 'z', difference, z, pValue: normalUpperTail(-z) };
}
