import type { Span } from '../core/span.js';
import { SessionQueries } from '../store/session-queries.js';
import type { Store } from '../store/store.js';

/** Traces of a session read into its transcript at most (the earliest ones). */
export const MAX_SESSION_TURNS = 500;

/** The spans of a session's traces (those with a span naming it), one array per trace, earliest traces first. */
export async function sessionTraces(store: Store, projectId: string, sessionId: string): Promise<Span[][]> {
  const ids = await new SessionQueries(store.db).sessionTraceIds(projectId, sessionId);
  const traces: Span[][] = [];
  for (const traceId of ids) {
    const spans = await store.spans.list({ projectId, traceId, limit: 10_000 });
    if (spans.length > 0) traces.push(spans);
  }
  traces.sort((a, b) => rootOf(a).startTimeMs - rootOf(b).startTimeMs || rootOf(a).traceId.localeCompare(rootOf(b).traceId));
  return traces.slice(0, MAX_SESSION_TURNS);
}

function rootOf(spans: readonly Span[]): Span {
  return spans.find((s) => s.parentSpanId === undefined) ?? spans[0]!;
}
