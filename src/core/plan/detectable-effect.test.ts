import { describe, expect, it } from 'vitest';
import { examplesNeeded, minimumDetectableEffect, powerFor, TARGET_POWER, testLevel } from './detectable-effect.js';
import { connorPower, pairedCells } from './mcnemar-power.js';

describe('testLevel', () => {
  it('is α·w, capped at the 2.5% the 95% interval asks for', () => {
    expect(testLevel(1 / 6)).toBeCloseTo(0.05 / 6, 12);
    expect(testLevel(1)).toBe(0.025);
  });
});

describe('minimumDetectableEffect', () => {
  it('is the drop at which power crosses 80%', () => {
    const design = { n: 1000, baseRate: 0.85, rho: 0, weight: 1 / 6 };
    const mde = minimumDetectableEffect(design) as number;
    expect(powerFor(design, mde)).toBeGreaterThanOrEqual(TARGET_POWER);
    expect(powerFor(design, mde - 0.002)).toBeLessThan(TARGET_POWER);
    // Independent check by Connor's formula at the same level: within half a point.
    const connorAt = (d: number): number => connorPower(1000, pairedCells(0.85, d, 0), 0.05 / 6);
    let lo = 0;
    let hi = 0.85;
    for (let i = 0; i < 50; i++) {
      const mid = (lo + hi) / 2;
      if (connorAt(mid) >= 0.8) hi = mid;
      else lo = mid;
    }
    expect(Math.abs(mde - hi)).toBeLessThan(0.005);
  });

  it('is null below 10 examples, and when not even a total collapse reaches 80% power', () => {
    expect(minimumDetectableEffect({ n: 5, baseRate: 1, rho: 0, weight: 1 })).toBeNull();
    // 10 examples at a 30% pass rate: the most that can happen is 3 pass → fail pairs; P(X ≥ 3 | 3, ½) = 1/8 > 2.5%.
    expect(minimumDetectableEffect({ n: 10, baseRate: 0.3, rho: 0, weight: 1 })).toBeNull();
  });

  it('at 20 examples, all passing, a drop needs to be large: 6 of 20 pass → fail pairs are the least that can reject at 2.5%', () => {
    // P(X ≥ 6 | 6, ½) = 1/64 ≤ 0.025 < P(X ≥ 5 | 5, ½) = 1/32; with base rate 1 every failure is a pass → fail pair.
    const mde = minimumDetectableEffect({ n: 20, baseRate: 1, rho: 0, weight: 1 }) as number;
    expect(mde).toBeGreaterThan(0.3);
    expect(mde).toBeLessThan(0.5);
  });
});

describe('minimumDetectableEffect with shared critical counts', () => {
  it('gives every design the figure it gets alone, whatever was searched before at the same level', () => {
    // Small n (exact sums) and large n (Connor), levels repeated in a mixed order, as a gate's rows come.
    const designs = [250, 40, 10_000, 600, 25, 2_500, 120, 417].flatMap((n, i) =>
      [1 / 82, 1 / 6, 1 / 82].map((weight, j) => ({ n, baseRate: [0.85, 0.97, 0.6][(i + j) % 3] as number, rho: [0, 0.3][i % 2] as number, weight })),
    );
    const shared = new Map();
    for (const d of designs) expect(minimumDetectableEffect(d, shared)).toBe(minimumDetectableEffect(d));
    expect(shared.size).toBe(2); // one per level: 0.05 · 1/82 and 0.05 · 1/6
  });
});

describe('examplesNeeded', () => {
  it('finds the n at which the MDE is the chosen drop', () => {
    const design = { baseRate: 0.85, rho: 0.33, weight: 1 / 6 };
    const n = examplesNeeded(design, 0.05) as number;
    expect(powerFor({ ...design, n }, 0.05)).toBeGreaterThanOrEqual(TARGET_POWER);
    expect(powerFor({ ...design, n: Math.floor(n * 0.9) }, 0.05)).toBeLessThan(TARGET_POWER);
  });

  it('refuses a drop outside (0, 1] and gives null for a drop larger than the pass rate', () => {
    expect(() => examplesNeeded({ baseRate: 0.8, rho: 0, weight: 1 }, 5)).toThrow(/\(0, 1\]/);
    expect(examplesNeeded({ baseRate: 0.02, rho: 0, weight: 1 }, 0.05)).toBeNull();
  });
});
