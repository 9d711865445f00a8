import { describe, expect, it } from 'vitest';
import { EvalOpsError } from '../errors.js';
import { holmAdjust } from './holm.js';

const close = (got: number[], want: number[]): void => {
  expect(got).toHaveLength(want.length);
  got.forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 12));
};

describe('holmAdjust', () => {
  it('matches R: p.adjust(c(0.01, 0.02, 0.03, 0.04, 0.05), "holm")', () => {
    // R 4.x output: 0.05 0.08 0.09 0.09 0.09
    close(holmAdjust([0.01, 0.02, 0.03, 0.04, 0.05]), [0.05, 0.08, 0.09, 0.09, 0.09]);
  });

  it('keeps the input order, is monotone in the sorted order and clamps at 1', () => {
    // From the definition (what R's p.adjust computes): sorted 0.01, 0.03, 0.04, 0.5 →
    // 4·0.01 = 0.04, 3·0.03 = 0.09, max(0.09, 2·0.04) = 0.09, max(0.09, 1·0.5) = 0.5.
    close(holmAdjust([0.04, 0.01, 0.5, 0.03]), [0.09, 0.04, 0.5, 0.09]);
    close(holmAdjust([0.3, 0.6, 0.9]), [0.9, 1, 1]);
  });

  it('leaves a single p-value alone and handles an empty family and ties', () => {
    close(holmAdjust([0.03]), [0.03]);
    expect(holmAdjust([])).toEqual([]);
    close(holmAdjust([0.02, 0.02]), [0.04, 0.04]);
  });

  it('with equal weights is the unweighted procedure, whatever their scale', () => {
    const p = [0.004, 0.2, 0.011, 0.03, 0.0001];
    close(holmAdjust(p, [3, 3, 3, 3, 3]), holmAdjust(p));
  });

  it('with weights follows the weighted Bonferroni–Holm steps', () => {
    // Weights 0.5, 0.25, 0.25 (e.g. the whole dataset and two slices). Ratios p/w: 0.02/0.5 = 0.04,
    // 0.004/0.25 = 0.016, 0.03/0.25 = 0.12 → order 2nd, 1st, 3rd.
    // step 1: W = 1,    0.004·1/0.25    = 0.016
    // step 2: W = 0.75, 0.02·0.75/0.5   = 0.03
    // step 3: W = 0.25, 0.03·0.25/0.25  = 0.03
    close(holmAdjust([0.02, 0.004, 0.03], [0.5, 0.25, 0.25]), [0.03, 0.016, 0.03]);
  });

  it('gives 1 to a test of weight 0', () => {
    close(holmAdjust([0.0001, 0.01], [0, 1]), [1, 0.01]);
  });

  it('refuses p-values outside [0, 1], NaN and mismatched or negative weights', () => {
    expect(() => holmAdjust([0.5, 1.2])).toThrow(EvalOpsError);
    expect(() => holmAdjust([Number.NaN])).toThrow(/p-value 0/);
    expect(() => holmAdjust([0.1, 0.2], [1])).toThrow(/weights/);
    expect(() => holmAdjust([0.1], [-1])).toThrow(/weight 0/);
  });
});
