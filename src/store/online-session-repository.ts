import { sql, type Kysely } from 'kysely';
import { withWriteRetry, type Executor } from './audit-repository.js';
import type { Database } from './database.js';
import type { OnlineScoreRecord, OnlineTraceRecord } from './online-score-repository.js';
import { toJson } from './json-column.js';

/** What the sweep counted of one session in one batch of traces. */
export interface SessionSighting {
  readonly sessionId: string;
  /** Traces of the session in the batch. */
  readonly traces: number;
  /** The latest received_at among them. */
  readonly lastSeenAt: string;
  /** A span of one of them carried evalops.session.end = true. */
  readonly ended: boolean;
}

/** A rule's state of one session. */
export interface OnlineSessionState {
  readonly ruleId: string;
  readonly sessionId: string;
  readonly projectId: string;
  readonly seenTraces: number;
  readonly lastSeenAt: string;
  readonly ended: boolean;
  readonly pending: boolean;
  readonly scoredTraces: number | null;
  readonly scoredAt: string | null;
  readonly scorings: number;
}

/** The key a session's scores are stored under in online_traces / online_scores (beside trace ids). */
export function sessionScoreKey(sessionId: string): string {
  return `session:${sessionId}`;
}

/**
 * Sessions as online rules with `target: sessions` see them (migration 021). The sweep counts each
 * swept trace once into its session (in the transaction that moves the rule's cursor), the readiness
 * pass lists sessions that are pending and idle or ended, and a scoring is stored by compare-and-set on
 * the generation (`seen_traces`) it read: its scores replace the session's earlier ones in the same
 * transaction, so the time series counts a session once, at its latest state.
 */
export class OnlineSessionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Counts a batch's traces into their sessions and marks them pending (call inside the cursor's transaction). */
  async sight(db: Executor, ruleId: string, projectId: string, sightings: readonly SessionSighting[]): Promise<void> {
    for (let i = 0; i < sightings.length; i += 200) {
      const chunk = sightings.slice(i, i + 200);
      await db
        .insertInto('online_sessions')
        .values(chunk.map((s) => ({ rule_id: ruleId, session_id: s.sessionId, project_id: projectId, seen_traces: s.traces, last_seen_at: s.lastSeenAt, ended: s.ended ? 1 : 0, pending: 1, scored_traces: null, scored_at: null, scorings: 0 })))
        .onConflict((oc) =>
          oc.columns(['rule_id', 'session_id']).doUpdateSet({
            seen_traces: sql<number>`online_sessions.seen_traces + excluded.seen_traces`,
            last_seen_at: sql<string>`case when excluded.last_seen_at > online_sessions.last_seen_at then excluded.last_seen_at else online_sessions.last_seen_at end`,
            ended: sql<number>`case when excluded.ended = 1 or online_sessions.ended = 1 then 1 else 0 end`,
            pending: 1,
          }),
        )
        .execute();
    }
  }

  /** Pending sessions of a rule that ended, or whose latest trace arrived no later than `idleBefore`. */
  async ready(ruleId: string, idleBefore: string, limit: number): Promise<OnlineSessionState[]> {
    const rows = await this.db
      .selectFrom('online_sessions')
      .selectAll()
      .where('rule_id', '=', ruleId)
      .where('pending', '=', 1)
      .where((eb) => eb.or([eb('ended', '=', 1), eb('last_seen_at', '<=', idleBefore)]))
      .orderBy('last_seen_at')
      .limit(limit)
      .execute();
    return rows.map(toState);
  }

  async get(ruleId: string, sessionId: string): Promise<OnlineSessionState | undefined> {
    const row = await this.db.selectFrom('online_sessions').selectAll().where('rule_id', '=', ruleId).where('session_id', '=', sessionId).executeTakeFirst();
    return row ? toState(row) : undefined;
  }

  /** Every rule's state of one session of a project. */
  async forSession(projectId: string, sessionId: string): Promise<OnlineSessionState[]> {
    const rows = await this.db.selectFrom('online_sessions').selectAll().where('project_id', '=', projectId).where('session_id', '=', sessionId).orderBy('rule_id').execute();
    return rows.map(toState);
  }

  /**
   * Stores a scoring of generation `seen` of the session: marks it scored and, when `record` is given
   * (the session was sampled or flagged), replaces its scores. False, and nothing written, when the
   * session has grown since `seen` or that generation was already stored.
   */
  async recordScoring(state: Pick<OnlineSessionState, 'ruleId' | 'sessionId'>, seen: number, scoredAt: string, record: { trace: OnlineTraceRecord; scores: readonly OnlineScoreRecord[] } | null): Promise<boolean> {
    return withWriteRetry(() =>
      this.db.transaction().execute(async (trx) => {
        const marked = await trx
          .updateTable('online_sessions')
          .set((eb) => ({ pending: 0, ended: 0, scored_traces: seen, scored_at: scoredAt, scorings: eb('scorings', '+', 1) }))
          .where('rule_id', '=', state.ruleId)
          .where('session_id', '=', state.sessionId)
          .where('seen_traces', '=', seen)
          .where('pending', '=', 1)
          .executeTakeFirst();
        if (Number(marked.numUpdatedRows) !== 1) return false;
        const key = sessionScoreKey(state.sessionId);
        await trx.deleteFrom('online_scores').where('rule_id', '=', state.ruleId).where('trace_id', '=', key).execute();
        await trx.deleteFrom('online_traces').where('rule_id', '=', state.ruleId).where('trace_id', '=', key).execute();
        if (record === null) return true;
        const t = record.trace;
        await trx
          .insertInto('online_traces')
          .values({ rule_id: t.ruleId, trace_id: key, project_id: t.projectId, sampled: t.sampled ? 1 : 0, flags: toJson(t.flags), release: t.release, cohort: toJson(t.cohort), trace_start_ms: t.traceStartMs, latency_ms: t.latencyMs, cost_usd: t.costUsd, error: t.error ? 1 : 0, scoring_cost_usd: t.scoringCostUsd, scored_at: t.scoredAt })
          .execute();
        if (record.scores.length > 0) {
          await trx
            .insertInto('online_scores')
            .values(
              record.scores.map((s) => ({
                rule_id: t.ruleId,
                trace_id: key,
                metric: s.metric,
                project_id: t.projectId,
                span_id: s.spanId,
                sampled: t.sampled ? 1 : 0,
                release: t.release,
                trace_start_ms: t.traceStartMs,
                status: s.status,
                value: s.value,
                pass: s.pass === null ? null : s.pass ? 1 : 0,
                label: s.label,
                reason: s.reason,
                scorer_version: s.scorerVersion,
              })),
            )
            .execute();
        }
        return true;
      }),
    );
  }
}

function toState(r: Database['online_sessions']): OnlineSessionState {
  return {
    ruleId: r.rule_id,
    sessionId: r.session_id,
    projectId: r.project_id,
    seenTraces: Number(r.seen_traces),
    lastSeenAt: r.last_seen_at,
    ended: Number(r.ended) === 1,
    pending: Number(r.pending) === 1,
    scoredTraces: r.scored_traces === null ? null : Number(r.scored_traces),
    scoredAt: r.scored_at,
    scorings: Number(r.scorings),
  };
}
