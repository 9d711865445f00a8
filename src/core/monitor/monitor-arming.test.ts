import { describe, expect, it } from 'vitest';
import { armingInWords, armingOf, evaluateMonitor, type SeriesBucket } from './evaluate-monitor.js';
import { MonitorSpecSchema, type MonitorSpecInput } from './monitor-spec.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Hourly buckets of `perDay` traces a day at `rate`, for `days` days from t = 0. */
function series(perDay: number, days: number, rate = 0.85): SeriesBucket[] {
  const out: SeriesBucket[] = [];
  for (let h = 0; h < days * 24; h++) {
    const total = Math.floor(((h + 1) * perDay) / 24) - Math.floor((h * perDay) / 24);
    out.push({ startMs: h * HOUR, endMs: (h + 1) * HOUR, total, passed: Math.round(total * rate) });
  }
  return out;
}

const spec = (extra: Partial<MonitorSpecInput> = {}) => MonitorSpecSchema.parse({ name: 'm', rule: 'r', metric: 'ok', bucketMinutes: 60, ...extra });

describe('arming: warmup traces or warmupDays, whichever comes first', () => {
  it('a monitor at 100 scored traces/day arms after 7 days, within its 14-day lookback (the traces rule alone would need 70 days)', () => {
    const s = spec();
    const early = armingOf(s, series(100, 3), 3 * DAY);
    expect(early).toMatchObject({ armed: false, referenceTraces: 300, warmupTraces: 7000, warmupDays: 7, armsWithinLookback: true });
    expect(early.observedPerDay).toBeCloseTo(100, 9);
    expect(early.etaDays).toBeCloseTo(4, 9);
    expect(armingInWords(early)).toBe('300 of 7000 traces or 3.0 of 7 days; arms in 4.0 days at 100 traces/day');

    const buckets = series(100, 10);
    const later = armingOf(s, buckets, 10 * DAY);
    expect(later).toMatchObject({ armed: true, referenceTraces: 700, etaDays: 0, armTraces: 700 });
    expect(later.referenceDays).toBeCloseTo(7, 9);
    const ev = evaluateMonitor(s, { buckets, nowMs: 10 * DAY });
    expect(ev.warmingUp).toBe(false);
    expect(ev.baseline).toBeCloseTo(buckets.slice(0, 7 * 24).reduce((a, b) => a + b.passed, 0) / 700, 12);
    expect(ev.arming?.armed).toBe(true);
  });
  it('at 2,000 traces/day the traces rule arms first, after 3.5 days', () => {
    const a = armingOf(spec(), series(2000, 5), 5 * DAY);
    expect(a).toMatchObject({ armed: true, referenceTraces: 7000 });
    expect(a.referenceDays).toBeCloseTo(3.5, 9);
  });
  it('counts days from the first trace, and says how long is left by the nearer limit', () => {
    const s = spec({ detector: { kind: 'cusum', params: { warmup: 1000, warmupDays: 7 } } });
    const a = armingOf(s, series(200, 2), 2 * DAY);
    expect(a.armed).toBe(false);
    expect(a.etaDays).toBeCloseTo(3, 9); // 600 more traces at 200/day, sooner than 5 more days
  });
  it('cannot arm within a 5-day lookback at 100 traces/day: no ETA, and the evaluation keeps learning', () => {
    const s = spec({ lookbackHours: 120 });
    const a = armingOf(s, series(100, 5), 5 * DAY);
    expect(a).toMatchObject({ armed: false, armsWithinLookback: false, etaDays: null });
    expect(evaluateMonitor(s, { buckets: series(100, 5), nowMs: 5 * DAY }).summary).toMatch(/cannot arm within the lookback at 100 traces\/day/);
  });
  it('without traffic there is no rate and no ETA; a given reference needs no warm-up', () => {
    expect(armingOf(spec(), [], DAY)).toMatchObject({ armed: false, observedPerDay: null, etaDays: null });
    expect(armingOf(spec({ detector: { kind: 'cusum', params: { reference: 0.9 } } }), [], DAY)).toMatchObject({ armed: true, etaDays: 0 });
  });
  it('applies to every change detector, and fires on a drop after arming at 100 traces/day', () => {
    for (const kind of ['cusum', 'ewma', 'page-hinkley', 'shiryaev-roberts'] as const) {
      const s = spec({ detector: { kind, params: {} } });
      const buckets = [...series(100, 8), ...series(100, 4, 0.6).map((b) => ({ ...b, startMs: b.startMs + 8 * DAY, endMs: b.endMs + 8 * DAY }))];
      const ev = evaluateMonitor(s, { buckets, nowMs: 12 * DAY });
      expect(ev.arming?.armed, kind).toBe(true);
      expect(ev.firing, kind).toBe(true);
    }
  });
});
