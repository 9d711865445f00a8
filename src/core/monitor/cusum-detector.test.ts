import { describe, expect, it } from 'vitest';
import { EvalOpsError } from '../errors.js';
import { bernoulli } from './change-detector.js';
import { cusumDetector } from './cusum-detector.js';

describe('cusumDetector', () => {
  const a = Math.log(0.8 / 0.85); // a pass
  const b = Math.log(0.2 / 0.15); // a failure
  it('adds each trace’s log-likelihood ratio and floors the sum at zero', () => {
    const d = cusumDetector({ reference: 0.85 });
    expect(d.update(bernoulli(false)).statistic).toBeCloseTo(b, 12);
    expect(d.update(bernoulli(true)).statistic).toBeCloseTo(b + a, 12);
    expect(d.update({ passed: 100, total: 100 }).statistic).toBe(0);
  });
  it('treats a bucket as the sum of its traces’ ratios', () => {
    const d = cusumDetector({ reference: 0.85 });
    expect(d.update({ passed: 400, total: 500 }).statistic).toBeCloseTo(400 * a + 100 * b, 10);
  });
  it('alarms once the evidence exceeds h, not before', () => {
    const d = cusumDetector({ reference: 0.85, h: 3 * b - 1e-9 });
    expect(d.update(bernoulli(false)).alarm).toBe(false);
    expect(d.update(bernoulli(false)).alarm).toBe(false);
    expect(d.update(bernoulli(false)).alarm).toBe(true);
  });
  it('learns the reference from the warm-up: a stream at 0.70 throughout never alarms', () => {
    const d = cusumDetector({ warmup: 1000 });
    for (let i = 0; i < 1000; i++) expect(d.update(bernoulli(i % 10 < 7)).warmingUp).toBe(true);
    for (let i = 0; i < 10_000; i++) expect(d.update(bernoulli(i % 10 < 7)).alarm).toBe(false);
  });
  it('takes its defaults from the schema and rejects a shift outside (0, 1)', () => {
    expect(() => cusumDetector({ shift: 0 })).toThrow(EvalOpsError);
    expect(() => cusumDetector({ h: -1 })).toThrow(/h/);
    expect(() => cusumDetector({ reference: 1 })).toThrow(/reference/);
  });
});

describe('cusumDetector JSDoc example', () => {
  it('alarms on 380 of 500 against a reference of 0.85 at the defaults', () => {
    const v = cusumDetector({ reference: 0.85 }).update({ passed: 380, total: 500 });
    expect(v.alarm).toBe(true);
    expect(v.statistic).toBeCloseTo(380 * Math.log(0.8 / 0.85) + 120 * Math.log(0.2 / 0.15), 10);
  });
});
