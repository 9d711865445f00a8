import { matchesFilter } from '../core/online/match-filter.js';
import { sessionSettings, type OnlineFilter } from '../core/online/online-rule.js';
import { endsSession, SESSION_END_ATTRIBUTE } from '../core/online/session-transcript.js';
import { SpanSchema } from '../core/span.js';
import { withWriteRetry } from '../store/audit-repository.js';
import type { OnlineRuleRecord, SweptTrace } from '../store/online-rule-repository.js';
import type { SessionSighting } from '../store/online-session-repository.js';
import type { Store } from '../store/store.js';
import type { JobQueue, QueuedJob } from './job-queue.js';
import { traceFacts } from './trace-facts.js';

/** The job data of one session to score. */
export interface ScoreSessionJobData extends Record<string, unknown> {
  readonly kind: 'session';
  readonly ruleId: string;
  readonly sessionId: string;
  /** The generation (traces counted) the job scores; a session that grew meanwhile is scored again later. */
  readonly seen: number;
}

export interface SessionSweepOutcome {
  readonly considered: number;
  readonly ready: number;
}

/**
 * One pass of a rule with `target: sessions`. First the traces that arrived since the rule's cursor
 * (and settled) are counted into their sessions — the session of the root span, else of any span of
 * the trace — when they match the filter; counting and moving the cursor are one transaction, so a
 * trace is counted once even with two workers sweeping. Then every pending session that is ready
 * (idle for `idleSeconds`, or ended by a span with `evalops.session.end`) becomes a scoring job keyed
 * by its generation.
 */
export async function sweepSessionRule(store: Store, queue: JobQueue, start: OnlineRuleRecord, filter: OnlineFilter, options: { now: () => number; batch: number; maxBatches: number }): Promise<SessionSweepOutcome> {
  let rule = start;
  let considered = 0;
  for (let b = 0; b < options.maxBatches; b += 1) {
    const until = new Date(options.now() - rule.spec.settleSeconds * 1000).toISOString();
    const traces = await store.onlineRules.nextTraces(rule, until, options.batch);
    if (traces.length === 0) break;
    const sightings = await sightSessions(store, rule.projectId, traces, filter);
    const last = traces[traces.length - 1]!;
    const current = rule;
    const moved = await withWriteRetry(() =>
      store.db.transaction().execute(async (trx) => {
        if (!(await store.onlineRules.advanceCursor(current, last.receivedAt, last.traceId, trx))) return false;
        await store.onlineSessions.sight(trx, current.id, current.projectId, sightings);
        return true;
      }),
    );
    if (!moved) break; // another worker counted this batch
    considered += traces.length;
    rule = { ...rule, cursorAt: last.receivedAt, cursorTrace: last.traceId };
    if (traces.length < options.batch) break;
  }
  const idleBefore = new Date(options.now() - sessionSettings(rule.spec).idleSeconds * 1000).toISOString();
  const ready = await store.onlineSessions.ready(rule.id, idleBefore, options.batch);
  const jobs: QueuedJob[] = ready.map((s) => {
    const data: ScoreSessionJobData = { kind: 'session', ruleId: rule.id, sessionId: s.sessionId, seen: s.seenTraces };
    return { key: `${rule.id}:session:${s.sessionId}:${s.seenTraces}`, data };
  });
  await queue.send(jobs);
  return { considered, ready: ready.length };
}

/** The batch's traces that match the filter, counted by session, with whether a span ended the session. */
async function sightSessions(store: Store, projectId: string, traces: readonly SweptTrace[], filter: OnlineFilter): Promise<SessionSighting[]> {
  const facts = await traceFacts(store, projectId, traces);
  const matching = new Set(facts.filter((f) => matchesFilter(filter, f)).map((f) => f.traceId));
  const kept = traces.filter((t) => matching.has(t.traceId));
  if (kept.length === 0) return [];
  const ids = kept.map((t) => t.traceId);
  // A trace whose root names no session may name it on a child span.
  const named = new Map<string, string>();
  const unnamed = kept.filter((t) => t.sessionId === null).map((t) => t.traceId);
  if (unnamed.length > 0) {
    const rows = await store.db.selectFrom('spans').select(['trace_id', 'session_id']).where('project_id', '=', projectId).where('trace_id', 'in', unnamed).where('session_id', 'is not', null).execute();
    for (const r of rows) if (!named.has(r.trace_id)) named.set(r.trace_id, String(r.session_id));
  }
  // Spans that may carry the end attribute: a text match narrows them, the parsed attribute decides.
  const enders = new Set<string>();
  const rows = await store.db.selectFrom('spans').select(['trace_id', 'document']).where('project_id', '=', projectId).where('trace_id', 'in', ids).where('document', 'like', `%${SESSION_END_ATTRIBUTE}%`).execute();
  for (const r of rows) {
    const parsed = SpanSchema.safeParse(JSON.parse(r.document));
    if (parsed.success && endsSession(parsed.data)) enders.add(r.trace_id);
  }
  const bySession = new Map<string, { traces: number; lastSeenAt: string; ended: boolean }>();
  for (const t of kept) {
    const sessionId = t.sessionId ?? named.get(t.traceId);
    if (sessionId === undefined) continue;
    const s = bySession.get(sessionId) ?? { traces: 0, lastSeenAt: '', ended: false };
    s.traces += 1;
    if (t.receivedAt > s.lastSeenAt) s.lastSeenAt = t.receivedAt;
    if (enders.has(t.traceId)) s.ended = true;
    bySession.set(sessionId, s);
  }
  return [...bySession].map(([sessionId, s]) => ({ sessionId, ...s }));
}
