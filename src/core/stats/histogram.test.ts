import { describe, expect, it } from 'vitest';
import { histogram } from './histogram.js';

describe('histogram', () => {
  it('splits the range into equal bins, the largest value in the last bin', () => {
    expect(histogram([1, 2, 2, 9], 4)).toEqual([
      { from: 1, to: 3, count: 3 },
      { from: 3, to: 5, count: 0 },
      { from: 5, to: 7, count: 0 },
      { from: 7, to: 9, count: 1 },
    ]);
  });

  it('counts every value exactly once', () => {
    const values = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 503).sort((a, b) => a - b);
    const bins = histogram(values, 13);
    expect(bins).toHaveLength(13);
    expect(bins.reduce((s, b) => s + b.count, 0)).toBe(1000);
  });

  it('has no bins for no values, and one bin for a single distinct value', () => {
    expect(histogram([], 10)).toEqual([]);
    expect(histogram([5, 5, 5], 10)).toEqual([{ from: 5, to: 5, count: 3 }]);
  });
});
