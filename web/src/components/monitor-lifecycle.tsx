import { when } from './format';
import type { Monitor } from './monitor-api';

/**
 * A monitor's lifecycle beside its name: paused (by whom, since when, why: it neither evaluates nor
 * alerts), stopped (its cohort's release is rolled back, traffic 0), or reading its cohort only since
 * a rollback rule acted. Nothing when none applies.
 */
export function MonitorLifecycle({ monitor: m }: { monitor: Monitor }) {
  const stopped = typeof m.lastEvaluation?.['stopped'] === 'string' ? (m.lastEvaluation['stopped'] as string) : null;
  if (m.paused) {
    return (
      <div className="monitor-lifecycle paused">
        <span className="badge monitor-paused">Paused</span>{' '}
        <span className="muted">
          by {m.paused.by} since <time dateTime={m.paused.at}>{when(m.paused.at)}</time>
          {m.paused.reason ? `: ${m.paused.reason}` : ''} — not evaluating or alerting
        </span>
      </div>
    );
  }
  if (stopped) {
    return (
      <div className="monitor-lifecycle stopped">
        <span className="badge monitor-stopped">Stopped</span> <span className="muted">{stopped}</span>
      </div>
    );
  }
  if (m.evaluatingFrom) {
    return (
      <div className="monitor-lifecycle">
        <span className="muted">
          reading traces since <time dateTime={m.evaluatingFrom}>{when(m.evaluatingFrom)}</time> (a rollback rule acted)
        </span>
      </div>
    );
  }
  return null;
}
