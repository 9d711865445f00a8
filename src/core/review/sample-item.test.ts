import { describe, expect, it } from 'vitest';
import { inSample } from './sample-item.js';

describe('inSample', () => {
  it('draws the same sample every time for the same seed', () => {
    const keys = Array.from({ length: 200 }, (_, i) => `k${i}`);
    expect(keys.filter((k) => inSample(k, 0.3, 'q1'))).toEqual(keys.filter((k) => inSample(k, 0.3, 'q1')));
    expect(keys.filter((k) => inSample(k, 0.3, 'q1'))).not.toEqual(keys.filter((k) => inSample(k, 0.3, 'q2')));
  });
  it('draws about the share asked for', () => {
    const n = Array.from({ length: 10_000 }, (_, i) => `k${i}`).filter((k) => inSample(k, 0.1, 's')).length;
    // Binomial(10,000, 0.1): sd 30; ±150 is five standard deviations.
    expect(Math.abs(n - 1000)).toBeLessThan(150);
  });
  it('takes everything at 1 and nothing at 0', () => {
    expect(inSample('a', 1, 's') && !inSample('a', 0, 's')).toBe(true);
  });
});
