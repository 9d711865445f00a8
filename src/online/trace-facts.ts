import { SpanSchema, type Span, type SpanIo, type SpanKind } from '../core/span.js';
import type { TraceFacts } from '../core/online/trace-flags.js';
import type { SweptTrace } from '../store/online-rule-repository.js';
import type { Store } from '../store/store.js';

/** A swept trace with what the rule's filter and flags need, read in a few queries per batch. */
export interface SweptTraceFacts extends TraceFacts {
  readonly root: Span;
  readonly kinds: ReadonlySet<SpanKind>;
  readonly feedback: 'none' | 'negative' | 'positive' | 'mixed';
}

const MAX_SESSION_TRACES = 500;

/** The user's message of a span's input: the text, or the last user message of a chat. */
export function userTextOf(io: SpanIo | undefined): string | undefined {
  if (io === undefined) return undefined;
  if (typeof io === 'string') return io;
  return [...io].reverse().find((m) => m.role === 'user')?.content;
}

/**
 * Facts for a batch of swept traces of one project: span kinds and errors of each trace, its
 * feedback, and its session (traces so far and their user messages).
 */
export async function traceFacts(store: Store, projectId: string, traces: readonly SweptTrace[]): Promise<SweptTraceFacts[]> {
  if (traces.length === 0) return [];
  const ids = traces.map((t) => t.traceId);
  const kindRows = await store.db
    .selectFrom('spans')
    .select(['trace_id', 'kind', 'status'])
    .where('project_id', '=', projectId)
    .where('trace_id', 'in', ids)
    .groupBy(['trace_id', 'kind', 'status'])
    .execute();
  const kinds = new Map<string, Set<SpanKind>>();
  const errors = new Set<string>();
  for (const r of kindRows) {
    let set = kinds.get(r.trace_id);
    if (!set) kinds.set(r.trace_id, (set = new Set()));
    set.add(r.kind as SpanKind);
    if (r.status === 'error') errors.add(r.trace_id);
  }
  const feedbackRows = await store.db.selectFrom('feedback').select(['trace_id', 'kind', 'value']).where('project_id', '=', projectId).where('trace_id', 'in', ids).execute();
  const negative = new Set<string>();
  const positive = new Set<string>();
  for (const f of feedbackRows) {
    const v = f.value === null ? null : Number(f.value);
    if ((f.kind === 'thumbs' && v === 0) || (f.kind === 'signal' && v !== null && v < 0)) negative.add(f.trace_id);
    if ((f.kind === 'thumbs' && v === 1) || (f.kind === 'signal' && v !== null && v > 0)) positive.add(f.trace_id);
  }
  const roots = new Map(traces.map((t) => [t.traceId, SpanSchema.parse(JSON.parse(t.document))]));
  const sessions = [...new Set(traces.map((t) => t.sessionId).filter((s): s is string => s !== null))];
  const bySession = new Map<string, { traceId: string; startMs: number; text: string | undefined }[]>();
  if (sessions.length > 0) {
    const rows = await store.db
      .selectFrom('spans')
      .select(['session_id', 'trace_id', 'start_time_ms', 'document'])
      .where('project_id', '=', projectId)
      .where('session_id', 'in', sessions)
      .where('parent_span_id', 'is', null)
      .orderBy('start_time_ms')
      .limit(MAX_SESSION_TRACES * sessions.length)
      .execute();
    for (const r of rows) {
      const list = bySession.get(r.session_id as string) ?? [];
      if (list.length >= MAX_SESSION_TRACES) continue;
      const span = roots.get(r.trace_id) ?? SpanSchema.parse(JSON.parse(r.document));
      list.push({ traceId: r.trace_id, startMs: Number(r.start_time_ms), text: userTextOf(span.input) });
      bySession.set(r.session_id as string, list);
    }
  }
  return traces.map((t) => {
    const root = roots.get(t.traceId) as Span;
    const session = t.sessionId ? (bySession.get(t.sessionId) ?? []) : [];
    const earlier = session.filter((s) => s.traceId !== t.traceId && s.startMs <= root.startTimeMs);
    const neg = negative.has(t.traceId);
    const pos = positive.has(t.traceId);
    return {
      traceId: t.traceId,
      root,
      kinds: kinds.get(t.traceId) ?? new Set([root.kind]),
      userText: userTextOf(root.input),
      hasError: errors.has(t.traceId),
      negativeFeedback: neg,
      feedback: neg && pos ? 'mixed' : neg ? 'negative' : pos ? 'positive' : 'none',
      sessionTraces: t.sessionId ? earlier.length + 1 : 1,
      earlierUserTexts: earlier.map((e) => e.text).filter((x): x is string => x !== undefined),
    };
  });
}
