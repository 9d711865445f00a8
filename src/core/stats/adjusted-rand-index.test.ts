import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from './adjusted-rand-index.js';

// Reference values: scikit-learn's documentation of sklearn.metrics.adjusted_rand_score.
describe('adjustedRandIndex', () => {
  it('is 1 for the same partition under other label names', () => {
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 1])).toBe(1);
    expect(adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0])).toBe(1);
    expect(adjustedRandIndex(['x', 'x', 'y'], [7, 7, 3])).toBe(1);
  });

  it('matches scikit-learn on partial agreement', () => {
    expect(adjustedRandIndex([0, 0, 1, 2], [0, 0, 1, 1])).toBeCloseTo(0.5714285714285715, 12);
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(0.5714285714285715, 12);
  });

  it('is 0 when one partition puts everything together and the other splits everything', () => {
    expect(adjustedRandIndex([0, 0, 0, 0], [0, 1, 2, 3])).toBe(0);
  });

  it('is negative for a labelling worse than chance', () => {
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])).toBeCloseTo(-0.5, 12);
  });

  it('refuses partitions of different lengths', () => {
    expect(() => adjustedRandIndex([0, 1], [0])).toThrow(RangeError);
  });
});
