/**
 * A monitor's verdict from its series, pure: the service reads the buckets (or, for a canary, the two
 * windows) from the store and the clock, this decides whether the monitor fires, since when, and by
 * how much the signal moved. Change detectors replay the whole lookback on every evaluation, so the
 * verdict depends only on the stored scores (late traces are counted where they belong, and every
 * worker reaches the same answer).
 */
import type { Observation } from './change-detector.js';
import { createDetector } from './detector-registry.js';
import type { MonitorSpec } from './monitor-spec.js';
import { DEFAULT_WARMUP_DAYS } from './warmup-days.js';
import { twoProportionTest } from './two-proportion-test.js';

/** Sampled traces of one bucket of the series. */
export interface SeriesBucket extends Observation {
  readonly startMs: number;
  readonly endMs: number;
}

export interface RateWindow extends Observation {
  readonly rate: number | null;
}

export interface MonitorEvaluation {
  readonly firing: boolean;
  /** Estimated start of the change (the detector's statistic last left zero), or the window start. */
  readonly sinceMs: number | null;
  /** When the detector (or test) first said so in this episode. */
  readonly detectedAtMs: number | null;
  /** The level the signal is compared with: the learned reference, the threshold, or live's rate. */
  readonly baseline: number | null;
  /** The signal now: since the change (change), the window (threshold), the canary's window. */
  readonly current: RateWindow;
  /** Live's counts over the same window (canary monitors); null otherwise. */
  readonly baselineWindow: RateWindow | null;
  /** current − baseline, in rate units (−0.05 is a 5-point drop). */
  readonly delta: number | null;
  readonly statistic: number;
  readonly pValue: number | null;
  readonly warmingUp: boolean;
  /** One sentence saying what was found. */
  readonly summary: string;
  /** Change monitors: how far the reference is learned and when the monitor arms (absent for the other kinds). */
  readonly arming?: MonitorArming;
}

export interface CanaryWindows {
  readonly canary: Observation;
  readonly live: Observation;
  readonly startMs: number;
}

/**
 * @param buckets the monitor's series in time order (change and threshold monitors)
 * @param canary the two windows (canary monitors)
 */
/** Settled review items of the judge metric per bucket: how many, and on how many the judge and people disagree. */
export interface DriftBucket {
  readonly startMs: number;
  readonly n: number;
  readonly disagreements: number;
}

export function evaluateMonitor(spec: MonitorSpec, input: { buckets?: readonly SeriesBucket[]; canary?: CanaryWindows; drift?: readonly DriftBucket[]; nowMs: number }): MonitorEvaluation {
  const d = spec.detector;
  switch (d.kind) {
    case 'judge-drift':
      return evaluateJudgeDrift(spec, d, input.drift ?? []);
    case 'canary':
      return evaluateCanary(spec, d, input.canary ?? { canary: { passed: 0, total: 0 }, live: { passed: 0, total: 0 }, startMs: input.nowMs }, input.nowMs);
    case 'threshold':
      return evaluateThreshold(d, input.buckets ?? [], input.nowMs);
    default:
      return evaluateChange(spec, input.buckets ?? [], input.nowMs);
  }
}

/** The counts of several buckets together. */
function pool(buckets: readonly Observation[]): Observation {
  let passed = 0;
  let total = 0;
  for (const b of buckets) {
    passed += b.passed;
    total += b.total;
  }
  return { passed, total };
}

function rateOf(o: Observation): RateWindow {
  return { passed: o.passed, total: o.total, rate: o.total > 0 ? o.passed / o.total : null };
}

function pct(x: number | null): string {
  return x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`;
}

/** How a change monitor arms (issue 15): the traces-or-days rule of warmup-days.ts, against its history. */
export interface MonitorArming {
  readonly armed: boolean;
  /** The rule's two limits: the monitor arms at whichever it reaches first. */
  readonly warmupTraces: number;
  readonly warmupDays: number;
  /** Traces pooled into the reference so far (all of them once armed: the reference's sample). */
  readonly referenceTraces: number;
  /** Days those traces span, from the first one in the lookback. */
  readonly referenceDays: number;
  /** Scored traces per day over the lookback (from the first trace to now), or null without traffic. */
  readonly observedPerDay: number | null;
  /** Days until armed at the observed rate: 0 once armed, null without traffic or when it cannot arm. */
  readonly etaDays: number | null;
  /** False when neither limit can be reached inside the lookback at the observed rate. */
  readonly armsWithinLookback: boolean;
}

const DAY_MS = 86_400_000;

/**
 * Where the reference is complete: the first bucket by which the series has `warmupTraces` traces,
 * or spans `warmupDays` days from its first non-empty bucket. A given reference needs no warm-up.
 */
export function armingOf(spec: MonitorSpec, buckets: readonly SeriesBucket[], nowMs: number): MonitorArming & { readonly armTraces: number | null } {
  const params = (spec.detector as { params?: Record<string, number> }).params ?? {};
  const warmupTraces = params['warmup'] ?? 7000;
  const warmupDays = params['warmupDays'] ?? DEFAULT_WARMUP_DAYS;
  const nonEmpty = buckets.filter((b) => b.total > 0);
  const firstMs = nonEmpty[0]?.startMs;
  const total = nonEmpty.reduce((s, b) => s + b.total, 0);
  const lookbackDays = spec.lookbackHours / 24;
  const observedPerDay = firstMs === undefined ? null : total / Math.max((nowMs - firstMs) / DAY_MS, spec.bucketMinutes / 1440);
  if (typeof params['reference'] === 'number' && spec.detector.kind !== 'page-hinkley') {
    return { armed: true, warmupTraces, warmupDays, referenceTraces: 0, referenceDays: 0, observedPerDay, etaDays: 0, armsWithinLookback: true, armTraces: 0 };
  }
  let pooled = 0;
  for (const b of nonEmpty) {
    pooled += b.total;
    const days = (b.endMs - (firstMs as number)) / DAY_MS;
    if (pooled >= warmupTraces || days >= warmupDays) {
      return { armed: true, warmupTraces, warmupDays, referenceTraces: pooled, referenceDays: days, observedPerDay, etaDays: 0, armsWithinLookback: true, armTraces: pooled };
    }
  }
  const spanDays = firstMs === undefined ? 0 : Math.max(0, (nowMs - firstMs) / DAY_MS);
  const byTraces = observedPerDay ? (warmupTraces - total) / observedPerDay : Number.POSITIVE_INFINITY;
  const eta = Math.max(0, Math.min(warmupDays - spanDays, byTraces));
  const armsWithinLookback = warmupDays < lookbackDays || (observedPerDay !== null && warmupTraces / observedPerDay < lookbackDays);
  return {
    armed: false,
    warmupTraces,
    warmupDays,
    referenceTraces: total,
    referenceDays: spanDays,
    observedPerDay,
    etaDays: observedPerDay === null || !armsWithinLookback ? null : eta,
    armsWithinLookback,
    armTraces: null,
  };
}

function evaluateChange(spec: MonitorSpec, buckets: readonly SeriesBucket[], nowMs: number): MonitorEvaluation {
  const d = spec.detector as Extract<MonitorSpec['detector'], { kind: 'cusum' | 'ewma' | 'page-hinkley' | 'shiryaev-roberts' }>;
  const { armTraces, ...arming } = armingOf(spec, buckets, nowMs);
  // The detector learns its reference from exactly the traces the arming rule pooled (or, not armed yet, from more than there are).
  const warmup = armTraces === null ? arming.referenceTraces + 1 : Math.max(1, armTraces);
  const detector = createDetector(d.kind, { ...d.params, warmup });
  const givenReference = typeof d.params['reference'] === 'number' ? d.params['reference'] : undefined;
  let refPassed = 0;
  let refTotal = 0;
  let reference = givenReference;
  let lastZeroMs: number | null = null;
  let episode: { sinceMs: number; detectedAtMs: number } | null = null;
  let sinceAlarm = 0;
  let statistic = 0;
  let warmingUp = true;
  for (const b of buckets) {
    if (b.total === 0) continue;
    if (reference === undefined) {
      refPassed += b.passed;
      refTotal += b.total;
      if (refTotal >= warmup) reference = refPassed / refTotal;
    }
    if (lastZeroMs === null) lastZeroMs = b.startMs;
    const v = detector.update(b);
    statistic = v.statistic;
    warmingUp = v.warmingUp;
    if (v.alarm) {
      if (!episode) episode = { sinceMs: lastZeroMs, detectedAtMs: b.endMs };
      detector.reset();
      sinceAlarm = 0;
      lastZeroMs = b.endMs;
      statistic = 0;
      continue;
    }
    if (v.warmingUp || v.statistic === 0) lastZeroMs = b.endMs;
    if (episode) {
      sinceAlarm += b.total;
      if (spec.autoResolve && sinceAlarm >= spec.recoveryTraces) episode = null;
    }
  }
  const baseline = reference ?? null;
  if (episode) {
    const since = episode.sinceMs;
    const current = rateOf(pool(buckets.filter((b) => b.startMs >= since)));
    const delta = baseline !== null && current.rate !== null ? current.rate - baseline : null;
    return {
      firing: true,
      sinceMs: episode.sinceMs,
      detectedAtMs: episode.detectedAtMs,
      baseline,
      current,
      baselineWindow: null,
      delta,
      statistic,
      pValue: null,
      warmingUp: false,
      arming,
      summary: `${spec.metric} pass rate ${pct(current.rate)} since ${new Date(episode.sinceMs).toISOString()}, against a reference of ${pct(baseline)} (${d.kind} alarm)`,
    };
  }
  const recent = buckets.slice(-Math.max(1, Math.ceil(buckets.length / 10)));
  const current = rateOf(pool(recent));
  return {
    firing: false,
    sinceMs: null,
    detectedAtMs: null,
    baseline,
    current,
    baselineWindow: null,
    delta: baseline !== null && current.rate !== null ? current.rate - baseline : null,
    statistic,
    pValue: null,
    warmingUp,
    arming,
    summary: warmingUp ? `learning the reference level: ${armingInWords(arming)}` : `${spec.metric} pass rate in control around ${pct(baseline)}`,
  };
}

function evaluateThreshold(d: Extract<MonitorSpec['detector'], { kind: 'threshold' }>, buckets: readonly SeriesBucket[], nowMs: number): MonitorEvaluation {
  const startMs = nowMs - d.windowMinutes * 60_000;
  const inWindow = buckets.filter((b) => b.endMs > startMs);
  const agg = pool(inWindow);
  const current = rateOf(agg);
  const enough = agg.total >= d.minSamples;
  const firing = enough && current.rate !== null && current.rate < d.threshold;
  return {
    firing,
    sinceMs: firing ? startMs : null,
    detectedAtMs: firing ? nowMs : null,
    baseline: d.threshold,
    current,
    baselineWindow: null,
    delta: current.rate === null ? null : current.rate - d.threshold,
    statistic: current.rate === null ? 0 : d.threshold - current.rate,
    pValue: null,
    warmingUp: !enough,
    summary: enough
      ? `pass rate ${pct(current.rate)} over the last ${d.windowMinutes} min (${agg.total} traces), threshold ${pct(d.threshold)}`
      : `${agg.total} of the ${d.minSamples} traces the window needs`,
  };
}

function evaluateJudgeDrift(spec: MonitorSpec, d: Extract<MonitorSpec['detector'], { kind: 'judge-drift' }>, drift: readonly DriftBucket[]): MonitorEvaluation {
  const latest = [...drift].sort((a, b) => a.startMs - b.startMs).reverse().find((b) => b.n >= d.minItems);
  // The signal is agreement, so "current" reads like the other monitors: passed = items the judge got right.
  const current = latest ? rateOf({ passed: latest.n - latest.disagreements, total: latest.n }) : { passed: 0, total: 0, rate: null };
  const rate = latest ? latest.disagreements / latest.n : null;
  const firing = rate !== null && rate > d.threshold;
  return {
    firing,
    sinceMs: firing && latest ? latest.startMs : null,
    detectedAtMs: firing && latest ? latest.startMs + d.bucketHours * 3_600_000 : null,
    baseline: 1 - d.threshold,
    current,
    baselineWindow: null,
    delta: current.rate === null ? null : current.rate - (1 - d.threshold),
    statistic: rate ?? 0,
    pValue: null,
    warmingUp: latest === undefined,
    summary: latest
      ? `judge ${spec.metric} disagrees with reviewers on ${pct(rate)} of ${latest.n} production items since ${new Date(latest.startMs).toISOString()} (threshold ${pct(d.threshold)})${firing ? ': recalibrate it' : ''}`
      : `no bucket has ${d.minItems} settled production items with a judge verdict yet`,
  };
}

function evaluateCanary(spec: MonitorSpec, d: Extract<MonitorSpec['detector'], { kind: 'canary' }>, w: CanaryWindows, nowMs: number): MonitorEvaluation {
  const current = rateOf(w.canary);
  const live = rateOf(w.live);
  const enough = w.canary.total >= d.minSamples && w.live.total >= d.minSamples;
  if (!enough) {
    return {
      firing: false,
      sinceMs: null,
      detectedAtMs: null,
      baseline: live.rate,
      current,
      baselineWindow: live,
      delta: current.rate !== null && live.rate !== null ? current.rate - live.rate : null,
      statistic: 0,
      pValue: null,
      warmingUp: true,
      summary: `waiting for ${d.minSamples} traces on each side (canary ${w.canary.total}, live ${w.live.total})`,
    };
  }
  const test = twoProportionTest(w.canary, w.live);
  const firing = test.pValue < d.alpha;
  return {
    firing,
    sinceMs: firing ? w.startMs : null,
    detectedAtMs: firing ? nowMs : null,
    baseline: live.rate,
    current,
    baselineWindow: live,
    delta: test.difference,
    statistic: -test.z,
    pValue: test.pValue,
    warmingUp: false,
    summary: `canary ${d.canary} ${spec.metric} ${pct(current.rate)} (${w.canary.total}) vs live ${d.live} ${pct(live.rate)} (${w.live.total}): ${(test.difference * 100).toFixed(1)} points, one-sided p = ${test.pValue.toPrecision(2)} (${test.method === 'z' ? 'two-proportion z' : 'Fisher exact'}), alpha ${d.alpha}`,
  };
}

/**
 * The arming state in words, for summaries and the CLI.
 * @example armingInWords({ armed: false, referenceTraces: 300, warmupTraces: 7000, referenceDays: 3, warmupDays: 7, observedPerDay: 100, etaDays: 4, armsWithinLookback: true }) // '300 of 7000 traces or 3.0 of 7 days; arms in 4.0 days at 100 traces/day'
 */
export function armingInWords(a: MonitorArming): string {
  if (a.armed) return `armed on ${a.referenceTraces} traces over ${a.referenceDays.toFixed(1)} days`;
  const have = `${a.referenceTraces} of ${a.warmupTraces} traces or ${a.referenceDays.toFixed(1)} of ${a.warmupDays} days`;
  if (a.observedPerDay === null) return `${have}; no scored traces yet`;
  const rate = `${a.observedPerDay >= 10 ? Math.round(a.observedPerDay) : a.observedPerDay.toFixed(1)} traces/day`;
  if (!a.armsWithinLookback || a.etaDays === null) return `${have}; cannot arm within the lookback at ${rate}`;
  return `${have}; arms in ${a.etaDays.toFixed(1)} days at ${rate}`;
}
