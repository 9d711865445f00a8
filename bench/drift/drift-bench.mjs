/**
 * Drift bench (issue 7, "Must be right"): replays seeded synthetic production streams through the
 * change detectors of src/core/monitor (imported from dist/) and the peers' fixed-threshold alert,
 * and measures false alarms on stationary streams and detection delay after a known drop.
 */
import { cusumDetector } from '../../dist/core/monitor/cusum-detector.js';
import { ewmaDetector } from '../../dist/core/monitor/ewma-detector.js';
import { pageHinkleyDetector } from '../../dist/core/monitor/page-hinkley-detector.js';
import { shiryaevRobertsDetector } from '../../dist/core/monitor/shiryaev-roberts-detector.js';
import { thresholdDetector } from '../../dist/core/monitor/threshold-detector.js';
import { fmt, median, quantile } from '../lib/stats.mjs';
import { generateStream, STREAM } from './drift-streams.mjs';
import { replay } from './drift-replay.mjs';
import { dayAlignedCeiling, empiricalOracle } from './oracle-ceiling.mjs';

const WARMUP_DAYS = 14;
const MONITOR_DAYS = 30;
const CHANGE_DAY = 10; // monitored day of the change; its hour is uniform over the day
const TARGET_FA = 1; // false alarms per 30 days, at most
const TARGET_DETECT = 0.9; // issue 7's target: share of 5-point drops detected within a day (beyond the limit)
const TARGET_1D = 0.6; // issue 15: share of 5-point drops detected within one day, at least
const TARGET_2D = 0.9; // issue 15: … within two days, at least

const pct = (x) => `${(x * 100).toFixed(1)}%`;

const DEFAULTS = [
  { name: 'CUSUM (default)', granularity: 'trace', make: () => cusumDetector() },
  { name: 'EWMA', granularity: 'trace', make: () => ewmaDetector() },
  { name: 'Page–Hinkley', granularity: 'trace', make: () => pageHinkleyDetector() },
  { name: 'Shiryaev–Roberts', granularity: 'trace', make: () => shiryaevRobertsDetector() },
  { name: 'threshold 0.80 daily', granularity: 'day', make: () => thresholdDetector({ threshold: 0.8 }) },
  { name: 'threshold 0.82 daily', granularity: 'day', make: () => thresholdDetector({ threshold: 0.82 }) },
];
const SWEEP = [
  ...[4, 4.5, 5, 5.5, 6, 7].map((h) => ({ name: `CUSUM h=${h}`, granularity: 'trace', make: () => cusumDetector({ h }) })),
  ...[3, 3.2, 3.4, 3.6, 3.8].map((limit) => ({ name: `EWMA L=${limit}`, granularity: 'trace', make: () => ewmaDetector({ limit }) })),
  ...[0.002, 0.008].map((lambda) => ({ name: `EWMA λ=${lambda}`, granularity: 'trace', make: () => ewmaDetector({ lambda }) })),
  ...[14, 16, 18, 20, 24].map((lambda) => ({ name: `Page–Hinkley λ=${lambda}`, granularity: 'trace', make: () => pageHinkleyDetector({ lambda }) })),
  ...[10, 10.2, 10.6, 11].map((h) => ({ name: `Shiryaev–Roberts h=${h}`, granularity: 'trace', make: () => shiryaevRobertsDetector({ h }) })),
  ...[0.04, 0.045].map((shift) => ({ name: `Shiryaev–Roberts shift=${shift}`, granularity: 'trace', make: () => shiryaevRobertsDetector({ shift }) })),
  ...[0.81, 0.83].map((threshold) => ({ name: `threshold ${threshold} daily`, granularity: 'day', make: () => thresholdDetector({ threshold }) })),
];

const HEADERS = ['detector', 'false alarms / 30 days (stationary)', 'detected ≤ 1 day', 'oracle ≤ 1 day', 'detected ≤ 2 days', 'oracle ≤ 2 days', 'median delay (days)', 'p90 delay (days)', 'false alarms / 30 days (before the drop)'];

/** Runs `replays` seeded replays of one scenario and summarises each detector. */
function runScenario({ seed0, replays, drop, specs }) {
  const perDay = STREAM.perDay;
  const monitorFrom = WARMUP_DAYS * perDay;
  const days = WARMUP_DAYS + MONITOR_DAYS;
  const stats = Object.fromEntries(specs.map((s) => [s.name, { falseAlarms: 0, delays: [] }]));
  // For the oracle: passes in disjoint monitored windows of one and two days (stationary), and in the
  // first one and two days after the change (drop).
  const windows = { day: [], twoDays: [] };
  for (let r = 0; r < replays; r++) {
    const seed = seed0 + r;
    const changeAt = drop > 0 ? Math.floor((WARMUP_DAYS + CHANGE_DAY + ((seed * 0.6180339887) % 1)) * perDay) : Infinity;
    const { outcomes } = generateStream({ seed, days, changeAt, drop });
    const alarms = replay(outcomes, perDay, monitorFrom, specs);
    const passesIn = (from, n) => {
      let k = 0;
      for (let i = from; i < from + n; i++) k += outcomes[i];
      return k;
    };
    if (drop > 0) {
      windows.day.push(passesIn(changeAt, perDay));
      windows.twoDays.push(passesIn(changeAt, 2 * perDay));
    } else {
      for (let d = 0; d < MONITOR_DAYS; d++) windows.day.push(passesIn(monitorFrom + d * perDay, perDay));
      for (let d = 0; d + 1 < MONITOR_DAYS; d += 2) windows.twoDays.push(passesIn(monitorFrom + d * perDay, 2 * perDay));
    }
    for (const s of specs) {
      const a = alarms[s.name];
      const st = stats[s.name];
      st.falseAlarms += a.filter((i) => i < changeAt).length;
      if (drop > 0) {
        const first = a.find((i) => i >= changeAt);
        st.delays.push(first === undefined ? Infinity : (first + 1 - changeAt) / perDay);
      }
    }
  }
  const rows = specs.map((s) => {
    const st = stats[s.name];
    const monitoredBeforeChange = drop > 0 ? CHANGE_DAY + 0.5 : MONITOR_DAYS; // mean days at risk per replay
    return {
      name: s.name,
      falseAlarmsPer30: (st.falseAlarms / replays) * (30 / monitoredBeforeChange),
      withinDay: drop > 0 ? st.delays.filter((d) => d <= 1).length / replays : undefined,
      within: (days_) => st.delays.filter((d) => d <= days_).length / replays,
      detected: drop > 0 ? st.delays.filter((d) => Number.isFinite(d)).length / replays : undefined,
      medianDelay: drop > 0 ? median(st.delays) : undefined,
      p90Delay: drop > 0 ? quantile(st.delays, 0.9) : undefined,
    };
  });
  rows.windows = windows;
  return rows;
}

/** Share's 95% Wilson interval half-width, for the notes. */
function wilsonHalf(p, n) {
  const z = 1.96;
  return (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
}

export async function runDriftBench({ replays = 2000 } = {}) {
  const started = Date.now();
  const specs = [...DEFAULTS, ...SWEEP];
  const stationary = runScenario({ seed0: 1_000_000, replays, drop: 0, specs });
  const drop5 = runScenario({ seed0: 2_000_000, replays, drop: 0.05, specs });
  const drop2 = runScenario({ seed0: 3_000_000, replays, drop: 0.02, specs: DEFAULTS });
  const seconds = (Date.now() - started) / 1000;
  const byName = (rows, name) => rows.find((r) => r.name === name);
  const row = (name) => {
    const s = byName(stationary, name);
    const d = byName(drop5, name);
    return [name, fmt(s.falseAlarmsPer30, 2), pct(d.withinDay), pct(oracle1.power), pct(d.within(2)), pct(oracle2.power), fmt(d.medianDelay, 2), Number.isFinite(d.p90Delay) ? fmt(d.p90Delay, 2) : '> 20', fmt(d.falseAlarmsPer30, 2)];
  };
  const ceiling = dayAlignedCeiling({ perDay: STREAM.perDay, p0: STREAM.base, p1: STREAM.base - 0.05, falseAlarmsPerDay: TARGET_FA / 30 });
  let neededPerDay = STREAM.perDay;
  while (dayAlignedCeiling({ perDay: neededPerDay, p0: STREAM.base, p1: STREAM.base - 0.05, falseAlarmsPerDay: TARGET_FA / 30 }).power < TARGET_DETECT) neededPerDay += 10;
  // The oracle on the same data (issue 15): it knows the change time and tests the passes of the
  // first one (two) days after it, the most powerful test of p0 against p0 − 0.05 (Neyman–Pearson:
  // few passes), its cutoff set on the same replays' stationary windows so it raises at most one
  // false alarm per 30 days (α = 1/30 per one-day window, 2/30 per two-day window).
  const oracle1 = empiricalOracle(stationary.windows.day, drop5.windows.day, TARGET_FA / 30);
  const oracle2 = empiricalOracle(stationary.windows.twoDays, drop5.windows.twoDays, (2 * TARGET_FA) / 30);
  const def = (rows) => byName(rows, 'CUSUM (default)');
  const sr = (rows) => byName(rows, 'Shiryaev–Roberts');
  const verdicts = [
    { name: 'stationary: CUSUM (default) ≤ 1 false alarm / 30 days', pass: def(stationary).falseAlarmsPer30 <= TARGET_FA, detail: `${fmt(def(stationary).falseAlarmsPer30, 2)} per 30 days over ${replays} replays` },
    { name: 'stationary: Shiryaev–Roberts ≤ 1 false alarm / 30 days', pass: sr(stationary).falseAlarmsPer30 <= TARGET_FA, detail: `${fmt(sr(stationary).falseAlarmsPer30, 2)} per 30 days over ${replays} replays` },
    { name: `5-point drop: Shiryaev–Roberts detected within 1 day in ≥ ${pct(TARGET_1D)}`, pass: sr(drop5).withinDay >= TARGET_1D, detail: `${pct(sr(drop5).withinDay)} of ${replays} replays (±${pct(wilsonHalf(sr(drop5).withinDay, replays))}); oracle ${pct(oracle1.power)}; CUSUM (default) ${pct(def(drop5).withinDay)}` },
    { name: `5-point drop: Shiryaev–Roberts detected within 2 days in ≥ ${pct(TARGET_2D)}`, pass: sr(drop5).within(2) >= TARGET_2D, detail: `${pct(sr(drop5).within(2))} of ${replays} replays (±${pct(wilsonHalf(sr(drop5).within(2), replays))}); oracle ${pct(oracle2.power)}; CUSUM (default) ${pct(def(drop5).within(2))}` },
    { name: "issue 7's 5-point drop within 1 day in ≥ 90% (beyond the limit; kept for the record)", pass: def(drop5).withinDay >= TARGET_DETECT, detail: `CUSUM ${pct(def(drop5).withinDay)}, Shiryaev–Roberts ${pct(sr(drop5).withinDay)}; the oracle on the same data ${pct(oracle1.power)}, the binomial day-aligned ceiling ${pct(ceiling.power)}` },
  ];
  return {
    id: 'drift',
    title: 'Drift detectors: replay of synthetic production streams',
    budget: `≤ ${TARGET_FA} false alarm per 30 simulated days on stationary streams, and a 5-point drop at ${STREAM.perDay} scored traces/day detected within one day in ≥ ${pct(TARGET_1D)} and within two days in ≥ ${pct(TARGET_2D)} of replays (issue 15; issue 7's ≥ ${pct(TARGET_DETECT)} within a day is beyond the limit)`,
    method: [
      `bench/drift (pure; no database): ${replays} seeded replays per scenario of a pass/fail metric, ${STREAM.perDay} traces/day, base pass rate ${STREAM.base}, weekly cycle ±${STREAM.weeklyAmplitude * 100} point (random phase), each day's rate drawn from Beta(κ = ${STREAM.concentration}) around its weekday mean (beta-binomial counts; daily-rate sd ≈ ${fmt(100 * Math.sqrt(STREAM.base * (1 - STREAM.base) / STREAM.perDay + STREAM.base * (1 - STREAM.base) / (STREAM.concentration + 1) + STREAM.weeklyAmplitude ** 2 / 2), 1)} points against ${fmt(100 * Math.sqrt(STREAM.base * (1 - STREAM.base) / STREAM.perDay), 1)} for binomial noise alone).`,
      `Each replay: ${WARMUP_DAYS} warm-up days (the detectors learn the reference rate from their first 7,000 traces), then ${MONITOR_DAYS} monitored days. Stationary: no change. Drop: the rate falls by 5 points (and, separately, 2 points) at a known trace on monitored day ${CHANGE_DAY}, at a uniformly spread time of day.`,
      'Change detectors (dist/core/monitor) see every trace as it is scored; the fixed-threshold alert of the peers sees the daily pass rate (a daily bucket, ≥ 100 traces). Every detector is reset after an alarm. False alarms = alarms before the change, per 30 monitored days; delay = time from the change to the first alarm after it.',
      `Oracle (issue 15), "on the same data": a test that knows the change time and counts the passes of the first one (two) days after it — the Neyman–Pearson test of ${STREAM.base} against ${fmt(STREAM.base - 0.05, 2)} — with its cutoff set on the same replays' stationary one-day (two-day) windows for at most ${TARGET_FA} false alarm per 30 days (≤ ${oracle1.cutoff} of ${STREAM.perDay} passes in a day; ≤ ${oracle2.cutoff} of ${2 * STREAM.perDay} in two). No sequential detector, which must also find when the change came, can beat it; it is the ceiling beside each row.`,
      `Ceiling: the best possible test on one day-aligned day of data at ${fmt(TARGET_FA / 30, 4)} false alarms/day (Neyman–Pearson, exact binomial, no overdispersion, change at midnight) detects a 5-point drop within the day with probability ${pct(ceiling.power)} (alarm when ≤ ${ceiling.cutoff} of ${STREAM.perDay} pass); the same test needs about ${neededPerDay} traces/day to reach ${pct(TARGET_DETECT)}. So the two targets together are out of reach of any detector at 500/day; the tables show the trade-off.`,
    ],
    tables: [
      { title: 'Default settings, side by side (5-point drop)', headers: HEADERS, rows: DEFAULTS.map((s) => row(s.name)) },
      {
        title: '2-point drop (small, slow regressions)',
        headers: ['detector', 'detected ≤ 1 day', 'detected ≤ 7 days', 'detected by day 20', 'median delay (days)'],
        rows: drop2.map((d) => [d.name, pct(d.withinDay), pct(d.within(7)), pct(d.detected), Number.isFinite(d.medianDelay) ? fmt(d.medianDelay, 2) : '—']),
      },
      { title: 'Operating points (same replays): false alarms against detection within a day', headers: HEADERS, rows: SWEEP.map((s) => row(s.name)) },
    ],
    verdicts,
    notes: [`${3 * replays} replays, ${((3 * replays * (WARMUP_DAYS + MONITOR_DAYS) * STREAM.perDay) / 1e6).toFixed(1)} M traces, in ${seconds.toFixed(1)} s.`],
  };
}
