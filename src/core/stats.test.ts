import { describe, expect, it } from 'vitest';
import { meanInterval, quantileSorted, wilsonInterval } from './stats.js';

describe('wilsonInterval', () => {
  // Reference values: Newcombe (1998), "Two-sided confidence intervals for the single proportion",
  // Table I, method 3 (Wilson score without continuity correction).
  it('matches Newcombe 1998 for 81/263', () => {
    const [lo, hi] = wilsonInterval(81, 263)!;
    expect(lo).toBeCloseTo(0.2553, 4);
    expect(hi).toBeCloseTo(0.3662, 4);
  });
  it('matches Newcombe 1998 for 15/148', () => {
    const [lo, hi] = wilsonInterval(15, 148)!;
    expect(lo).toBeCloseTo(0.0624, 4);
    expect(hi).toBeCloseTo(0.1605, 4);
  });
  it('matches Newcombe 1998 for 0/20 and 1/29', () => {
    const [lo0, hi0] = wilsonInterval(0, 20)!;
    expect(lo0).toBe(0);
    expect(hi0).toBeCloseTo(0.1611, 4);
    const [lo1, hi1] = wilsonInterval(1, 29)!;
    expect(lo1).toBeCloseTo(0.0061, 4);
    expect(hi1).toBeCloseTo(0.1718, 4);
  });
  it('is null for no observations', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
  });
});

describe('meanInterval', () => {
  it('gives mean ± 1.96·s/√n', () => {
    const xs = [2, 4, 4, 4, 5, 5, 7, 9];
    const sum = xs.reduce((a, b) => a + b, 0);
    const ss = xs.reduce((a, b) => a + b * b, 0);
    const [lo, hi] = meanInterval(xs.length, sum, ss)!;
    const s = Math.sqrt(32 / 7); // sample variance of the classic example is 32/7
    expect(lo).toBeCloseTo(5 - 1.959964 * (s / Math.sqrt(8)), 6);
    expect(hi).toBeCloseTo(5 + 1.959964 * (s / Math.sqrt(8)), 6);
  });
  it('is null below two observations', () => {
    expect(meanInterval(1, 3, 9)).toBeNull();
  });
});

describe('quantileSorted', () => {
  // R: quantile(c(1,2,3,4,5,6,7,8,9,10), c(.5,.95)) gives 5.5 and 9.55 (type 7).
  it('matches R type 7', () => {
    const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(quantileSorted(xs, 0.5)).toBeCloseTo(5.5, 10);
    expect(quantileSorted(xs, 0.95)).toBeCloseTo(9.55, 10);
    expect(quantileSorted([7], 0.95)).toBe(7);
    expect(quantileSorted([], 0.5)).toBeNull();
  });
});
