import type { Span } from '../core/span.js';
import { SessionQueries } from '../store/session-queries.js';
import type { Store } from '../store/store.js';

/** Traces of a session read into its transcript at most (the earliest ones). */
export const MAX_SESSION_TURNS = 500;

/**
 * The spans of a session's earliest traces (those with a span naming it), at most MAX_SESSION_TURNS,
 * one array per trace, earliest root first. "Earliest" is chosen in the query, by the first span naming
 * the session: only the kept traces' spans are read (in one query per 500 traces), however long the
 * session.
 */
export async function sessionTraces(store: Store, projectId: string, sessionId: string, limit: number = MAX_SESSION_TURNS): Promise<Span[][]> {
  const ids = await new SessionQueries(store.db, store.dialect).earliestSessionTraceIds(projectId, sessionId, limit);
  const byTrace = await store.spans.listOfTraces(projectId, ids);
  const traces: Span[][] = [...byTrace.values()].filter((spans) => spans.length > 0);
  traces.sort((a, b) => rootOf(a).startTimeMs - rootOf(b).startTimeMs || rootOf(a).traceId.localeCompare(rootOf(b).traceId));
  return traces;
}

function rootOf(spans: readonly Span[]): Span {
  return spans.find((s) => s.parentSpanId === undefined) ?? spans[0]!;
}
