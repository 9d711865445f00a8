import { describe, expect, it } from 'vitest';
import { EvalOpsError } from '../errors.js';
import { mcnemarExact, mcnemarMidP } from './mcnemar-exact.js';

/**
 * Exact two-sided p of the binomial test with p = ½, in rational arithmetic (BigInt), as an
 * independent reference for large tables where no published value exists.
 */
function exactReference(b: number, c: number, mid: boolean): number {
  const n = b + c;
  const m = Math.min(b, c);
  let choose = 1n;
  let below = 0n; // Σ_{k<m} C(n,k)
  for (let k = 0; k < m; k++) {
    below += choose;
    choose = (choose * BigInt(n - k)) / BigInt(k + 1);
  }
  const atM = choose; // C(n, m)
  const numerator = mid ? 2n * below + atM : 2n * (below + atM);
  // numerator / 2^n as a double: keep 60 significant bits of the quotient.
  const scale = 60n;
  const q = (numerator << scale) >> BigInt(n);
  return Math.min(1, Number(q) / 2 ** 60);
}

describe('mcnemarExact', () => {
  // Fagerland, Lydersen & Laake (2013), "The McNemar test for binary matched-pairs data: mid-p and
  // asymptotic are better than exact conditional", BMC Med Res Methodol 13:91, worked examples:
  // Bentur et al. (2009) airway hyper-responsiveness, discordant pairs 1 and 7: exact p = 0.070,
  // mid-p = 0.039; Cavo et al. (2012) complete response, discordant pairs 6 and 16: exact p = 0.052,
  // mid-p = 0.035.
  it('matches the published exact p-values of Fagerland et al. (2013)', () => {
    expect(mcnemarExact(1, 7)).toBeCloseTo(0.070, 3);
    expect(mcnemarExact(6, 16)).toBeCloseTo(0.052, 3);
  });
  it('equals R binom.test(1, 8)$p.value = 0.0703125 exactly and is symmetric in b and c', () => {
    expect(mcnemarExact(1, 7)).toBeCloseTo(0.0703125, 14);
    expect(mcnemarExact(7, 1)).toBeCloseTo(0.0703125, 14);
  });
  it('is 1 without discordant pairs and when b equals c', () => {
    expect(mcnemarExact(0, 0)).toBe(1);
    expect(mcnemarExact(5, 5)).toBe(1);
    expect(mcnemarExact(500, 500)).toBe(1);
  });
  it('gives 2^(1-n) when every discordant pair went one way', () => {
    expect(mcnemarExact(0, 10)).toBeCloseTo(2 / 1024, 15);
    expect(mcnemarExact(0, 1)).toBe(1);
  });
  it('stays accurate for tens of thousands of discordant pairs', () => {
    for (const [b, c] of [
      [4_900, 5_100],
      [9_800, 10_200],
      [9_990, 10_010],
      [100, 19_900],
    ] as const) {
      const ref = exactReference(b, c, false);
      const got = mcnemarExact(b, c);
      expect(Number.isFinite(got)).toBe(true);
      if (ref > 1e-300) expect(Math.abs(got - ref) / ref).toBeLessThan(1e-9);
      else expect(got).toBeLessThan(1e-300);
    }
  });
  it('refuses counts that are negative or not whole', () => {
    expect(() => mcnemarExact(-1, 3)).toThrow(EvalOpsError);
    expect(() => mcnemarExact(1.5, 3)).toThrow(/whole counts/);
    expect(() => mcnemarExact(1, Number.NaN)).toThrow(EvalOpsError);
  });
});

describe('mcnemarMidP', () => {
  it('matches the published mid-p values of Fagerland et al. (2013)', () => {
    expect(mcnemarMidP(1, 7)).toBeCloseTo(0.039, 3);
    expect(mcnemarMidP(6, 16)).toBeCloseTo(0.035, 3);
    expect(mcnemarMidP(1, 7)).toBeCloseTo(10 / 256, 14);
  });
  it('is below the exact p and agrees with rational arithmetic on large tables', () => {
    expect(mcnemarMidP(6, 16)).toBeLessThan(mcnemarExact(6, 16));
    const ref = exactReference(9_800, 10_200, true);
    expect(Math.abs(mcnemarMidP(9_800, 10_200) - ref) / ref).toBeLessThan(1e-9);
  });
  it('is 1 when there is nothing to compare or the split is even', () => {
    expect(mcnemarMidP(0, 0)).toBe(1);
    expect(mcnemarMidP(4, 4)).toBeCloseTo(1, 14);
  });
});
