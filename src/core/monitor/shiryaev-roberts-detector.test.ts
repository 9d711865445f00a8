import { describe, expect, it } from 'vitest';
import { EvalOpsError } from '../errors.js';
import { bernoulli } from './change-detector.js';
import { shiryaevRobertsDetector } from './shiryaev-roberts-detector.js';

describe('shiryaevRobertsDetector', () => {
  const lp = 0.8 / 0.85; // likelihood ratio of a pass
  const lf = 0.2 / 0.15; // of a failure
  it('runs R ← (1 + R)·Λ from R = 0, and reports log R floored at 0', () => {
    const d = shiryaevRobertsDetector({ reference: 0.85 });
    let r = 0;
    for (const pass of [false, false, true, false, false, false]) {
      r = (1 + r) * (pass ? lp : lf);
      expect(d.update(bernoulli(pass)).statistic).toBeCloseTo(Math.max(0, Math.log(r)), 12);
    }
  });
  it('treats a bucket as one step with the product of its ratios', () => {
    const d = shiryaevRobertsDetector({ reference: 0.85 });
    const v = d.update({ passed: 400, total: 500 });
    expect(v.statistic).toBeCloseTo(400 * Math.log(lp) + 100 * Math.log(lf), 9);
    // A second bucket: log R = log(1 + R) + its log ratio.
    const r1 = Math.exp(v.statistic);
    expect(d.update({ passed: 9, total: 10 }).statistic).toBeCloseTo(Math.log1p(r1) + 9 * Math.log(lp) + Math.log(lf), 9);
  });
  it('alarms once log R exceeds h, and a reset starts again from R = 0', () => {
    const d = shiryaevRobertsDetector({ reference: 0.85, h: 2 });
    // log R after k failures from 0: log(Σ_{j=1..k} lf^j).
    const logR = (k: number) => Math.log(Array.from({ length: k }, (_, j) => lf ** (j + 1)).reduce((a, b) => a + b, 0));
    let k = 0;
    while (logR(k + 1) <= 2) {
      expect(d.update(bernoulli(false)).alarm).toBe(false);
      k += 1;
    }
    expect(d.update(bernoulli(false)).alarm).toBe(true);
    d.reset();
    expect(d.update(bernoulli(false)).statistic).toBeCloseTo(Math.log(lf), 12);
  });
  it('learns the reference from the warm-up and stays quiet on the same rate', () => {
    const d = shiryaevRobertsDetector({ warmup: 1000 });
    for (let i = 0; i < 1000; i++) expect(d.update(bernoulli(i % 10 < 7)).warmingUp).toBe(true);
    for (let i = 0; i < 10_000; i++) expect(d.update(bernoulli(i % 10 < 7)).alarm).toBe(false);
  });
  it('rejects parameters out of range, naming them', () => {
    expect(() => shiryaevRobertsDetector({ shift: 0 })).toThrow(EvalOpsError);
    expect(() => shiryaevRobertsDetector({ h: -1 })).toThrow(/h/);
    expect(() => shiryaevRobertsDetector({ warmupDays: 0 })).toThrow(/warmupDays/);
  });
  it('JSDoc example: alarms on 380 of 500 against 0.85', () => {
    expect(shiryaevRobertsDetector({ reference: 0.85 }).update({ passed: 380, total: 500 }).alarm).toBe(true);
  });
});
