import { EvalOpsError } from '../errors.js';
import { normalCdf, normalUpperTail } from '../stats/normal-cdf.js';

/**
 * Power of the gate's paired test for a drop in a pass rate: McNemar's exact test, one-sided ("is the
 * candidate worse?"), at a given level α′ — the level the gate's correction gives that one test at its
 * first step (stats/adjust-comparisons.ts).
 *
 * The design: n examples scored pass/fail by both runs; the baseline passes with probability p, the
 * candidate with q = p − Δ; their outcomes on one example correlate with ρ (the φ coefficient), so the
 * four cells are p11 = p·q + ρ·√(p(1−p)q(1−q)), p10 = p − p11 (pass → fail), p01 = q − p11. The
 * discordance ψ = p10 + p01 is the share of pairs that differ; with no change ψ = 2p(1−p)(1−ρ).
 *
 * Exact power (Miettinen 1968, "The matched pairs design in the case of all-or-none responses",
 * Biometrics 24:339–352; the unconditional power of the conditional test): the number of discordant
 * pairs M ~ Binomial(n, ψ); given M = m, the pass→fail count B ~ Binomial(m, p10/ψ); the test rejects
 * when P(Binomial(m, ½) ≥ B) ≤ α′ — and, when `intervalZ` is given, also (2B − m)/√m > intervalZ, the
 * large-sample form of the gate's other condition, a 95% interval of the delta wholly below 0 (the
 * Newcombe interval excludes 0 about when McNemar's uncorrected score statistic exceeds 1.96). Power = Σ_m P(M = m)·P(B ≥ b*(m) | m). When more than
 * {@link EXACT_LIMIT} discordant pairs are expected, the sum costs more than it can tell apart from
 * the normal approximation of Connor (1987, "Sample size for testing differences in proportions for
 * the paired-sample design", Biometrics 43:207–211): power = Φ((Δ√n − z_α′·√ψ) / √(ψ − Δ²)).
 */

/** Expected discordant pairs above which the normal approximation replaces the exact sum. */
export const EXACT_LIMIT = 400;

/** The 2×2 cell probabilities of a paired design (see the file header). */
export interface PairedCells {
  readonly p10: number;
  readonly p01: number;
}

/**
 * Cell probabilities for baseline rate p, drop Δ and correlation ρ; p11 is clamped to what the
 * margins allow (a ρ the margins cannot reach gives the nearest feasible table).
 * @example pairedCells(0.85, 0.05, 0) // { p10: 0.17, p01: 0.12 } (to rounding)
 */
export function pairedCells(baseRate: number, drop: number, rho: number): PairedCells {
  const p = baseRate;
  const q = p - drop;
  if (!(p >= 0 && p <= 1) || !(q >= 0 && q <= 1)) throw new EvalOpsError('input', `a baseline pass rate ${p} and a drop ${drop} give a candidate rate outside [0, 1]`);
  const raw = p * q + rho * Math.sqrt(p * (1 - p) * q * (1 - q));
  const p11 = Math.min(Math.min(p, q), Math.max(Math.max(0, p + q - 1), raw));
  return { p10: Math.max(0, p - p11), p01: Math.max(0, q - p11) };
}

/**
 * ρ from a measured discordance ψ₀ between two runs with no change at pass rate p:
 * ψ₀ = 2p(1−p)(1−ρ). Clamped to [−1, 1).
 * @example rhoFromDiscordance(0.17, 0.85) // ≈ 0.333
 */
export function rhoFromDiscordance(discordance: number, baseRate: number): number {
  const v = 2 * baseRate * (1 - baseRate);
  if (v <= 0) return 0;
  return Math.max(-1, Math.min(0.999, 1 - discordance / v));
}

/** z with P(Z > z) = upper, by bisection (60 halvings: far below any figure we print). */
export function normalQuantileUpper(upper: number): number {
  let lo = -40;
  let hi = 40;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (normalUpperTail(mid) > upper) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** ln k! for k = 0..n. */
function logFactorials(n: number): Float64Array {
  const out = new Float64Array(n + 1);
  for (let k = 2; k <= n; k++) out[k] = (out[k - 1] as number) + Math.log(k);
  return out;
}

function logPmf(k: number, m: number, logP: number, logQ: number, lf: Float64Array): number {
  return (lf[m] as number) - (lf[k] as number) - (lf[m - k] as number) + k * logP + (m - k) * logQ;
}

/** P(X ≥ k) for X ~ Binomial(m, π), summing from k away from the mode so the terms shrink. */
function upperTail(k: number, m: number, pi: number, lf: Float64Array): number {
  if (k <= 0) return 1;
  if (k > m) return 0;
  if (pi <= 0) return 0;
  if (pi >= 1) return 1;
  const logP = Math.log(pi);
  const logQ = Math.log(1 - pi);
  const mode = Math.floor((m + 1) * pi);
  // One exp for the first term, then the ratio P(j ± 1) / P(j): the terms shrink away from the mode.
  const odds = pi / (1 - pi);
  if (k > mode) {
    let t = Math.exp(logPmf(k, m, logP, logQ, lf));
    let sum = 0;
    for (let j = k; j <= m; j++) {
      sum += t;
      if (t < sum * 1e-15) break;
      t *= ((m - j) / (j + 1)) * odds;
    }
    return Math.min(1, sum);
  }
  let t = Math.exp(logPmf(k - 1, m, logP, logQ, lf));
  let lower = 0;
  for (let j = k - 1; j >= 0; j--) {
    lower += t;
    if (t < lower * 1e-15) break;
    t *= (j / (m - j + 1)) / odds;
  }
  return Math.max(0, 1 - lower);
}

/** Smallest b with P(Binomial(m, ½) ≥ b) ≤ α′ (m + 1 when no b qualifies). */
function criticalCount(m: number, alpha: number, lf: Float64Array, zAlpha: number): number {
  let b = Math.max(0, Math.min(m + 1, Math.ceil(m / 2 + (zAlpha * Math.sqrt(m)) / 2)));
  while (b <= m && upperTail(b, m, 0.5, lf) > alpha) b++;
  while (b > 0 && upperTail(b - 1, m, 0.5, lf) <= alpha) b--;
  return b;
}

/**
 * Power of the one-sided exact McNemar test at level α′ for n pairs with cells {p10, p01}
 * (exact sum, or Connor's normal approximation past {@link EXACT_LIMIT} expected discordant pairs).
 * @example mcnemarPower(1000, pairedCells(0.85, 0.05, 0), 0.025) // ≈ 0.82
 */
export function mcnemarPower(n: number, cells: PairedCells, alpha: number, intervalZ = 0, cache?: CriticalCounts): number {
  if (!Number.isInteger(n) || n < 0) throw new EvalOpsError('input', `n must be a whole number ≥ 0, not ${n}`);
  if (!(alpha > 0 && alpha < 1)) return 0;
  const psi = cells.p10 + cells.p01;
  if (n === 0 || psi <= 0) return 0;
  if (n * psi > EXACT_LIMIT) {
    // The cache's z_α′ is normalQuantileUpper(α′) already: the same figure without 60 bisection steps.
    if (cache !== undefined && cache.alpha === alpha && cache.intervalZ === intervalZ) return connorPowerAtZ(n, cells, Math.max(cache.zAlpha, intervalZ));
    return connorPower(n, cells, alpha, intervalZ);
  }
  return exactPower(n, cells, alpha, intervalZ, cache);
}

/**
 * Critical counts b*(m) of one level and interval condition, kept between the power evaluations of
 * one search (they depend on m, α′ and z only, not on the drop, n or ρ), so searches at the same level
 * may share one (gate-visibility.ts shares one per level across the rows of a gate).
 */
export interface CriticalCounts {
  readonly alpha: number;
  readonly intervalZ: number;
  readonly byM: Map<number, number>;
  /** z with P(Z > z) = α′: the starting guess of every critical count. */
  readonly zAlpha: number;
  /** ln k! up to the largest n seen so far. */
  logFactorials: Float64Array;
}

/** @example const cache = criticalCounts(0.025, 1.96) */
export function criticalCounts(alpha: number, intervalZ = 0): CriticalCounts {
  return { alpha, intervalZ, byM: new Map(), zAlpha: normalQuantileUpper(alpha), logFactorials: new Float64Array(1) };
}

/** Connor (1987): Φ((Δ√n − z·√ψ) / √(ψ − Δ²)) with z = max(z_α′, intervalZ). */
export function connorPower(n: number, cells: PairedCells, alpha: number, intervalZ = 0): number {
  return connorPowerAtZ(n, cells, Math.max(normalQuantileUpper(alpha), intervalZ));
}

/** {@link connorPower} for a critical value z already worked out (searches call it many times). */
export function connorPowerAtZ(n: number, cells: PairedCells, z: number): number {
  const psi = cells.p10 + cells.p01;
  const delta = cells.p10 - cells.p01;
  const spread = Math.sqrt(Math.max(1e-300, psi - delta * delta));
  return normalCdf((delta * Math.sqrt(n) - z * Math.sqrt(psi)) / spread);
}

function exactPower(n: number, cells: PairedCells, alpha: number, intervalZ: number, cache: CriticalCounts | undefined): number {
  const psi = cells.p10 + cells.p01;
  if (psi <= 0) return 0;
  const pi = cells.p10 / psi;
  let lf: Float64Array;
  if (cache && cache.logFactorials.length > n) lf = cache.logFactorials;
  else {
    lf = logFactorials(n);
    if (cache) cache.logFactorials = lf;
  }
  const usable = cache !== undefined && cache.alpha === alpha && cache.intervalZ === intervalZ ? cache : undefined;
  const memo = usable ? usable.byM : new Map<number, number>();
  const zAlpha = usable ? usable.zAlpha : normalQuantileUpper(alpha);
  // M ~ Binomial(n, ψ): only m within 7 standard deviations of the mean carry weight (< 1e-11 outside).
  const mean = n * psi;
  const sd = Math.sqrt(n * psi * (1 - psi));
  const from = Math.max(0, Math.floor(mean - 7 * sd - 1));
  const to = Math.min(n, Math.ceil(mean + 7 * sd + 1));
  const logPsi = Math.log(psi);
  const logNot = psi < 1 ? Math.log(1 - psi) : -Infinity;
  let power = 0;
  for (let m = from; m <= to; m++) {
    const weight = psi >= 1 ? (m === n ? 1 : 0) : Math.exp(logPmf(m, n, logPsi, logNot, lf));
    if (weight === 0) continue;
    let b = memo.get(m);
    if (b === undefined) {
      b = Math.max(criticalCount(m, alpha, lf, zAlpha), intervalZ > 0 ? Math.floor((m + intervalZ * Math.sqrt(m)) / 2) + 1 : 0);
      memo.set(m, b);
    }
    if (b > m) continue;
    power += weight * upperTail(b, m, pi, lf);
  }
  return Math.min(1, power);
}
