import { describe, expect, it } from 'vitest';
import { mcnemarExact } from '../stats/mcnemar-exact.js';
import { connorPower, EXACT_LIMIT, mcnemarPower, normalQuantileUpper, pairedCells, rhoFromDiscordance } from './mcnemar-power.js';

/**
 * Independent computation: enumerate every 2×2 outcome (b pass→fail, c fail→pass) of n pairs under
 * the multinomial model and add up the probability of those the gate's own test (the codebase's
 * mcnemarExact, two-sided p halved for the observed direction) rejects at the one-sided level.
 */
function bruteForcePower(n: number, p10: number, p01: number, alpha: number, intervalZ = 0): number {
  const rest = 1 - p10 - p01;
  const lf = [0];
  for (let k = 1; k <= n; k++) lf.push((lf[k - 1] as number) + Math.log(k));
  let power = 0;
  for (let b = 0; b <= n; b++) {
    for (let c = 0; b + c <= n; c++) {
      if (b <= c) continue;
      const oneSided = mcnemarExact(b, c) / 2;
      if (oneSided > alpha) continue;
      if ((b - c) / Math.sqrt(b + c) <= intervalZ) continue;
      const term = (k: number, p: number): number => (k === 0 ? 0 : k * Math.log(p));
      const logP = (lf[n] as number) - (lf[b] as number) - (lf[c] as number) - (lf[n - b - c] as number) + term(b, p10) + term(c, p01) + term(n - b - c, rest);
      power += Math.exp(logP);
    }
  }
  return power;
}

/** Connor's (1987) sample size: n = ((z_α·√ψ + z_β·√(ψ − Δ²)) / Δ)². */
function connorN(p10: number, p01: number, alpha: number, power: number): number {
  const psi = p10 + p01;
  const d = Math.abs(p10 - p01);
  return ((normalQuantileUpper(alpha) * Math.sqrt(psi) + normalQuantileUpper(1 - power) * Math.sqrt(psi - d * d)) / d) ** 2;
}

describe('pairedCells', () => {
  it('gives the independent table at ρ = 0 and the no-change discordance 2p(1−p)(1−ρ)', () => {
    const cells = pairedCells(0.85, 0.05, 0);
    expect(cells.p10).toBeCloseTo(0.85 * 0.2, 12);
    expect(cells.p01).toBeCloseTo(0.15 * 0.8, 12);
    const same = pairedCells(0.85, 0, 0.33);
    expect(same.p10 + same.p01).toBeCloseTo(2 * 0.85 * 0.15 * 0.67, 12);
    expect(rhoFromDiscordance(same.p10 + same.p01, 0.85)).toBeCloseTo(0.33, 12);
  });

  it('refuses a drop that takes the candidate below 0', () => {
    expect(() => pairedCells(0.1, 0.2, 0)).toThrow(/outside \[0, 1\]/);
  });
});

describe('connorPower', () => {
  // Published reference values for Connor's (1987) formula:
  // - powerandsamplesize.com, "McNemar's Z-test, 1-Sided": p01 = 0.45, p10 = 0.05, α = 0.05, power 90% → n = 23 (ceiling);
  // - clinicaltrials-tools "McNemar's Test Sample Size Calculator" (Connor 1987): ψ = 0.45, |p10 − p01| = 0.15,
  //   two-sided α = 0.05 (one-sided 0.025), 80% power → n = 155, achieved power 80.1%.
  it('reproduces published sample sizes', () => {
    expect(Math.ceil(connorN(0.45, 0.05, 0.05, 0.9))).toBe(23);
    expect(Math.ceil(connorN(0.3, 0.15, 0.025, 0.8))).toBe(155);
    expect(connorPower(155, { p10: 0.3, p01: 0.15 }, 0.025)).toBeCloseTo(0.801, 3);
    expect(connorPower(Math.ceil(connorN(0.45, 0.05, 0.05, 0.9)), { p10: 0.45, p01: 0.05 }, 0.05)).toBeGreaterThanOrEqual(0.9);
  });
});

describe('mcnemarPower', () => {
  it('equals brute-force enumeration of every table, tested with the gate’s own McNemar test', () => {
    for (const [n, p10, p01, alpha] of [
      [30, 0.3, 0.1, 0.025],
      [60, 0.17, 0.12, 0.05],
      [40, 0.2, 0.05, 0.05 / 6],
      [12, 0.5, 0, 0.025],
    ] as const) {
      expect(mcnemarPower(n, { p10, p01 }, alpha)).toBeCloseTo(bruteForcePower(n, p10, p01, alpha), 10);
    }
  });

  it('with the interval condition too, equals enumeration of tables passing both conditions', () => {
    for (const [n, p10, p01, alpha] of [
      [50, 0.2, 0.08, 0.05],
      [80, 0.17, 0.12, 0.05 / 2],
    ] as const) {
      const both = mcnemarPower(n, { p10, p01 }, alpha, 1.959963984540054);
      expect(both).toBeCloseTo(bruteForcePower(n, p10, p01, alpha, 1.959963984540054), 10);
      expect(both).toBeLessThanOrEqual(mcnemarPower(n, { p10, p01 }, alpha) + 1e-12);
    }
  });

  it('is at most α with no change (the exact test is conservative)', () => {
    const cells = pairedCells(0.85, 0, 0);
    const size = mcnemarPower(400, cells, 0.025);
    expect(size).toBeLessThanOrEqual(0.025);
    expect(size).toBeGreaterThan(0.01);
  });

  it('agrees with Connor’s approximation within 2 points for hundreds of discordant pairs', () => {
    const cells = pairedCells(0.85, 0.05, 0);
    expect(1000 * (cells.p10 + cells.p01)).toBeLessThan(EXACT_LIMIT);
    const exact = mcnemarPower(1000, cells, 0.025);
    expect(Math.abs(exact - connorPower(1000, cells, 0.025))).toBeLessThan(0.02);
    // Past the limit the approximation is used: continuous across it.
    const big = pairedCells(0.85, 0.01, 0);
    const nAt = Math.ceil(EXACT_LIMIT / (big.p10 + big.p01));
    expect(Math.abs(mcnemarPower(nAt - 1, big, 0.01) - mcnemarPower(nAt + 1, big, 0.01))).toBeLessThan(0.02);
  });

  it('grows with n and with the drop, and falls with the level', () => {
    const c = pairedCells(0.85, 0.05, 0.33);
    expect(mcnemarPower(1000, c, 0.025)).toBeGreaterThan(mcnemarPower(500, c, 0.025));
    expect(mcnemarPower(500, pairedCells(0.85, 0.08, 0.33), 0.025)).toBeGreaterThan(mcnemarPower(500, c, 0.025));
    expect(mcnemarPower(500, c, 0.005)).toBeLessThan(mcnemarPower(500, c, 0.025));
  });
});
