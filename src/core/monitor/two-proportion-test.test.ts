import { describe, expect, it } from 'vitest';
import { fisherExactLess } from './fisher-exact-test.js';
import { twoProportionTest } from './two-proportion-test.js';

/** Pearson's χ² of a 2×2 table, computed from expected counts (independent of the z formula). */
function pearsonChiSquare(x1: number, n1: number, x2: number, n2: number): number {
  const cells = [x1, n1 - x1, x2, n2 - x2];
  const rows = [n1, n1, n2, n2];
  const cols = [x1 + x2, n1 + n2 - x1 - x2, x1 + x2, n1 + n2 - x1 - x2];
  const n = n1 + n2;
  return cells.reduce((s, o, i) => {
    const e = ((rows[i] as number) * (cols[i] as number)) / n;
    return s + (o - e) ** 2 / e;
  }, 0);
}

describe('fisherExactLess', () => {
  // Fisher (1935), The Design of Experiments, §2: the lady tasting tea, 8 cups, 4 of each kind; 3 of 4
  // right has probability 16/70 and all 4 right 1/70, so the one-sided p-value is 17/70.
  it('gives Fisher’s published 17/70 for the lady tasting tea, and 1/70 for a perfect score', () => {
    expect(fisherExactLess(1, 4, 3, 4)).toBeCloseTo(17 / 70, 14);
    expect(fisherExactLess(0, 4, 4, 4)).toBeCloseTo(1 / 70, 14);
  });
  it('is 1 when A has every pass it could have', () => {
    expect(fisherExactLess(4, 4, 0, 4)).toBe(1);
  });
  it('rejects impossible tables', () => {
    expect(() => fisherExactLess(5, 4, 0, 4)).toThrow(/exceed/);
    expect(() => fisherExactLess(-1, 4, 0, 4)).toThrow(/whole/);
  });
});

describe('twoProportionTest', () => {
  it('z² equals Pearson’s χ² without continuity correction, and p is the lower normal tail', () => {
    const r = twoProportionTest({ passed: 800, total: 1000 }, { passed: 850, total: 1000 });
    expect(r.method).toBe('z');
    expect(r.z * r.z).toBeCloseTo(pearsonChiSquare(800, 1000, 850, 1000), 10);
    expect(r.z).toBeCloseTo(-0.05 / Math.sqrt(0.825 * 0.175 * 0.002), 12);
    expect(r.pValue).toBeCloseTo(0.001631, 5);
    expect(r.difference).toBeCloseTo(-0.05, 12);
  });
  it('gives p = 0.5 for equal rates and a large p when the canary is better', () => {
    expect(twoProportionTest({ passed: 85, total: 100 }, { passed: 850, total: 1000 }).pValue).toBeCloseTo(0.5, 12);
    expect(twoProportionTest({ passed: 95, total: 100 }, { passed: 850, total: 1000 }).pValue).toBeGreaterThan(0.99);
  });
  it('switches to Fisher’s exact test when an expected count is below 5', () => {
    const r = twoProportionTest({ passed: 1, total: 4 }, { passed: 3, total: 4 });
    expect(r.method).toBe('fisher');
    expect(r.pValue).toBeCloseTo(17 / 70, 14);
  });
  it('refuses an empty side', () => {
    expect(() => twoProportionTest({ passed: 0, total: 0 }, { passed: 1, total: 2 })).toThrow(/at least one trace/);
  });
});
