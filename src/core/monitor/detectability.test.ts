import { describe, expect, it } from 'vitest';
import { seededRandom } from '../stats/seeded-random.js';
import { detectability, trafficModel } from './detectability.js';
import { createDetector } from './detector-registry.js';
import { MonitorSpecSchema, type MonitorSpecInput } from './monitor-spec.js';

const spec = (extra: Partial<MonitorSpecInput> = {}) => MonitorSpecSchema.parse({ name: 'm', rule: 'r', metric: 'ok', ...extra });

/**
 * An independent replay, written apart from detectability.ts: 10-minute buckets of a stream whose
 * day rates are N(p, sd), the monitor armed after 7 days, then 30 monitored days (false alarms) or a
 * drop 1.5 days after arming (delay). Returns false alarms per 30 days and the mean delay in days.
 */
function replay(perDay: number, p: number, sd: number, replays: number, seed: number): { fa: number; delay: number } {
  const rng = seededRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const perBucket = perDay / 144;
  const run = (days: number, changeBucket: number): number[] => {
    const det = createDetector('cusum', { warmup: Math.floor(7 * 144 * perBucket) });
    const alarms: number[] = [];
    let rate = p;
    for (let k = 0; k < days * 144; k++) {
      if (k % 144 === 0) rate = p + sd * gauss();
      const n = Math.floor((k + 1) * perBucket) - Math.floor(k * perBucket);
      let passed = 0;
      for (let i = 0; i < n; i++) if (rng.next() < rate - (k >= changeBucket ? 0.05 : 0)) passed += 1;
      if (det.update({ passed, total: n }).alarm) {
        alarms.push(k);
        det.reset();
      }
    }
    return alarms;
  };
  let fa = 0;
  let delays = 0;
  for (let r = 0; r < replays; r++) {
    fa += run(37, Infinity).filter((k) => k >= 7 * 144).length;
    const change = 7 * 144 + 216;
    const first = run(7 + 1.5 + 10, change).find((k) => k >= change);
    delays += first === undefined ? 10 : (first + 1 - change) / 144;
  }
  return { fa: fa / replays, delay: delays / replays };
}

describe('detectability', () => {
  it('agrees with an independent replay at 500 traces/day with overdispersion (seed-fixed, generous ±35%)', () => {
    const d = detectability(spec(), { perDay: 500, reference: 0.85, dayRateSd: 0.01 });
    const r = replay(500, 0.85, 0.01, 300, 15);
    expect(d.falseAlarmsPer30Days / r.fa).toBeGreaterThan(0.65);
    expect(d.falseAlarmsPer30Days / r.fa).toBeLessThan(1.35);
    expect(d.expectedDetectionDays! / r.delay).toBeGreaterThan(0.65);
    expect(d.expectedDetectionDays! / r.delay).toBeLessThan(1.35);
  });
  it('is reproducible: the same inputs give the same figures', () => {
    const a = detectability(spec(), { perDay: 300, reference: 0.9, dayRateSd: 0.005 });
    const b = detectability(spec(), { perDay: 300, reference: 0.9, dayRateSd: 0.005 });
    expect(a).toEqual(b);
  });
  it('moves the right way: a higher h gives fewer false alarms and slower detection; more traffic detects sooner', () => {
    const base = detectability(spec(), { perDay: 500, reference: 0.85, dayRateSd: 0.01 });
    const strict = detectability(spec({ detector: { kind: 'cusum', params: { h: 8 } } }), { perDay: 500, reference: 0.85, dayRateSd: 0.01 });
    expect(strict.falseAlarmsPer30Days).toBeLessThan(base.falseAlarmsPer30Days);
    expect(strict.expectedDetectionDays!).toBeGreaterThan(base.expectedDetectionDays!);
    const busy = detectability(spec(), { perDay: 5000, reference: 0.85, dayRateSd: 0 });
    expect(busy.expectedDetectionDays!).toBeLessThan(base.expectedDetectionDays! / 3);
  });
  it('warns when the shift is not reliably detected within the lookback, and when the monitor cannot arm in it', () => {
    const slow = detectability(spec(), { perDay: 100, reference: 0.85, dayRateSd: 0 });
    expect(slow.armingDays).toBeCloseTo(7, 1);
    expect(slow.horizonDays).toBeCloseTo(7, 1);
    expect(slow.detectedWithinHorizon).toBeLessThan(0.9);
    expect(slow.warnings.join('\n')).toMatch(/5-point drop is detected within the 7\.0 days its 14\.0 days lookback leaves after arming in only \d+% of cases/);
    expect(detectability(spec(), { perDay: 500, reference: 0.85, dayRateSd: 0 }).warnings).toEqual([]);
    const never = detectability(spec({ lookbackHours: 120 }), { perDay: 100, reference: 0.85, dayRateSd: 0 }, { budget: 200_000 });
    expect(never.warnings.join('\n')).toMatch(/cannot arm within its 5\.0 days lookback at 100 traces\/day/);
  });
  it('is for change monitors only', () => {
    expect(() => detectability(spec({ detector: { kind: 'threshold', threshold: 0.8 } }), { perDay: 100, reference: 0.85, dayRateSd: 0 })).toThrow(/change monitors/);
  });
});

describe('trafficModel', () => {
  const DAY = 86_400_000;
  it('measures traces per day from the first trace to now, and the pooled rate', () => {
    const buckets = [0, 1, 2, 3].map((d) => ({ startMs: d * DAY, passed: 85, total: 100 }));
    const m = trafficModel(buckets, 4 * DAY);
    expect(m).toEqual({ perDay: 100, reference: 0.85, dayRateSd: 0 });
    expect(trafficModel(buckets, 4 * DAY, 0.9)?.reference).toBe(0.9);
    expect(trafficModel([], DAY)).toBeNull();
  });
  it('estimates the between-day sd by the method of moments: days alternating 0.80 and 0.90 at 1,000 a day give about 5 points', () => {
    const buckets = Array.from({ length: 10 }, (_, d) => ({ startMs: d * DAY, passed: d % 2 ? 900 : 800, total: 1000 }));
    const m = trafficModel(buckets, 10 * DAY)!;
    // Q = Σ n (r − p̄)² / p̄(1 − p̄) = 10·1000·0.0025/0.1275; τ² = (Q − 9)·p̄(1 − p̄)/(N − Σn²/N).
    const q = (10 * 1000 * 0.0025) / 0.1275;
    expect(m.dayRateSd).toBeCloseTo(Math.sqrt(((q - 9) * 0.1275) / (10_000 - 1000)), 10);
    expect(m.dayRateSd).toBeGreaterThan(0.045);
  });
});
