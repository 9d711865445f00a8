import { describe, expect, it } from 'vitest';
import { EvalOpsError } from '../errors.js';
import { quantileSorted } from '../stats.js';
import { seededRandom } from '../stats/seeded-random.js';
import { DEFAULT_BOOTSTRAP_SEED, itemBootstrapInterval } from './item-bootstrap.js';

const data = [0.1, 0.5, 0.2, 0.9, 0.4, 0.3, 0.8, 0.05];
const weightedMean = (w: Uint32Array): number => {
  let s = 0;
  let n = 0;
  w.forEach((wi, i) => {
    s += wi * data[i]!;
    n += wi;
  });
  return s / n;
};

describe('itemBootstrapInterval', () => {
  it('resamples exactly as documented: n draws per resample, in order, from one seededRandom(seed) stream', () => {
    const r = seededRandom(5);
    const means: number[] = [];
    for (let it = 0; it < 200; it++) {
      let s = 0;
      for (let i = 0; i < data.length; i++) s += data[r.nextInt(data.length)]!;
      means.push(s / data.length);
    }
    means.sort((a, b) => a - b);
    const got = itemBootstrapInterval(data.length, weightedMean, { seed: 5, iterations: 200, confidence: 0.9 });
    expect(got.interval![0]).toBeCloseTo(quantileSorted(means, 0.05)!, 12);
    expect(got.interval![1]).toBeCloseTo(quantileSorted(means, 0.95)!, 12);
    expect(got).toMatchObject({ iterations: 200, seed: 5, confidence: 0.9, reason: null, undefinedResamples: 0 });
  });

  it('is reproducible from its seed and uses a fixed default seed', () => {
    const a = itemBootstrapInterval(data.length, weightedMean);
    expect(itemBootstrapInterval(data.length, weightedMean)).toEqual(a);
    expect(a.seed).toBe(DEFAULT_BOOTSTRAP_SEED);
    expect(itemBootstrapInterval(data.length, weightedMean, { seed: 2 }).interval).not.toEqual(a.interval);
  });

  it('leaves out and counts resamples where the statistic is undefined', () => {
    const got = itemBootstrapInterval(data.length, (w) => (w[0]! > 0 ? 1 : null), { iterations: 500 });
    // P(item 0 not drawn) = (7/8)^8 ≈ 0.344, so about 172 of 500 resamples are undefined.
    expect(got.undefinedResamples).toBeGreaterThan(120);
    expect(got.undefinedResamples).toBeLessThan(230);
    expect(got.interval).toEqual([1, 1]);
  });

  it('gives no interval for fewer than two items or when every resample is undefined', () => {
    expect(itemBootstrapInterval(1, () => 1)).toMatchObject({ interval: null, reason: 'fewer than two items to resample' });
    expect(itemBootstrapInterval(0, () => 1).interval).toBeNull();
    expect(itemBootstrapInterval(3, () => null, { iterations: 10 })).toMatchObject({ interval: null, undefinedResamples: 10 });
  });

  it('rejects bad options', () => {
    expect(() => itemBootstrapInterval(3, () => 1, { iterations: 0 })).toThrow(EvalOpsError);
    expect(() => itemBootstrapInterval(3, () => 1, { confidence: 1 })).toThrow(EvalOpsError);
    expect(() => itemBootstrapInterval(3, () => 1, { seed: Number.NaN })).toThrow(EvalOpsError);
  });
});
