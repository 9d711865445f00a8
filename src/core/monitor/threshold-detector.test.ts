import { describe, expect, it } from 'vitest';
import { thresholdDetector } from './threshold-detector.js';

describe('thresholdDetector', () => {
  it('alarms when the daily pass rate is below the threshold', () => {
    const d = thresholdDetector({ threshold: 0.8 });
    expect(d.update({ passed: 420, total: 500 }).alarm).toBe(false);
    const v = d.update({ passed: 390, total: 500 });
    expect(v.alarm).toBe(true);
    expect(v.statistic).toBeCloseTo(0.02, 12);
  });
  it('does not alarm on a window with fewer traces than minSamples', () => {
    const d = thresholdDetector({ threshold: 0.8, minSamples: 100 });
    expect(d.update({ passed: 0, total: 99 }).alarm).toBe(false);
  });
  it('evaluates only when a tumbling window closes, then starts a new one', () => {
    const d = thresholdDetector({ threshold: 0.8, window: 3, minSamples: 0 });
    expect(d.update({ passed: 0, total: 10 }).alarm).toBe(false);
    expect(d.update({ passed: 10, total: 10 }).alarm).toBe(false);
    expect(d.update({ passed: 10, total: 10 }).alarm).toBe(true); // 20/30 < 0.8
    expect(d.update({ passed: 10, total: 10 }).alarm).toBe(false);
  });
  it('forgets a half-filled window on reset', () => {
    const d = thresholdDetector({ threshold: 0.8, window: 2, minSamples: 0 });
    d.update({ passed: 0, total: 100 });
    d.reset();
    d.update({ passed: 100, total: 100 });
    expect(d.update({ passed: 100, total: 100 }).alarm).toBe(false);
  });
  it('needs a threshold', () => {
    expect(() => thresholdDetector({} as never)).toThrow(/threshold/);
  });
});
