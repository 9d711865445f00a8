/**
 * A monitor's lifecycle in words for `monitors list|show`: paused (by whom, since when, why), or
 * stopped because its cohort's release was rolled back, or reading its cohort only since a rollback
 * rule acted. Null when none applies (the evaluation's own state is shown then).
 */
export interface MonitorLifecycleView {
  readonly paused: { readonly at: string; readonly by: string; readonly reason: string | null } | null;
  readonly evaluatingFrom: string | null;
  readonly lastEvaluation: Record<string, unknown> | null;
}

/** The short state for a table cell: "PAUSED", "stopped", or null. */
export function lifecycleState(m: MonitorLifecycleView): string | null {
  if (m.paused) return 'PAUSED';
  if (typeof m.lastEvaluation?.['stopped'] === 'string') return 'stopped';
  return null;
}

/** Lines for `monitors show`: one per fact, none when nothing applies. */
export function lifecycleLines(m: MonitorLifecycleView): string[] {
  const lines: string[] = [];
  if (m.paused) lines.push(`PAUSED by ${m.paused.by} since ${m.paused.at}${m.paused.reason ? `: ${m.paused.reason}` : ''} — not evaluating or alerting (evalops monitors resume)`);
  const stopped = m.lastEvaluation?.['stopped'];
  if (!m.paused && typeof stopped === 'string') lines.push(`stopped: ${stopped}`);
  if (m.evaluatingFrom) lines.push(`reading traces from ${m.evaluatingFrom} on (a rollback rule acted then)`);
  return lines;
}
