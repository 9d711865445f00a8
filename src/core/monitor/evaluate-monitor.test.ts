import { describe, expect, it } from 'vitest';
import { type SeriesBucket, evaluateMonitor } from './evaluate-monitor.js';
import { MonitorSpecSchema } from './monitor-spec.js';

const T0 = Date.UTC(2025, 0, 6, 0, 0, 0);
const MIN = 60_000;
const BUCKET = 10 * MIN;
const startOf = (i: number): number => T0 + i * BUCKET;
const endOf = (i: number): number => startOf(i + 1);

/** Consecutive 10-minute buckets from T0, one per [passed, total]. */
function series(counts: readonly (readonly [number, number])[]): SeriesBucket[] {
  return counts.map(([passed, total], i) => ({ passed, total, startMs: startOf(i), endMs: endOf(i) }));
}
const repeat = (n: number, passed: number, total: number): [number, number][] => Array.from({ length: n }, () => [passed, total]);

function changeSpec(extra: Record<string, unknown> = {}, params: Record<string, number> = { reference: 0.85, shift: 0.05, h: 6 }) {
  return MonitorSpecSchema.parse({ name: 'answer-quality', rule: 'support', metric: 'grounded', detector: { kind: 'cusum', params }, ...extra });
}

/*
 * CUSUM steps, by hand, at reference 0.85 and shift 0.05 (p1 = 0.80): a pass adds ln(0.80/0.85) ≈
 * −0.0606 nats, a failure ln(0.20/0.15) ≈ +0.2877.
 *   85 of 100:   85·(−0.0606) + 15·0.2877 ≈ −0.84  → the statistic stays at 0
 *   850 of 1000: ten times that, ≈ −8.4             → stays at 0
 *   70 of 100:   70·(−0.0606) + 30·0.2877 ≈ +4.39  → one such bucket stays under h = 6, two exceed it
 * So after a drop to 70% in 100-trace buckets the detector alarms on every second drop bucket.
 */
describe('evaluateMonitor (change detection, CUSUM)', () => {
  it('does not fire on a series exactly at the reference, in big buckets', () => {
    const e = evaluateMonitor(changeSpec(), { buckets: series(repeat(100, 850, 1000)), nowMs: endOf(100) });
    expect(e.firing).toBe(false);
    expect(e.statistic).toBe(0);
    expect(e.warmingUp).toBe(false);
    expect(e.baseline).toBe(0.85);
    expect(e.sinceMs).toBeNull();
  });

  it('fires on a drop to 70%, dating the change to the drop bucket and detecting it one bucket later', () => {
    const buckets = series([...repeat(10, 85, 100), ...repeat(4, 70, 100)]); // the drop starts at bucket 10
    const e = evaluateMonitor(changeSpec(), { buckets, nowMs: endOf(13) });
    expect(e.firing).toBe(true);
    // The statistic is 0 through bucket 9 and leaves zero in bucket 10: the change dates from its start.
    expect(e.sinceMs).toBe(startOf(10));
    expect(e.sinceMs as number).toBeGreaterThanOrEqual(startOf(0));
    // The second drop bucket is the first to exceed h (4.39 then 8.77).
    expect(e.detectedAtMs).toBe(endOf(11));
    expect(e.baseline).toBe(0.85);
    // Since bucket 10: 4 × 70 of 4 × 100.
    expect(e.current).toEqual({ passed: 280, total: 400, rate: 0.7 });
    expect(e.delta).toBeCloseTo(0.7 - 0.85, 12);
    expect(e.warmingUp).toBe(false);
    expect(e.summary).toMatch(/70\.0%.*85\.0%/);
  });

  it('dates a change present from the first bucket no earlier than the first bucket', () => {
    const e = evaluateMonitor(changeSpec(), { buckets: series(repeat(4, 70, 100)), nowMs: endOf(3) });
    expect(e.firing).toBe(true);
    expect(e.sinceMs).toBe(startOf(0));
  });

  describe('recovery', () => {
    // Alarms on drop buckets 11 and 13 (every second one); the last alarm is at the end of bucket 13.
    const withRecovery = (k: number) => series([...repeat(10, 85, 100), ...repeat(4, 70, 100), ...repeat(k, 85, 100)]);

    it('keeps firing until recoveryTraces traces have passed since the last alarm', () => {
      const e = evaluateMonitor(changeSpec({ recoveryTraces: 500 }), { buckets: withRecovery(4), nowMs: endOf(17) });
      expect(e.firing).toBe(true);
      expect(e.sinceMs).toBe(startOf(10));
      // Since bucket 10: 4 × 70 + 4 × 85 of 800.
      expect(e.current).toEqual({ passed: 620, total: 800, rate: 620 / 800 });
      expect(e.delta).toBeCloseTo(620 / 800 - 0.85, 12);
    });

    it('resolves itself once recoveryTraces traces at the reference have passed since the last alarm', () => {
      const e = evaluateMonitor(changeSpec({ recoveryTraces: 500 }), { buckets: withRecovery(5), nowMs: endOf(18) });
      expect(e.firing).toBe(false);
      expect(e.sinceMs).toBeNull();
      expect(e.detectedAtMs).toBeNull();
    });

    it('keeps firing after any amount of recovery with autoResolve false', () => {
      const e = evaluateMonitor(changeSpec({ recoveryTraces: 500, autoResolve: false }), { buckets: withRecovery(50), nowMs: endOf(63) });
      expect(e.firing).toBe(true);
      expect(e.sinceMs).toBe(startOf(10));
    });
  });

  describe('warm-up (no reference given)', () => {
    const warmSpec = changeSpec({}, { warmup: 1000 });

    it('reports warming up and does not fire before the warm-up traces are in, even on a drop', () => {
      const e = evaluateMonitor(warmSpec, { buckets: series([...repeat(5, 85, 100), ...repeat(4, 70, 100)]), nowMs: endOf(8) });
      expect(e.warmingUp).toBe(true);
      expect(e.firing).toBe(false);
      expect(e.baseline).toBeNull();
      expect(e.summary).toContain('900 of 1000');
    });

    it('learns the reference from the first 1000 traces and fires on a drop after them', () => {
      const e = evaluateMonitor(warmSpec, { buckets: series([...repeat(10, 85, 100), ...repeat(4, 70, 100)]), nowMs: endOf(13) });
      expect(e.firing).toBe(true);
      expect(e.baseline).toBeCloseTo(850 / 1000, 12);
      expect(e.sinceMs).toBe(startOf(10));
    });
  });
});

describe('evaluateMonitor (threshold)', () => {
  const spec = MonitorSpecSchema.parse({ name: 'floor', rule: 'support', metric: 'grounded', detector: { kind: 'threshold', threshold: 0.8, minSamples: 100, windowMinutes: 60 } });
  const nowMs = T0 + 6 * 60 * MIN;
  const windowStart = nowMs - 60 * MIN;
  /** Six 10-minute buckets filling the last hour, each `passed` of `total`. */
  const lastHour = (passed: number, total: number): SeriesBucket[] =>
    Array.from({ length: 6 }, (_, i) => ({ passed, total, startMs: windowStart + i * BUCKET, endMs: windowStart + (i + 1) * BUCKET }));
  /** A bucket that ended before the window. */
  const old = (passed: number, total: number): SeriesBucket => ({ passed, total, startMs: windowStart - 2 * BUCKET, endMs: windowStart - BUCKET });

  it('fires when the window holds minSamples traces and its rate is below the threshold', () => {
    const e = evaluateMonitor(spec, { buckets: lastHour(14, 20), nowMs }); // 84 of 120 = 0.70
    expect(e.firing).toBe(true);
    expect(e.current).toEqual({ passed: 84, total: 120, rate: 0.7 });
    expect(e.sinceMs).toBe(windowStart);
    expect(e.detectedAtMs).toBe(nowMs);
    expect(e.baseline).toBe(0.8);
    expect(e.delta).toBeCloseTo(-0.1, 12);
  });

  it('does not fire below minSamples, however low the rate, and says it is waiting', () => {
    const e = evaluateMonitor(spec, { buckets: [...lastHour(0, 16), { passed: 0, total: 3, startMs: nowMs - BUCKET, endMs: nowMs }], nowMs }); // 99 traces
    expect(e.current.total).toBe(99);
    expect(e.firing).toBe(false);
    expect(e.warmingUp).toBe(true);
  });

  it('does not fire at exactly the threshold', () => {
    const e = evaluateMonitor(spec, { buckets: [{ passed: 80, total: 100, startMs: nowMs - BUCKET, endMs: nowMs }], nowMs });
    expect(e.firing).toBe(false);
    expect(e.warmingUp).toBe(false);
  });

  it('ignores buckets that ended before the window', () => {
    // Counted, the old bucket would pull 108 of 120 (0.90) down to 108 of 1120, or 90 of 120 (0.75) up to 1090 of 1120.
    const bad = evaluateMonitor(spec, { buckets: [old(0, 1000), ...lastHour(18, 20)], nowMs });
    expect(bad.current).toEqual({ passed: 108, total: 120, rate: 0.9 });
    expect(bad.firing).toBe(false);
    const good = evaluateMonitor(spec, { buckets: [old(1000, 1000), ...lastHour(15, 20)], nowMs });
    expect(good.current).toEqual({ passed: 90, total: 120, rate: 0.75 });
    expect(good.firing).toBe(true);
    const onlyOld = evaluateMonitor(spec, { buckets: [old(0, 1000)], nowMs });
    expect(onlyOld.current.total).toBe(0);
    expect(onlyOld.firing).toBe(false);
  });

  it('counts a bucket that ends inside the window and not one that ends at its start', () => {
    const atStart: SeriesBucket = { passed: 0, total: 200, startMs: windowStart - BUCKET, endMs: windowStart };
    const straddling: SeriesBucket = { passed: 0, total: 200, startMs: windowStart - BUCKET + 1, endMs: windowStart + 1 };
    expect(evaluateMonitor(spec, { buckets: [atStart], nowMs }).current.total).toBe(0);
    expect(evaluateMonitor(spec, { buckets: [straddling], nowMs }).current.total).toBe(200);
  });
});

/**
 * Φ(z), independently of the module: Simpson's rule on the standard normal density from −40 (where
 * the tail below is far under 1e-300) to z, with 200,000 intervals.
 */
function normalCdf(z: number): number {
  const density = (t: number): number => Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI);
  const a = -40;
  const n = 200_000;
  const h = (z - a) / n;
  let sum = density(a) + density(z);
  for (let i = 1; i < n; i++) sum += (i % 2 === 1 ? 4 : 2) * density(a + i * h);
  return (sum * h) / 3;
}

/** The one-sided pooled two-proportion z-test for "the first rate is lower", by its formula. */
function pooledZ(p1: number, n1: number, p2: number, n2: number): number {
  const p = (p1 * n1 + p2 * n2) / (n1 + n2);
  return (p1 - p2) / Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
}

describe('evaluateMonitor (canary)', () => {
  const spec = MonitorSpecSchema.parse({ name: 'canary-v2', rule: 'support', metric: 'grounded', detector: { kind: 'canary', canary: 'v2', live: 'v1', alpha: 0.01, minSamples: 200 } });
  const startMs = T0;
  const nowMs = T0 + 24 * 60 * MIN;

  it('is warming up and does not fire while either side is below minSamples', () => {
    for (const [canary, live] of [
      [{ passed: 100, total: 199 }, { passed: 850, total: 1000 }],
      [{ passed: 800, total: 1000 }, { passed: 199, total: 199 }],
    ] as const) {
      const e = evaluateMonitor(spec, { canary: { canary, live, startMs }, nowMs });
      expect(e.firing).toBe(false);
      expect(e.warmingUp).toBe(true);
      expect(e.pValue).toBeNull();
    }
    const none = evaluateMonitor(spec, { nowMs });
    expect(none.firing).toBe(false);
    expect(none.warmingUp).toBe(true);
  });

  it('fires on 800/1000 against 850/1000 at alpha 0.01, with the pooled z-test p-value', () => {
    const e = evaluateMonitor(spec, { canary: { canary: { passed: 800, total: 1000 }, live: { passed: 850, total: 1000 }, startMs }, nowMs });
    // By hand: pooled p = 0.825, se = √(0.825 · 0.175 · 0.002) ≈ 0.01699, z ≈ −2.942, Φ(z) ≈ 0.00163
    // (R: prop.test(c(800, 850), c(1000, 1000), alternative = "less", correct = FALSE)).
    const z = pooledZ(0.8, 1000, 0.85, 1000);
    expect(z).toBeCloseTo(-2.9424, 4);
    const expected = normalCdf(z);
    expect(expected.toPrecision(2)).toBe('0.0016');
    expect(e.pValue).not.toBeNull();
    expect(Math.abs((e.pValue as number) - expected) / expected).toBeLessThan(1e-9);
    expect(e.firing).toBe(true);
    expect(e.warmingUp).toBe(false);
    expect(e.sinceMs).toBe(startMs);
    expect(e.statistic).toBeCloseTo(-z, 9);
    expect(e.delta).toBeCloseTo(-0.05, 12);
    expect(e.baseline).toBe(0.85);
    expect(e.current).toEqual({ passed: 800, total: 1000, rate: 0.8 });
    expect(e.baselineWindow).toEqual({ passed: 850, total: 1000, rate: 0.85 });
  });

  it('does not fire on 840/1000 against 850/1000 (p ≈ 0.27)', () => {
    const e = evaluateMonitor(spec, { canary: { canary: { passed: 840, total: 1000 }, live: { passed: 850, total: 1000 }, startMs }, nowMs });
    const expected = normalCdf(pooledZ(0.84, 1000, 0.85, 1000));
    expect(Math.abs((e.pValue as number) - expected) / expected).toBeLessThan(1e-9);
    expect(expected).toBeGreaterThan(0.01);
    expect(e.firing).toBe(false);
    expect(e.sinceMs).toBeNull();
    expect(e.warmingUp).toBe(false);
  });
});

describe('evaluateMonitor: judge drift', () => {
  const spec = MonitorSpecSchema.parse({ name: 'd', rule: 'r', metric: 'helpful', detector: { kind: 'judge-drift', threshold: 0.2, minItems: 20, bucketHours: 24 } });
  const day = 86_400_000;

  it('judges the latest bucket with enough items: 6 of 20 overruled (30%) fires at 20%', () => {
    const e = evaluateMonitor(spec, { drift: [{ startMs: 0, n: 40, disagreements: 2 }, { startMs: day, n: 20, disagreements: 6 }, { startMs: 2 * day, n: 5, disagreements: 5 }], nowMs: 3 * day });
    expect(e).toMatchObject({ firing: true, sinceMs: day, detectedAtMs: 2 * day, current: { passed: 14, total: 20, rate: 0.7 }, warmingUp: false });
    expect(e.baseline).toBeCloseTo(0.8, 12);
    expect(e.delta).toBeCloseTo(-0.1, 12);
  });

  it('does not fire at exactly the threshold, and warms up with no bucket of minItems', () => {
    expect(evaluateMonitor(spec, { drift: [{ startMs: 0, n: 20, disagreements: 4 }], nowMs: day }).firing).toBe(false);
    const empty = evaluateMonitor(spec, { drift: [{ startMs: 0, n: 19, disagreements: 19 }], nowMs: day });
    expect(empty).toMatchObject({ firing: false, warmingUp: true, current: { total: 0, rate: null } });
  });
});
