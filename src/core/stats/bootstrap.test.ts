import { describe, expect, it } from 'vitest';
import { EvalOpsError } from '../errors.js';
import { quantileSorted } from '../stats.js';
import { pairedBootstrapMeanInterval } from './bootstrap.js';
import { seededRandom, xoshiro128 } from './seeded-random.js';

/** Deterministic test data: n values of a skewed-ish distribution from a seeded stream. */
function sample(n: number, seed: number, shift = 0): Float64Array {
  const r = seededRandom(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = shift + (r.next() - 0.5) + 0.3 * (r.next() - 0.5) ** 3;
  return out;
}

describe('pairedBootstrapMeanInterval', () => {
  it('resamples exactly as documented: resample k draws from a stream seeded by outputs 4k..4k+3 of seededRandom(seed)', () => {
    const deltas = sample(57, 3);
    const iterations = 300;
    const master = seededRandom(99);
    const means: number[] = [];
    for (let k = 0; k < iterations; k++) {
      const stream = xoshiro128([master.nextUint32(), master.nextUint32(), master.nextUint32(), master.nextUint32()]);
      let sum = 0;
      for (let i = 0; i < deltas.length; i++) sum += deltas[stream.nextInt(deltas.length)]!;
      means.push(sum / deltas.length);
    }
    means.sort((a, b) => a - b);
    const got = pairedBootstrapMeanInterval(deltas, { seed: 99, iterations });
    expect(got.interval[0]).toBe(quantileSorted(means, 0.025));
    expect(got.interval[1]).toBe(quantileSorted(means, 0.975));
  });

  it('gives all-equal deltas exactly the figures the resampling gives, without drawing (unchanged metric or slice)', () => {
    // The documented resampling, run in full: the shortcut must not change a bit of the result.
    const reference = (deltas: Float64Array, seed: number, iterations: number) => {
      const master = seededRandom(seed);
      const means = new Float64Array(iterations);
      for (let k = 0; k < iterations; k++) {
        const stream = xoshiro128([master.nextUint32(), master.nextUint32(), master.nextUint32(), master.nextUint32()]);
        let sum = 0;
        for (let i = 0; i < deltas.length; i++) sum += deltas[stream.nextInt(deltas.length)]!;
        means[k] = sum / deltas.length;
      }
      let m1 = 0;
      for (const v of means) m1 += v;
      m1 /= iterations;
      let ss = 0;
      for (const v of means) ss += (v - m1) ** 2;
      means.sort();
      return { interval: [quantileSorted(means, 0.025), quantileSorted(means, 0.975)], standardError: Math.sqrt(ss / (iterations - 1)) };
    };
    const mixedZeros = Float64Array.from({ length: 40 }, (_, i) => (i % 3 ? 0 : -0));
    for (const deltas of [new Float64Array(300), new Float64Array(333).fill(0.1), new Float64Array(7).fill(-1 / 3), mixedZeros]) {
      const got = pairedBootstrapMeanInterval(deltas, { seed: 42, iterations: 400 });
      const want = reference(deltas, 42, 400);
      expect(got.interval).toEqual(want.interval);
      expect(got.standardError).toBe(want.standardError);
    }
  });

  it('is reproducible from its seed', () => {
    const deltas = sample(500, 1);
    const a = pairedBootstrapMeanInterval(deltas, { seed: 7 });
    const b = pairedBootstrapMeanInterval(deltas, { seed: 7 });
    const c = pairedBootstrapMeanInterval(deltas, { seed: 8 });
    expect(b).toEqual(a);
    expect(c.interval).not.toEqual(a.interval);
  });

  it('agrees with the normal theory of a mean on a large sample', () => {
    // First principles (no published value applies to a Monte Carlo procedure): for n = 5,000 the
    // bootstrap standard error is s·√((n − 1)/n)/√n and the percentile interval is close to
    // mean ± 1.96·s/√n. With B = 4,000 resamples the Monte Carlo error of a standard error is ≈ 1.1%.
    const deltas = sample(5000, 11, 0.01);
    const n = deltas.length;
    const mean = deltas.reduce((s, v) => s + v, 0) / n;
    const s = Math.sqrt(deltas.reduce((acc, v) => acc + (v - mean) ** 2, 0) / (n - 1));
    const se = (s * Math.sqrt((n - 1) / n)) / Math.sqrt(n);
    const res = pairedBootstrapMeanInterval(deltas, { seed: 5, iterations: 4000 });
    expect(res.mean).toBeCloseTo(mean, 12);
    expect(Math.abs(res.standardError - se) / se).toBeLessThan(0.05);
    expect(Math.abs(res.interval[0] - (mean - 1.959964 * se)) / se).toBeLessThan(0.15);
    expect(Math.abs(res.interval[1] - (mean + 1.959964 * se)) / se).toBeLessThan(0.15);
  });

  it('gives a small p-value for a clear shift and a large one for none', () => {
    const shifted = pairedBootstrapMeanInterval(sample(400, 2, -0.1), { seed: 1 });
    expect(shifted.interval[1]).toBeLessThan(0);
    expect(shifted.pValue).toBeLessThan(1e-6);
    const centred = sample(400, 2);
    const m = centred.reduce((s, v) => s + v, 0) / centred.length;
    for (let i = 0; i < centred.length; i++) centred[i]! -= m; // mean exactly 0 up to rounding
    const none = pairedBootstrapMeanInterval(centred, { seed: 1 });
    expect(none.interval[0]).toBeLessThan(0);
    expect(none.interval[1]).toBeGreaterThan(0);
    expect(none.pValue).toBeGreaterThan(0.9);
  });

  it('narrows the interval with alpha', () => {
    const deltas = sample(300, 4);
    const wide = pairedBootstrapMeanInterval(deltas, { seed: 3, alpha: 0.01 });
    const narrow = pairedBootstrapMeanInterval(deltas, { seed: 3, alpha: 0.2 });
    expect(wide.interval[0]).toBeLessThan(narrow.interval[0]);
    expect(wide.interval[1]).toBeGreaterThan(narrow.interval[1]);
  });

  it('handles degenerate samples', () => {
    const zeros = pairedBootstrapMeanInterval(new Float64Array(50), { seed: 1 });
    expect(zeros.interval).toEqual([0, 0]);
    expect(zeros.pValue).toBe(1);
    const constant = pairedBootstrapMeanInterval(new Float64Array(50).fill(-0.25), { seed: 1 });
    expect(constant.interval).toEqual([-0.25, -0.25]);
    expect(constant.standardError).toBe(0);
    expect(constant.pValue).toBe(0);
    const single = pairedBootstrapMeanInterval(Float64Array.of(0.5), { seed: 1 });
    expect(single.pValue).toBe(1);
  });

  it('refuses empty input, non-finite deltas and bad options', () => {
    expect(() => pairedBootstrapMeanInterval(new Float64Array(0), { seed: 1 })).toThrow(EvalOpsError);
    expect(() => pairedBootstrapMeanInterval(Float64Array.of(0.1, Number.NaN), { seed: 1 })).toThrow(/finite/);
    expect(() => pairedBootstrapMeanInterval(Float64Array.of(0.1, 0.2), { seed: 1, iterations: 0 })).toThrow(/iterations/);
    expect(() => pairedBootstrapMeanInterval(Float64Array.of(0.1, 0.2), { seed: 1, alpha: 1 })).toThrow(/alpha/);
  });
});

