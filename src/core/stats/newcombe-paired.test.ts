import { describe, expect, it } from 'vitest';
import { EvalOpsError } from '../errors.js';
import { pairedDifferenceInterval } from './newcombe-paired.js';

/**
 * Published tables are written (a, b, c, d) with the difference (b − c)/n, first margin minus second.
 * This function's difference is (c − b)/n (candidate − baseline), so a published (a, b, c, d) is
 * passed as (a, c, b, d).
 */
const published = (a: number, b: number, c: number, d: number): [number, number] | null => pairedDifferenceInterval(a, c, b, d);

describe('pairedDifferenceInterval', () => {
  it('matches Newcombe (1998) Table II, method 10, for the table 20, 12, 2, 16', () => {
    // Newcombe's example: difference 0.2000, method 10 interval 0.0562 to 0.3292 (also checked by
    // the R package ratesci against the paper: pairbinci(c(20, 12, 2, 16), method_RD = "MOVER_newc")).
    const [lo, hi] = published(20, 12, 2, 16)!;
    expect(lo).toBeCloseTo(0.0562, 4);
    expect(hi).toBeCloseTo(0.3292, 4);
  });
  it('matches Fagerland, Lydersen & Laake (2014, Stat Med 33:2850) for Bentur et al. (2009): 1, 1, 7, 12', () => {
    // Difference −0.2857; Newcombe square-and-add interval −0.507 to −0.026. Here ad − bc = 5 lies in
    // [0, n/2], so the continuity-corrected φ is 0.
    const [lo, hi] = published(1, 1, 7, 12)!;
    expect(lo).toBeCloseTo(-0.507, 3);
    expect(hi).toBeCloseTo(-0.026, 3);
  });
  it('matches Fagerland, Lydersen & Laake (2017, Statistical Analysis of Contingency Tables, ch. 8) for Cavo et al. (2012): 59, 6, 16, 80', () => {
    // Difference −0.0621; Newcombe square-and-add interval −0.1186 to −0.0046 (the book's figure, as
    // asserted by the R package contingencytables' tests).
    const [lo, hi] = published(59, 6, 16, 80)!;
    expect(lo).toBeCloseTo(-0.1186, 4);
    expect(hi).toBeCloseTo(-0.0046, 4);
  });
  it('matches the M.-L. Tang et al. (2010) example 8, 3, 1, 2', () => {
    // Method 10 interval −0.1574 to 0.4136: the published figure as asserted in the R package ratesci
    // (tests/testthat/test3.R, "Tang(ML) RD 2010 example").
    const [lo, hi] = published(8, 3, 1, 2)!;
    expect(lo).toBeCloseTo(-0.1574, 4);
    expect(hi).toBeCloseTo(0.4136, 4);
  });
  it('is oriented candidate − baseline: more candidate-only passes give a positive interval', () => {
    const [lo, hi] = pairedDifferenceInterval(50, 2, 20, 28)!; // difference +0.18
    expect(lo).toBeGreaterThan(0);
    expect(hi).toBeGreaterThan(0.18);
    const [lo2, hi2] = pairedDifferenceInterval(50, 20, 2, 28)!; // the mirror image
    expect(lo2).toBeCloseTo(-hi, 12);
    expect(hi2).toBeCloseTo(-lo, 12);
  });
  it('does not collapse to a point without discordant pairs', () => {
    const [lo, hi] = pairedDifferenceInterval(40, 0, 0, 10)!;
    expect(lo).toBeLessThan(0);
    expect(hi).toBeGreaterThan(0);
  });
  it('stays within [−1, 1] at the extremes', () => {
    const [lo, hi] = pairedDifferenceInterval(0, 30, 0, 0)!; // every example lost
    expect(lo).toBeGreaterThanOrEqual(-1);
    expect(hi).toBeLessThan(0);
    const [lo2, hi2] = pairedDifferenceInterval(0, 0, 30, 0)!;
    expect(lo2).toBeGreaterThan(0);
    expect(hi2).toBeLessThanOrEqual(1);
  });
  it('is null for an empty table and refuses bad counts', () => {
    expect(pairedDifferenceInterval(0, 0, 0, 0)).toBeNull();
    expect(() => pairedDifferenceInterval(1, -2, 3, 4)).toThrow(EvalOpsError);
    expect(() => pairedDifferenceInterval(1, 2, 3.5, 4)).toThrow(/whole counts/);
  });
});
