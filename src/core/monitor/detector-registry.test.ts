import { describe, expect, it } from 'vitest';
import { seededRandom } from '../stats/seeded-random.js';
import { bernoulli } from './change-detector.js';
import { DEFAULT_DETECTOR, DETECTORS, createDetector, detectorKindSchema } from './detector-registry.js';

/** The contract every change detector meets, run against each kind. */
function stream(seed: number, rate: number, n: number): boolean[] {
  const r = seededRandom(seed);
  return Array.from({ length: n }, () => r.next() < rate);
}

describe.each(detectorKindSchema.options)('change detector %s', (kind) => {
  const params = { warmup: 5000 };
  it('warms up without alarming, then reports a statistic', () => {
    const d = DETECTORS[kind](params);
    const warm = stream(1, 0.85, 5000).map((x) => d.update(bernoulli(x)));
    expect(warm.every((v) => v.warmingUp && !v.alarm && v.statistic === 0)).toBe(true);
    expect(d.update(bernoulli(true)).warmingUp).toBe(false);
  });
  it('does not alarm on a constant stream at the reference rate', () => {
    const d = DETECTORS[kind](params);
    const alarms = stream(2, 0.85, 5000 + 3000).filter((x) => d.update(bernoulli(x)).alarm).length;
    expect(alarms).toBe(0);
  });
  it('alarms within a day (500 traces) after a clear step down of 20 points', () => {
    const d = DETECTORS[kind](params);
    for (const x of stream(3, 0.85, 5000)) d.update(bernoulli(x));
    const after = stream(4, 0.65, 500).map((x) => d.update(bernoulli(x)).alarm);
    expect(after.indexOf(true)).toBeGreaterThan(0);
  });
  it('does not alarm when the rate rises (one-sided)', () => {
    const d = DETECTORS[kind](params);
    for (const x of stream(5, 0.85, 5000)) d.update(bernoulli(x));
    expect(stream(6, 0.97, 3000).some((x) => d.update(bernoulli(x)).alarm)).toBe(false);
  });
  it('restarts its statistic on reset and keeps the reference (no second warm-up)', () => {
    const d = DETECTORS[kind](params);
    for (const x of stream(7, 0.85, 5000)) d.update(bernoulli(x));
    let v = d.update(bernoulli(false));
    for (let i = 0; i < 400 && !v.alarm; i++) v = d.update(bernoulli(i % 2 === 0));
    expect(v.alarm).toBe(true);
    d.reset();
    const next = d.update(bernoulli(true));
    expect(next.warmingUp).toBe(false);
    expect(next.alarm).toBe(false);
    expect(next.statistic).toBeLessThan(v.statistic);
  });
  it('refuses unknown or out-of-range params and bad observations', () => {
    expect(() => DETECTORS[kind]({ warmup: 0 })).toThrow(/warmup/);
    expect(() => DETECTORS[kind]({ nope: 1 })).toThrow();
    const d = DETECTORS[kind](params);
    expect(() => d.update({ passed: 3, total: 2 })).toThrow(/passed ≤ total/);
    expect(() => d.update({ passed: 0.5, total: 1 })).toThrow();
  });
});

describe('createDetector', () => {
  it('makes the default detector, CUSUM, when no kind is given', () => {
    expect(DEFAULT_DETECTOR).toBe('cusum');
    expect(createDetector(undefined, { reference: 0.85 }).update({ passed: 380, total: 500 }).alarm).toBe(true);
  });
});
