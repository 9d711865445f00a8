/**
 * The in-control pass rate a change detector compares against: either given, or learned as the pooled
 * rate of a warm-up window (the first `warmup` traces seen). Pooling a whole number of weeks averages
 * out day-of-week variation.
 */
import type { Observation } from './change-detector.js';

export interface ReferenceLevel {
  /** Adds a warm-up observation; returns true once the reference is known. */
  learn(observation: Observation): boolean;
  /** The reference pass rate, or undefined while warming up. */
  rate(): number | undefined;
}

/**
 * @param given a known reference rate (no warm-up), or undefined to learn one
 * @param warmup traces to pool before the reference is fixed
 * @example const ref = referenceLevel(undefined, 2); ref.learn({ passed: 1, total: 2 }); ref.rate() // 0.5
 */
export function referenceLevel(given: number | undefined, warmup: number): ReferenceLevel {
  let passed = 0;
  let total = 0;
  let fixed = given;
  return {
    learn(o) {
      if (fixed !== undefined) return true;
      passed += o.passed;
      total += o.total;
      if (total >= warmup) {
        // Keep the rate strictly inside (0, 1) so log-likelihood ratios and variances stay finite.
        const half = 0.5 / total;
        fixed = Math.min(1 - half, Math.max(half, passed / total));
      }
      return fixed !== undefined;
    },
    rate: () => fixed,
  };
}
