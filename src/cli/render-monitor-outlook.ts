/**
 * A change monitor's arming and detectability in words (issue 15), for `online apply`, `monitors
 * list` and `monitors show`. Reads the API's `arming` and `detectability` fields.
 */
import type { MonitorArming } from '../core/monitor/evaluate-monitor.js';

/** The API's `arming` field: the core's arming state (src/core/monitor/evaluate-monitor.ts). */
export type ArmingView = MonitorArming;

export interface DetectabilityView {
  readonly perDay: number;
  readonly shift: number;
  readonly falseAlarmsPer30Days: number;
  readonly expectedDetectionDays: number | null;
  readonly detectedWithinDay: number;
  readonly detectedWithinHorizon: number;
  readonly horizonDays: number;
  readonly dayRateSd: number;
  readonly warnings: readonly string[];
}

function days(d: number): string {
  return d < 2 ? `${(d * 24).toFixed(1)} h` : `${d.toFixed(1)} days`;
}

function rate(perDay: number): string {
  return `${perDay >= 10 ? Math.round(perDay) : perDay.toFixed(1)} traces/day`;
}

/** "armed", "in 3.2 days at 100 traces/day", "no traffic yet", "never within the lookback at 20 traces/day". */
export function armingCell(a: ArmingView | null): string {
  if (!a) return '—';
  if (a.armed) return 'armed';
  if (a.observedPerDay === null) return 'no traffic yet';
  if (!a.armsWithinLookback || a.etaDays === null) return `never within the lookback at ${rate(a.observedPerDay)}`;
  return `in ${days(a.etaDays)} at ${rate(a.observedPerDay)}`;
}

/** "0.8 false alarms/30 days; a 5-point drop in 1.1 days (57% within a day)". */
export function detectabilityLine(d: DetectabilityView): string {
  const points = `${+(d.shift * 100).toFixed(2)}-point drop`;
  const detect = d.expectedDetectionDays === null ? `a ${points} is not detected within 30 days` : `a ${points} detected in ${days(d.expectedDetectionDays)} on average (${(d.detectedWithinDay * 100).toFixed(0)}% within a day)`;
  return `at ${rate(d.perDay)}: ${d.falseAlarmsPer30Days.toFixed(2)} false alarms per 30 days; ${detect}`;
}

/** The lines `online apply` and `monitors show` print for a change monitor; warnings start with "warning:". */
export function outlookLines(arming: ArmingView | null, detectability: DetectabilityView | null): string[] {
  const out: string[] = [];
  if (arming) out.push(`arming: ${arming.armed ? `armed (reference of ${arming.referenceTraces} traces over ${arming.referenceDays.toFixed(1)} days)` : armingCell(arming)} — arms after ${arming.warmupTraces} traces or ${arming.warmupDays} days, whichever comes first`);
  if (detectability) {
    out.push(`detects: ${detectabilityLine(detectability)}`);
    for (const w of detectability.warnings) out.push(`warning: ${w}`);
  } else if (arming) out.push('detects: no scored traces yet; the figures come with the first evaluation that has traffic');
  return out;
}
