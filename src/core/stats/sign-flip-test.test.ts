import { describe, expect, it } from 'vitest';
import { EvalOpsError } from '../errors.js';
import { mcnemarExact } from './mcnemar-exact.js';
import { normalTwoSidedP } from './normal-cdf.js';
import { signFlipTest } from './sign-flip-test.js';

describe('signFlipTest', () => {
  it("reproduces Fisher's randomization test on Darwin's Zea mays data", () => {
    // Fisher (1935), The Design of Experiments, §21: 15 paired differences in eighths of an inch; 863
    // of the 2^15 = 32,768 sign patterns give a sum at least as large as the observed 314, so the
    // two-sided p is 2 × 863 / 32,768 = 0.0527.
    const darwin = Float64Array.of(49, -67, 8, 16, 6, 23, 28, 41, 14, 29, 56, 24, 75, 60, -48);
    expect(signFlipTest(darwin)).toBeCloseTo(1726 / 32768, 15);
  });

  it("equals McNemar's exact test for 0/1 outcomes", () => {
    for (const [b, c] of [
      [1, 7],
      [6, 14],
      [0, 5],
      [0, 1],
      [3, 3],
      [10, 10],
    ] as const) {
      const deltas = Float64Array.from([...Array<number>(b).fill(-1), ...Array<number>(c).fill(1), 0, 0, 0]);
      expect(signFlipTest(deltas)).toBeCloseTo(mcnemarExact(b, c), 12);
    }
  });

  it('uses the normal approximation beyond 20 non-zero deltas', () => {
    // 0/1 outcomes with 30 discordant pairs: the asymptotic McNemar z = (c − b)/√(b + c).
    const deltas = Float64Array.from([...Array<number>(10).fill(-1), ...Array<number>(20).fill(1)]);
    expect(signFlipTest(deltas)).toBeCloseTo(normalTwoSidedP(10 / Math.sqrt(30)), 14);
  });

  it('ignores unchanged examples and rounding dust, and is 1 when nothing changed', () => {
    expect(signFlipTest(new Float64Array(100))).toBe(1);
    expect(signFlipTest(Float64Array.of(1e-15, -1e-14, 0))).toBe(1);
    expect(signFlipTest(Float64Array.of(0.5, 0.5, 0.5, 1e-15))).toBeCloseTo(2 / 8, 15);
  });

  it('counts ties with the observed sum as extreme despite floating-point error', () => {
    // 1/3 + 1/3 + 1/3 against the pattern +1/3 +1/3 −1/3 … every pattern's |sum| is 1/3 or 1.
    const third = 1 / 3;
    expect(signFlipTest(Float64Array.of(third, third, -third))).toBe(1);
  });

  it('refuses non-finite deltas', () => {
    expect(() => signFlipTest(Float64Array.of(0.1, Number.POSITIVE_INFINITY))).toThrow(EvalOpsError);
  });
});
