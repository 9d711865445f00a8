import type { Lifecycle } from './metric.js';

export interface LifecycleRecommendation {
  readonly metric: string;
  readonly current: Lifecycle;
  readonly recommended: Lifecycle;
  readonly reason: string;
}

export interface LifecyclePolicy {
  /** How many recent runs the rules look at. */
  readonly window: number;
  /** A capability metric at or above this pass rate in every recent run graduates to regression. */
  readonly graduateAt: number;
}

export const DEFAULT_LIFECYCLE_POLICY: LifecyclePolicy = { window: 5, graduateAt: 0.95 };

/**
 * Recommends a metric's next lifecycle state from its recent pass rates (newest first):
 * - capability → regression when it stayed ≥ 95% in each of the last K runs (it is now a guard-rail);
 * - capability or regression → saturated when it was 100% in each of the last K runs (it no longer
 *   tells releases apart: run it less often, or retire it);
 * - saturated → regression again when it dropped below 100% (it found something).
 * Returns undefined when the history is too short or nothing should change. Retired metrics are left.
 */
export function recommendLifecycle(metric: string, current: Lifecycle, passRates: readonly (number | null)[], policy: LifecyclePolicy = DEFAULT_LIFECYCLE_POLICY): LifecycleRecommendation | undefined {
  if (current === 'retired') return undefined;
  const recent = passRates.slice(0, policy.window);
  if (recent.length === 0 || recent[0] === null || recent[0] === undefined) return undefined;
  if (current === 'saturated') {
    const latest = recent[0];
    return latest < 1 ? { metric, current, recommended: 'regression', reason: `dropped to ${(latest * 100).toFixed(1)}% in the latest run: it catches failures again` } : undefined;
  }
  if (recent.length < policy.window || recent.some((r) => r === null)) return undefined;
  const rates = recent as number[];
  if (rates.every((r) => r === 1)) {
    return { metric, current, recommended: 'saturated', reason: `100% in each of the last ${policy.window} runs: it no longer separates good from bad releases — run it less often or retire it` };
  }
  if (current === 'capability' && rates.every((r) => r >= policy.graduateAt)) {
    return { metric, current, recommended: 'regression', reason: `≥ ${(policy.graduateAt * 100).toFixed(0)}% in each of the last ${policy.window} runs: the capability is learnt; guard it against regressions` };
  }
  return undefined;
}
