import { describe, expect, it } from 'vitest';
import { bernoulli } from './change-detector.js';
import { ewmaDetector } from './ewma-detector.js';

describe('ewmaDetector', () => {
  it('smooths per trace and reports the distance below the reference in σ_z', () => {
    const lambda = 0.1;
    const d = ewmaDetector({ reference: 0.8, lambda });
    const sigma = Math.sqrt((0.8 * 0.2 * lambda) / (2 - lambda));
    expect(d.update(bernoulli(false)).statistic).toBeCloseTo((0.8 - 0.9 * 0.8) / sigma, 12);
  });
  it('updates a bucket of n traces as n steps at the bucket’s rate', () => {
    const one = ewmaDetector({ reference: 0.8, lambda: 0.01 });
    const many = ewmaDetector({ reference: 0.8, lambda: 0.01 });
    let last = 0;
    for (let i = 0; i < 50; i++) last = one.update({ passed: 1, total: 2 }).statistic;
    expect(many.update({ passed: 50, total: 100 }).statistic).toBeCloseTo(last, 10);
  });
  it('alarms past the limit only', () => {
    const d = ewmaDetector({ reference: 0.85, lambda: 0.5, limit: 1e6 });
    for (let i = 0; i < 100; i++) expect(d.update(bernoulli(false)).alarm).toBe(false);
  });
  it('ignores an empty bucket', () => {
    const d = ewmaDetector({ reference: 0.85 });
    expect(d.update({ passed: 0, total: 0 }).statistic).toBe(0);
  });
  it('rejects λ outside (0, 1)', () => {
    expect(() => ewmaDetector({ lambda: 1 })).toThrow(/lambda/);
  });
});
