import { describe, expect, it } from 'vitest';
import { pageHinkleyDetector } from './page-hinkley-detector.js';

describe('pageHinkleyDetector', () => {
  it('accumulates the running mean minus δ minus each observation, above its minimum', () => {
    const d = pageHinkleyDetector({ warmup: 10, delta: 0.1, lambda: 100 });
    d.update({ passed: 8, total: 10 });
    // running mean (8 + 0) / 11; g = mean − δ − 0
    expect(d.update({ passed: 0, total: 1 }).statistic).toBeCloseTo(8 / 11 - 0.1, 12);
  });
  it('alarms when the rise above the minimum exceeds λ', () => {
    const d = pageHinkleyDetector({ warmup: 100, delta: 0.025, lambda: 5 });
    d.update({ passed: 85, total: 100 });
    expect(d.update({ passed: 0, total: 10 }).alarm).toBe(true);
  });
  it('rejects a negative λ', () => {
    expect(() => pageHinkleyDetector({ lambda: -1 })).toThrow(/lambda/);
  });
});
