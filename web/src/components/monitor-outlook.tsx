import type { Monitor } from './monitor-api';

/**
 * A change monitor's arming and detectability (issue 15) as table cells: when it arms at the traffic
 * it gets, and what it can detect there (false alarms per 30 days, time to detect its shift).
 */

function days(d: number): string {
  return d < 2 ? `${(d * 24).toFixed(1)} h` : `${d.toFixed(1)} days`;
}

function perDay(n: number): string {
  return `${n >= 10 ? Math.round(n) : n.toFixed(1)} traces/day`;
}

export function ArmingCell({ monitor }: { monitor: Monitor }) {
  const a = monitor.arming;
  if (!a) return <span className="muted">—</span>;
  if (a.armed) return <span>armed <span className="muted">({a.referenceTraces} traces, {a.referenceDays.toFixed(1)} days)</span></span>;
  if (a.observedPerDay === null) return <span>no traffic yet</span>;
  if (!a.armsWithinLookback || a.etaDays === null) return <span className="warning">never within the lookback at {perDay(a.observedPerDay)}</span>;
  return (
    <span>
      in {days(a.etaDays)} <span className="muted">at {perDay(a.observedPerDay)} ({a.warmupTraces} traces or {a.warmupDays} days)</span>
    </span>
  );
}

export function DetectabilityCell({ monitor }: { monitor: Monitor }) {
  const d = monitor.detectability;
  if (!d) return <span className="muted">—</span>;
  const points = `${+(d.shift * 100).toFixed(2)}-point drop`;
  return (
    <span>
      {d.falseAlarmsPer30Days.toFixed(2)} false alarms / 30 days;{' '}
      {d.expectedDetectionDays === null ? `a ${points}: not within 30 days` : `a ${points} in ${days(d.expectedDetectionDays)}`}
      <span className="muted"> at {perDay(d.perDay)}</span>
      {d.warnings.map((w) => (
        <div key={w} className="warning" role="note">
          Warning: {w}
        </div>
      ))}
    </span>
  );
}
