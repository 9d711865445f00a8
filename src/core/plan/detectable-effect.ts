import { MIN_EXAMPLES, VERDICT_ALPHA } from '../compare-metric.js';
import { EvalOpsError } from '../errors.js';
import { Z95 } from '../stats.js';
import { connorPowerAtZ, criticalCounts, mcnemarPower, pairedCells, type CriticalCounts } from './mcnemar-power.js';

/** The power a rule is planned for: a drop is "detectable" when the gate catches it 80% of the time. */
export const TARGET_POWER = 0.8;

/**
 * The one-sided level a `regressed` verdict needs at most, whatever the correction gives: the verdict
 * also needs the 95% (two-sided) interval of the delta to lie below 0, which on its own asks about as
 * much as a one-sided test at 2.5% (compare-metric.ts verdictFor). Power is computed with both
 * conditions ({@link powerFor}); this is the level reports show.
 */
export const INTERVAL_LEVEL = 0.025;

/** What the planner needs to know of one test of the gate. */
export interface PowerDesign {
  /** Paired examples. */
  readonly n: number;
  /** The baseline's pass rate (0..1). */
  readonly baseRate: number;
  /** Correlation of the two runs' outcomes on one example (see mcnemar-power.ts). */
  readonly rho: number;
  /** The test's weight in the gate's correction (its share of α at the first step). */
  readonly weight: number;
}

/**
 * The one-sided level the gate tests this comparison at, at the first step of its correction:
 * α·w, and at most {@link INTERVAL_LEVEL}. Planning at the first step is the conservative choice: a
 * later step (after other tests were rejected) only ever has a larger level.
 * @example testLevel(0.5) // 0.025
 */
export function testLevel(weight: number): number {
  return Math.min(VERDICT_ALPHA * weight, INTERVAL_LEVEL);
}

/**
 * Power of the gate's test of one comparison against a drop of `drop` (0..1): exact one-sided McNemar
 * at α·w (the first step of the correction), and the 95% interval below 0.
 * @example powerFor({ n: 1000, baseRate: 0.85, rho: 0, weight: 1 }, 0.05) // ≈ 0.82
 */
export function powerFor(design: PowerDesign, drop: number, cache?: CriticalCounts): number {
  if (design.n < MIN_EXAMPLES || design.weight <= 0) return 0;
  if (drop <= 0) return 0;
  const d = Math.min(drop, design.baseRate);
  return mcnemarPower(design.n, pairedCells(design.baseRate, d, design.rho), VERDICT_ALPHA * design.weight, Z95, cache);
}

/**
 * Minimum detectable effect: the smallest drop (0..1, on the pass-rate scale) the gate catches with
 * {@link TARGET_POWER}, to 0.1 point; null when no drop can be (n below {@link MIN_EXAMPLES}, a zero
 * weight, or not even a candidate that fails everything would be caught 80% of the time).
 * Power grows with the drop at a fixed ρ, so bisection finds it.
 * @example minimumDetectableEffect({ n: 1000, baseRate: 0.85, rho: 0.33, weight: 1 / 6 }) // ≈ 0.045
 */
export function minimumDetectableEffect(design: PowerDesign, caches?: Map<number, CriticalCounts>): number | null {
  if (design.n < MIN_EXAMPLES || design.weight <= 0 || design.baseRate <= 0) return null;
  const cache = levelCache(VERDICT_ALPHA * design.weight, caches);
  const at = (drop: number): number => powerFor(design, drop, cache);
  if (at(design.baseRate) < TARGET_POWER) return null;
  // Bracket around Connor's large-sample answer first, so the exact sum is evaluated a few times only.
  const z = Math.max(cache.zAlpha, Z95); // cache.zAlpha = normalQuantileUpper(α·w)
  let lo = 0;
  let hi = design.baseRate;
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (connorPowerAtZ(design.n, pairedCells(design.baseRate, mid, design.rho), z) >= TARGET_POWER) hi = mid;
    else lo = mid;
  }
  const guess = hi;
  lo = Math.max(0, guess - 0.02);
  hi = Math.min(design.baseRate, guess + 0.02);
  if (at(hi) < TARGET_POWER) hi = design.baseRate;
  if (lo > 0 && at(lo) >= TARGET_POWER) lo = 0;
  while (hi - lo > 0.0005) {
    const mid = (lo + hi) / 2;
    if (at(mid) >= TARGET_POWER) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * The critical counts of one level with the gate's interval condition: from `caches` (filled on first
 * use) when given, so the searches of many tests at one level share their critical counts and z_α′.
 * Sharing changes no figure: the counts depend on the level alone.
 */
function levelCache(alpha: number, caches: Map<number, CriticalCounts> | undefined): CriticalCounts {
  let cache = caches?.get(alpha);
  if (cache === undefined) {
    cache = criticalCounts(alpha, Z95);
    caches?.set(alpha, cache);
  }
  return cache;
}

/**
 * Paired examples needed to catch a drop of `drop` with `power` (default {@link TARGET_POWER}) at this baseline rate,
 * ρ and weight: the smallest n found by bisection (the exact test's power zig-zags by a point or so
 * with n, so a slightly smaller n may also reach it); null when the drop is larger than the rate.
 * @example examplesNeeded({ baseRate: 0.85, rho: 0, weight: 1 }, 0.05) // ≈ 960
 */
export function examplesNeeded(design: Omit<PowerDesign, 'n'>, drop: number, power: number = TARGET_POWER): number | null {
  if (!(drop > 0 && drop <= 1)) throw new EvalOpsError('input', `the drop to plan for must lie in (0, 1] (e.g. 0.05 for 5 points), not ${drop}`);
  if (!(power > 0 && power < 1)) throw new EvalOpsError('input', `the power to plan for must lie in (0, 1) (e.g. 0.8), not ${power}`);
  if (drop > design.baseRate || design.weight <= 0) return null;
  const at = (n: number): number => powerFor({ ...design, n }, drop);
  let hi = MIN_EXAMPLES;
  while (at(hi) < power) {
    hi *= 2;
    if (hi > 50_000_000) return null;
  }
  let lo = Math.max(MIN_EXAMPLES - 1, Math.floor(hi / 2));
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (at(mid) >= power) hi = mid;
    else lo = mid;
  }
  return hi;
}
