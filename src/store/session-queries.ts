import { sql, type Kysely } from 'kysely';
import type { Database } from './database.js';
import { IN_CHUNK, type PageAfter } from './span-queries.js';

/**
 * Read queries over ingested spans for session lists, on both dialects. A session's list position is
 * its last activity: the latest end of a span that names it. A page is read in two steps so its cost
 * does not grow with the project: sessionPage picks the page's ids from the spans that name a session,
 * from the (project, session, end, start) index alone (migration 007); sessionFigures then aggregates
 * every span of the page's traces, for those sessions only.
 */

export interface SessionListFilter {
  readonly projectId: string;
  /** Sessions with a span naming them that ends at or after sinceMs. */
  readonly sinceMs?: number;
  /** Sessions with a span naming them that starts before untilMs. */
  readonly untilMs?: number;
  /** Sessions with a span naming them that carries this release (or one of these: a release's names and variant). */
  readonly release?: string | readonly string[];
  /** Sessions with a span naming them that carries this user id. */
  readonly userId?: string;
  /** Sessions whose id is one of these. */
  readonly sessionIds?: readonly string[];
  /** Last activity before this one (ties: a smaller session id). */
  readonly after?: PageAfter;
  readonly limit: number;
}

/** A session's place in the list. */
export interface SessionActivity {
  readonly sessionId: string;
  /** The latest end time of a span naming the session: the sort key and the cursor's time. */
  readonly lastActivityMs: number;
}

/** One session, aggregated over every span of the traces that carry its id. */
export interface SessionFigures {
  readonly sessionId: string;
  readonly userId?: string;
  readonly traces: number;
  readonly spans: number;
  readonly errorTraces: number;
  readonly firstTimeMs: number;
  readonly lastTimeMs: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
}

/** Feedback of one kind and name on a session's traces, counted. */
export interface FeedbackCounts {
  readonly kind: string;
  readonly name: string | null;
  readonly count: number;
  /** Thumbs up (value 1) and down (value 0). */
  readonly up: number;
  readonly down: number;
  /** Items with a non-empty comment. */
  readonly comments: number;
  /** Sum and number of the non-null values. */
  readonly valueSum: number;
  readonly valueCount: number;
}

/** A session as a list shows it: its place and its figures. */
export type SessionRow = SessionActivity & SessionFigures;

/** Session queries over the spans table. */
export class SessionQueries {
  constructor(private readonly db: Kysely<Database>) {}

  /** Sessions matching the filter, newest last activity first (ties by session id, descending), at most `limit`. */
  async sessionPage(filter: SessionListFilter): Promise<SessionActivity[]> {
    const lastActivity = sql<number>`max(end_time_ms)`;
    let q = this.db
      .selectFrom('spans')
      .select(['session_id', lastActivity.as('last_activity_ms')])
      .where('project_id', '=', filter.projectId)
      .where('session_id', 'is not', null)
      .groupBy('session_id');
    if (filter.sessionIds !== undefined) q = q.where('session_id', 'in', filter.sessionIds.length > 0 ? filter.sessionIds : ['']);
    // Bounds on aggregates, not on rows: a row condition would change the last activity it reports.
    if (filter.sinceMs !== undefined) q = q.having(lastActivity, '>=', filter.sinceMs);
    if (filter.untilMs !== undefined) q = q.having(sql<number>`min(start_time_ms)`, '<', filter.untilMs);
    if (filter.release !== undefined) {
      const releases = typeof filter.release === 'string' ? [filter.release] : filter.release.length > 0 ? filter.release : [''];
      q = q.having(sql<number>`max(case when release in (${sql.join(releases)}) then 1 else 0 end)`, '=', 1);
    }
    if (filter.userId !== undefined) q = q.having(sql<number>`max(case when user_id = ${filter.userId} then 1 else 0 end)`, '=', 1);
    if (filter.after !== undefined) {
      const { timeMs, id } = filter.after;
      q = q.having((eb) => eb.or([eb(lastActivity, '<', timeMs), eb.and([eb(lastActivity, '=', timeMs), eb('session_id', '<', id)])]));
    }
    const rows = await q.orderBy(lastActivity, 'desc').orderBy('session_id', 'desc').limit(filter.limit).execute();
    return rows.map((r) => ({ sessionId: String(r.session_id), lastActivityMs: Number(r.last_activity_ms) }));
  }

  /**
   * The figures of these sessions, in no particular order: over every span of the traces with a span
   * naming the session (a trace whose spans name two sessions counts in both).
   */
  async sessionFigures(projectId: string, sessionIds: readonly string[]): Promise<SessionFigures[]> {
    const out: SessionFigures[] = [];
    for (let i = 0; i < sessionIds.length; i += IN_CHUNK) {
      const chunk = sessionIds.slice(i, i + IN_CHUNK);
      const rows = await this.db
        .with('ts', (db) =>
          db
            .selectFrom('spans')
            // session_id first: SQLite then reads the session index; with trace_id first it would
            // scan the whole project by primary key to serve the DISTINCT (seconds on 300,000 spans).
            .select(['session_id', 'trace_id'])
            .distinct()
            .where('project_id', '=', projectId)
            .where('session_id', 'in', chunk),
        )
        .selectFrom('ts')
        .innerJoin('spans as s', (join) => join.onRef('s.trace_id', '=', 'ts.trace_id').on('s.project_id', '=', projectId))
        .select((eb) => [
          'ts.session_id',
          eb.fn.max('s.user_id').as('user_id'),
          eb.fn.count<number>('s.trace_id').distinct().as('traces'),
          eb.fn.countAll<number>().as('spans'),
          eb.fn.count<number>(eb.case().when('s.status', '=', 'error').then(eb.ref('s.trace_id')).end()).distinct().as('error_traces'),
          eb.fn.min('s.start_time_ms').as('first_time_ms'),
          eb.fn.max('s.end_time_ms').as('last_time_ms'),
          eb.fn.coalesce(eb.fn.sum<number>('s.input_tokens'), sql.lit(0)).as('input_tokens'),
          eb.fn.coalesce(eb.fn.sum<number>('s.output_tokens'), sql.lit(0)).as('output_tokens'),
          eb.fn.coalesce(eb.fn.sum<number>('s.cost_usd'), sql.lit(0)).as('cost_usd'),
        ])
        .groupBy('ts.session_id')
        .execute();
      for (const r of rows) {
        out.push({
          sessionId: String(r.session_id),
          ...(r.user_id === null ? {} : { userId: String(r.user_id) }),
          traces: Number(r.traces),
          spans: Number(r.spans),
          errorTraces: Number(r.error_traces),
          firstTimeMs: Number(r.first_time_ms),
          lastTimeMs: Number(r.last_time_ms),
          inputTokens: Number(r.input_tokens),
          outputTokens: Number(r.output_tokens),
          costUsd: Number(r.cost_usd),
        });
      }
    }
    return out;
  }

  /** Ids of the traces with a span naming this session. */
  async sessionTraceIds(projectId: string, sessionId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('spans').select('trace_id').distinct().where('project_id', '=', projectId).where('session_id', '=', sessionId).execute();
    return rows.map((r) => r.trace_id);
  }

  /**
   * Ids of at most `limit` traces with a span naming this session: those whose earliest span naming it
   * starts first (ties by trace id), in that order. Bounded in SQL, so a session of a million traces
   * hands back `limit` ids, not a million.
   */
  async earliestSessionTraceIds(projectId: string, sessionId: string, limit: number): Promise<string[]> {
    const first = sql<number>`min(start_time_ms)`;
    const rows = await this.db
      .selectFrom('spans')
      .select(['trace_id', first.as('first_ms')])
      .where('project_id', '=', projectId)
      .where('session_id', '=', sessionId)
      .groupBy('trace_id')
      .orderBy(first)
      .orderBy('trace_id')
      .limit(limit)
      .execute();
    return rows.map((r) => r.trace_id);
  }

  /**
   * Feedback on the traces of each of these sessions, counted in SQL by kind and name (a session of
   * thousands of traces sends a few rows, not its feedback records).
   */
  async sessionFeedback(projectId: string, sessionIds: readonly string[]): Promise<Map<string, FeedbackCounts[]>> {
    const out = new Map<string, FeedbackCounts[]>();
    for (let i = 0; i < sessionIds.length; i += IN_CHUNK) {
      const chunk = sessionIds.slice(i, i + IN_CHUNK);
      const rows = await this.db
        // session_id first, as in sessionFigures.
        .with('ts', (db) => db.selectFrom('spans').select(['session_id', 'trace_id']).distinct().where('project_id', '=', projectId).where('session_id', 'in', chunk))
        .selectFrom('ts')
        .innerJoin('feedback as f', (join) => join.onRef('f.trace_id', '=', 'ts.trace_id').on('f.project_id', '=', projectId))
        .select((eb) => [
          'ts.session_id',
          'f.kind',
          'f.name',
          eb.fn.countAll<number>().as('count'),
          eb.fn.sum<number>(sql`case when f.kind = 'thumbs' and f.value = 1 then 1 else 0 end`).as('up'),
          eb.fn.sum<number>(sql`case when f.kind = 'thumbs' and f.value = 0 then 1 else 0 end`).as('down'),
          eb.fn.sum<number>(sql`case when f.comment is not null and f.comment <> '' then 1 else 0 end`).as('comments'),
          eb.fn.sum<number>('f.value').as('value_sum'),
          eb.fn.count<number>('f.value').as('value_count'),
        ])
        .groupBy(['ts.session_id', 'f.kind', 'f.name'])
        .execute();
      for (const r of rows) {
        const list = out.get(String(r.session_id)) ?? [];
        list.push({
          kind: r.kind,
          name: r.name,
          count: Number(r.count),
          up: Number(r.up),
          down: Number(r.down),
          comments: Number(r.comments),
          valueSum: Number(r.value_sum ?? 0),
          valueCount: Number(r.value_count),
        });
        out.set(String(r.session_id), list);
      }
    }
    return out;
  }
}
