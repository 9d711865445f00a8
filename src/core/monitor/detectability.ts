/**
 * What a change monitor can detect at the traffic it gets (issue 15): the expected false alarms per
 * 30 days and the expected time to detect its configured shift, from the run-length distribution of
 * its own detector, simulated with a fixed seed and a bounded cost.
 *
 * The model is the one the monitor is evaluated on: its series in buckets of `bucketMinutes`, `perDay`
 * scored traces a day spread evenly, each day's true pass rate drawn around the reference with the
 * between-day standard deviation observed in the history (overdispersion; 0 is binomial noise), the
 * reference learned by the monitor's own arming rule (warmup traces or warmupDays) from simulated
 * in-control traffic, so its sampling error counts too. The very detector code of the monitor runs
 * on it (createDetector), reset after each alarm as the evaluation does:
 *
 * - false alarms: runs of 30 in-control days after arming (as many as the budget allows, up to
 *   2,000), each with its own reference drawn, alarms counted (the reference's sampling error drives
 *   most false alarms at low traffic, so the arming period is drawn as one pooled count, a day at a
 *   time, and the budget goes to the monitored days);
 * - delay: after arming, 1–2 in-control days (a random, bucket-aligned change time, so the statistic
 *   is in its steady state), then the rate drops by `shift`; the delay runs from the change to the end
 *   of the bucket that alarms. The mean over detected runs is the expected time to detect.
 *
 * A simulation is used rather than a Markov-chain ARL (Brook & Evans 1972) because it covers all four
 * detectors, bucketed observations, the reference's own sampling error and overdispersion alike; its
 * figures are checked against a replay of realistic streams (weekly cycle, overdispersion) in
 * bench/drift/detectability-bench.mjs (bench/RESULTS.md §9b).
 */
import { normalQuantileUpper } from '../plan/mcnemar-power.js';
import { seededRandom, type SeededRandom } from '../stats/seeded-random.js';
import { createDetector, type DetectorKind } from './detector-registry.js';
import type { MonitorSpec } from './monitor-spec.js';
import { DEFAULT_WARMUP_DAYS } from './warmup-days.js';

/** The traffic a monitor sees, as estimated from its history (trafficModel). */
export interface TrafficModel {
  /** Scored traces per day. */
  readonly perDay: number;
  /** The in-control pass rate. */
  readonly reference: number;
  /** Between-day standard deviation of the true pass rate beyond binomial noise, as a fraction. */
  readonly dayRateSd: number;
}

export interface Detectability extends TrafficModel {
  /** The drop the figures are for: the detector's `shift` param (default 0.05). */
  readonly shift: number;
  /** Days of traffic the monitor needs to arm at this rate. */
  readonly armingDays: number;
  /** Lookback less arming: how long a change stays in the monitor's view behind a clean reference. */
  readonly horizonDays: number;
  readonly falseAlarmsPer30Days: number;
  /** Mean days from a drop of `shift` to the alarm (detected runs), or null if none was detected. */
  readonly expectedDetectionDays: number | null;
  /** Share of drops detected within one day. */
  readonly detectedWithinDay: number;
  /** Share of drops detected within the horizon. */
  readonly detectedWithinHorizon: number;
  /** Simulated runs behind each figure. */
  readonly runs: { readonly falseAlarm: number; readonly delay: number };
  readonly warnings: readonly string[];
}

export interface DetectabilityOptions {
  readonly seed?: number;
  /** Bucket updates the simulation may spend: four fifths on false alarms, a fifth on delays (default 4,000,000). */
  readonly budget?: number;
  /** In-control days per false-alarm run after arming (default 30, as the figure is per 30 days). */
  readonly monitorDays?: number;
  /** Days after the change a delay run gives up (default 30). */
  readonly capDays?: number;
}

const MAX_RUNS = 400;
const MIN_RUNS = 30;

/**
 * @example
 * const d = detectability(MonitorSpecSchema.parse({ name: 'm', rule: 'r', metric: 'ok' }), { perDay: 500, reference: 0.85, dayRateSd: 0 });
 * d.falseAlarmsPer30Days // ≈ 0.2; d.expectedDetectionDays // ≈ 1.2
 */
export function detectability(spec: MonitorSpec, traffic: TrafficModel, options: DetectabilityOptions = {}): Detectability {
  const d = spec.detector;
  if (d.kind !== 'cusum' && d.kind !== 'ewma' && d.kind !== 'page-hinkley' && d.kind !== 'shiryaev-roberts') {
    throw new TypeError(`detectability is for change monitors; ${spec.name} is a ${d.kind} monitor`);
  }
  const params = d.params;
  const shift = params['shift'] ?? 0.05;
  const warmupTraces = params['warmup'] ?? 7000;
  const warmupDays = params['warmupDays'] ?? DEFAULT_WARMUP_DAYS;
  const given = d.kind !== 'page-hinkley' && typeof params['reference'] === 'number';
  // Buckets shorter than 10 minutes are simulated as 10-minute ones: the detectors treat a bucket as
  // the sum of its traces, so the figures barely move, and the cost stays bounded.
  const bucketDays = Math.max(spec.bucketMinutes, 10) / 1440;
  const perBucket = traffic.perDay * bucketDays;
  const count = (k: number): number => Math.floor((k + 1) * perBucket) - Math.floor(k * perBucket);
  // The arming rule on evenly spread traffic: buckets until warmup traces or warmupDays.
  let armBuckets = 0;
  let armTraces = 0;
  if (!given) {
    while (armTraces < warmupTraces && (armBuckets + 1) * bucketDays < warmupDays + 1e-9 && armBuckets < 1e7) armTraces += count(armBuckets++);
    if (armTraces < warmupTraces) armTraces += count(armBuckets++);
  }
  const armingDays = armBuckets * bucketDays;
  const lookbackDays = spec.lookbackHours / 24;
  const horizonDays = Math.max(0, lookbackDays - armingDays);
  const budget = options.budget ?? 4_000_000;
  const monitorDays = options.monitorDays ?? 30;
  const capDays = options.capDays ?? 30;
  const bucketsPerDay = 1 / bucketDays;
  const rng = seededRandom(options.seed ?? 20_261_206);
  const make = () => createDetector(d.kind as DetectorKind, { ...params, warmup: Math.max(1, armTraces) });
  // Traces of each day of the arming period, to draw the reference's sample a day at a time.
  const armDays = new Map<number, number>();
  for (let k = 0; k < armBuckets; k++) {
    const day = Math.floor(k * bucketDays);
    armDays.set(day, (armDays.get(day) ?? 0) + count(k));
  }

  // One simulated history: day rates drawn around the reference (memoised by day), counts spread evenly, passes binomial.
  const history = () => {
    const rates = new Map<number, number>();
    const dayRate = (day: number): number => {
      let r = rates.get(day);
      if (r === undefined) {
        r = traffic.dayRateSd > 0 ? traffic.reference + traffic.dayRateSd * gaussian(rng) : traffic.reference;
        rates.set(day, r);
      }
      return r;
    };
    const p = (day: number, drop: number) => Math.min(1 - 1e-6, Math.max(1e-6, dayRate(day) - drop));
    return {
      bucket(k: number, drop: number): { passed: number; total: number } {
        const n = count(k);
        return { passed: binomial(rng, n, p(Math.floor(k * bucketDays), drop)), total: n };
      },
    };
  };
  // The arming period as one pooled observation (the detector pools it into its reference exactly as
  // bucket by bucket): its count is normal with the binomial and the between-day variance, drawn at
  // stratified quantiles, run r of R at the r-th of R equal slices of probability. The reference's
  // sampling error drives most false alarms at low traffic, so stratifying it removes most of the
  // run-to-run noise of the figures (a variance reduction; the expectation is unchanged).
  const armSd = Math.sqrt(armTraces * traffic.reference * (1 - traffic.reference) + [...armDays.values()].reduce((s, n) => s + n * n, 0) * traffic.dayRateSd ** 2);
  const armed = (r: number, of: number) => {
    const det = make();
    if (!given) {
      const z = normalQuantileUpper((r + rng.next()) / of);
      det.update({ passed: Math.min(armTraces, Math.max(0, Math.round(armTraces * traffic.reference + z * armSd))), total: armTraces });
    }
    return { det, h: history() };
  };

  // False alarms: many short in-control runs, so the reference's own sampling error (which drives
  // most false alarms at low traffic) is averaged over many draws.
  const faBuckets = Math.round(monitorDays * bucketsPerDay);
  const faRuns = clampRuns((budget * 0.8) / faBuckets, MAX_RUNS * 5);
  let alarms = 0;
  for (let r = 0; r < faRuns; r++) {
    const { det, h } = armed(r, faRuns);
    for (let k = armBuckets; k < armBuckets + faBuckets; k++) {
      if (det.update(h.bucket(k, 0)).alarm) {
        alarms += 1;
        det.reset();
      }
    }
  }
  const delays: number[] = [];
  /** Traces from an alarm on the drop to the next one, measured in the first 100 delay runs. */
  const realarms: number[] = [];
  let sinceFirst = 0;
  let delayRuns = 0;
  let spent = 0;
  const capBuckets = Math.round(capDays * bucketsPerDay);
  while (delayRuns < MAX_RUNS && (delayRuns < MIN_RUNS || spent < budget * 0.2)) {
    const { det, h } = armed(delayRuns % MIN_RUNS, MIN_RUNS);
    delayRuns += 1;
    const changeAt = armBuckets + Math.round((1 + rng.next()) * bucketsPerDay);
    let delay = Number.POSITIVE_INFINITY;
    let firstAt = -1;
    for (let k = armBuckets; k < changeAt + capBuckets; k++) {
      spent += 1;
      const o = h.bucket(k, k >= changeAt ? shift : 0);
      if (firstAt >= 0) sinceFirst += o.total;
      const alarm = det.update(o).alarm;
      if (!alarm) continue;
      det.reset();
      if (k < changeAt) continue;
      if (firstAt < 0) {
        // Detected; go on to the next alarm on the sustained drop, from the reset statistic.
        delay = (k + 1 - changeAt) * bucketDays;
        firstAt = k;
        sinceFirst = 0;
        if (delayRuns > 100) break;
        continue;
      }
      realarms.push(sinceFirst);
      break;
    }
    delays.push(delay);
  }
  const detected = delays.filter((x) => Number.isFinite(x));
  const falseAlarmsPer30Days = (alarms / faRuns) * (30 / monitorDays);
  const expectedDetectionDays = detected.length ? detected.reduce((s, x) => s + x, 0) / detected.length : null;
  const detectedWithinHorizon = delays.filter((x) => x <= horizonDays).length / delays.length;
  const warnings: string[] = [];
  const points = `${+(shift * 100).toFixed(2)}-point drop`;
  if (!given && armingDays >= lookbackDays) {
    warnings.push(`it cannot arm within its ${fmtDays(lookbackDays)} lookback at ${Math.round(traffic.perDay)} traces/day (it needs ${warmupTraces} traces or ${warmupDays} days): lower warmupDays or raise lookbackHours`);
  } else if (detectedWithinHorizon < 0.9) {
    warnings.push(
      `a ${points} is detected within the ${fmtDays(horizonDays)} its ${fmtDays(lookbackDays)} lookback leaves after arming in only ${(detectedWithinHorizon * 100).toFixed(0)}% of cases (expected ${expectedDetectionDays === null ? 'never' : fmtDays(expectedDetectionDays)}): raise lookbackHours, the shift, or the traffic`,
    );
  }
  // After an alarm the evaluation resets the detector; on a sustained drop it must alarm again before
  // recoveryTraces quiet traces pass, or the alert resolves and reopens (Shiryaev–Roberts, whose
  // statistic restarts from nothing, takes longer than CUSUM to alarm again).
  const realarm = realarms.length >= 10 ? [...realarms].sort((a, b) => a - b)[Math.floor(0.5 * (realarms.length - 1))] : undefined;
  if (realarm !== undefined && spec.autoResolve && spec.recoveryTraces < realarm) {
    warnings.push(`recoveryTraces (${spec.recoveryTraces}) is below the ${realarm} traces it typically (median) takes to alarm again on a sustained drop: the alert would resolve and reopen; set recoveryTraces to ${Math.ceil((2 * realarm) / 500) * 500}`);
  }
  return {
    ...traffic,
    shift,
    armingDays,
    horizonDays,
    falseAlarmsPer30Days,
    expectedDetectionDays,
    detectedWithinDay: delays.filter((x) => x <= 1).length / delays.length,
    detectedWithinHorizon,
    runs: { falseAlarm: faRuns, delay: delayRuns },
    warnings,
  };
}

function clampRuns(x: number, max = MAX_RUNS): number {
  return Math.max(MIN_RUNS, Math.min(max, Math.floor(x)));
}

function fmtDays(days: number): string {
  return days < 2 ? `${(days * 24).toFixed(0)} hours` : `${days.toFixed(1)} days`;
}

function gaussian(rng: SeededRandom): number {
  let u = 0;
  while (u === 0) u = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/**
 * Binomial(n, p): exact by inversion below 200 trials (a walk up the distribution of the rarer
 * outcome, about n·min(p, 1 − p) + 1 steps for one uniform), the normal approximation above.
 */
function binomial(rng: SeededRandom, n: number, p: number): number {
  if (n <= 0) return 0;
  if (n < 200) {
    const rare = Math.min(p, 1 - p);
    const odds = rare / (1 - rare);
    let f = (1 - rare) ** n;
    let cdf = f;
    const u = rng.next();
    let k = 0;
    while (u > cdf && k < n) {
      f *= ((n - k) / (k + 1)) * odds;
      cdf += f;
      k += 1;
    }
    return rare === p ? k : n - k;
  }
  const x = Math.round(n * p + Math.sqrt(n * p * (1 - p)) * gaussian(rng));
  return Math.min(n, Math.max(0, x));
}

/**
 * The traffic model of a monitor's history: scored traces per day from the first trace to now, the
 * reference (given, or the pooled rate), and the between-day standard deviation of the pass rate by
 * the method of moments over UTC days (DerSimonian & Laird 1986), 0 with fewer than 3 days.
 * @returns null without traffic
 */
export function trafficModel(buckets: readonly { readonly startMs: number; readonly passed: number; readonly total: number }[], nowMs: number, reference?: number | null): TrafficModel | null {
  const nonEmpty = buckets.filter((b) => b.total > 0);
  const first = nonEmpty[0];
  if (!first) return null;
  let passed = 0;
  let total = 0;
  const days = new Map<number, { passed: number; total: number }>();
  for (const b of nonEmpty) {
    passed += b.passed;
    total += b.total;
    const key = Math.floor(b.startMs / 86_400_000);
    const day = days.get(key) ?? { passed: 0, total: 0 };
    day.passed += b.passed;
    day.total += b.total;
    days.set(key, day);
  }
  const pooled = passed / total;
  const perDay = total / Math.max((nowMs - first.startMs) / 86_400_000, 1 / 1440);
  let dayRateSd = 0;
  if (days.size >= 3 && pooled > 0 && pooled < 1) {
    const list = [...days.values()];
    const q = list.reduce((s, x) => s + x.total * (x.passed / x.total - pooled) ** 2, 0) / (pooled * (1 - pooled));
    const sumN = list.reduce((s, x) => s + x.total, 0);
    const sumN2 = list.reduce((s, x) => s + x.total * x.total, 0);
    const tau2 = ((q - (list.length - 1)) * pooled * (1 - pooled)) / (sumN - sumN2 / sumN);
    dayRateSd = Math.sqrt(Math.max(0, tau2));
  }
  const ref = reference ?? pooled;
  return { perDay, reference: Math.min(0.999, Math.max(0.001, ref)), dayRateSd };
}
