import { describe, expect, it } from 'vitest';
import { normalCdf, normalTwoSidedP, normalUpperTail } from './normal-cdf.js';

// Reference values: R's pnorm() (R Core Team), which implements Cody (1993) algorithm 715 to full
// double precision; the same figures appear in Abramowitz & Stegun (1964) Table 26.1.
describe('normalUpperTail', () => {
  it('matches pnorm in the body of the distribution', () => {
    expect(normalUpperTail(0)).toBe(0.5);
    expect(normalUpperTail(1)).toBeCloseTo(0.15865525393145707, 14); // pnorm(-1)
    expect(normalUpperTail(2)).toBeCloseTo(0.022750131948179212, 14); // pnorm(-2)
    expect(normalUpperTail(1.959963984540054)).toBeCloseTo(0.025, 14); // qnorm(0.975)
  });
  it('keeps relative precision in the far tail', () => {
    const rel = (x: number, ref: number): number => Math.abs(normalUpperTail(x) - ref) / ref;
    expect(rel(3, 1.3498980316300946e-3)).toBeLessThan(1e-12); // pnorm(-3)
    expect(rel(5, 2.866515718791939e-7)).toBeLessThan(1e-12); // pnorm(-5)
    expect(rel(8, 6.22096057427178e-16)).toBeLessThan(1e-10); // pnorm(-8)
    expect(rel(10, 7.619853024160527e-24)).toBeLessThan(1e-10); // pnorm(-10)
  });
  it('is continuous where the series hands over to the continued fraction', () => {
    const below = normalUpperTail(3 - 1e-12);
    const above = normalUpperTail(3);
    expect(Math.abs(below - above) / above).toBeLessThan(1e-9);
  });
  it('handles the negative axis, infinities and NaN', () => {
    expect(normalUpperTail(-1)).toBeCloseTo(0.8413447460685429, 14);
    expect(normalUpperTail(Infinity)).toBe(0);
    expect(normalUpperTail(-Infinity)).toBe(1);
    expect(normalUpperTail(Number.NaN)).toBeNaN();
  });
});

describe('normalCdf', () => {
  it('is the lower tail', () => {
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 14);
    expect(normalCdf(1.6448536269514722)).toBeCloseTo(0.95, 14); // qnorm(0.95)
  });
});

describe('normalTwoSidedP', () => {
  it('doubles the tail of |z| and never exceeds 1', () => {
    expect(normalTwoSidedP(1.959963984540054)).toBeCloseTo(0.05, 14);
    expect(normalTwoSidedP(-1.959963984540054)).toBeCloseTo(0.05, 14);
    expect(normalTwoSidedP(0)).toBe(1);
    expect(normalTwoSidedP(Number.NaN)).toBeNaN();
  });
});
