import { sql, type Kysely } from 'kysely';
import type { Database } from './database.js';
import { IN_CHUNK, inSubquery, type PageAfter, type SqlDialect } from './span-queries.js';

/**
 * Read queries over ingested spans for session lists, on both dialects. A session's list position is
 * its last activity: the latest end of a span that names it. A page is read in two steps so its cost
 * does not grow with the project: sessionPage picks the page's ids from span_sessions (one row per
 * session, kept by a trigger on span inserts: migration 027); sessionFigures then aggregates every
 * span of the page's traces, for those sessions only.
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

/** One trace's figures, over all its spans. */
interface TraceFigures {
  readonly userId: string | null;
  readonly spans: number;
  readonly errors: number;
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
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialect,
  ) {}

  /**
   * Sessions matching the filter, newest last activity first (ties by session id, descending), at most
   * `limit`: a range of the span_sessions index (migration 027), keyset-paged, so the newest page
   * costs the same at any size. The user filter starts from the user's sessions (the user index,
   * migration 028); the release filter probes each candidate session's spans through the session index.
   */
  async sessionPage(filter: SessionListFilter): Promise<SessionActivity[]> {
    let q = this.db.selectFrom('span_sessions as ss').select(['ss.session_id', 'ss.last_end_ms']).where('ss.project_id', '=', filter.projectId);
    if (filter.sessionIds !== undefined) q = q.where('ss.session_id', 'in', filter.sessionIds.length > 0 ? filter.sessionIds : ['']);
    if (filter.sinceMs !== undefined) q = q.where('ss.last_end_ms', '>=', filter.sinceMs);
    if (filter.untilMs !== undefined) q = q.where('ss.first_start_ms', '<', filter.untilMs);
    if (filter.release !== undefined) {
      const releases = typeof filter.release === 'string' ? [filter.release] : filter.release.length > 0 ? filter.release : [''];
      q = q.where((eb) => eb.exists(this.sessionSpans(filter.projectId).where('s.release', 'in', releases)));
    }
    const { userId } = filter;
    // The user's sessions from the user index (migration 028), then only their rows: probing each
    // newest session's spans for the user walked the project (12–16 s at 10,000,000 spans).
    if (userId !== undefined) {
      const userSessions = this.db.selectFrom('spans as u').select('u.session_id').distinct().where('u.project_id', '=', filter.projectId).where('u.user_id', '=', userId).where('u.session_id', 'is not', null);
      q = q.where(inSubquery(this.dialect, 'ss.session_id', userSessions));
    }
    if (filter.after !== undefined) {
      const { timeMs, id } = filter.after;
      q = q.where((eb) => eb(eb.refTuple('ss.last_end_ms', 'ss.session_id'), '<', eb.tuple(timeMs, id)));
    }
    const rows = await q.orderBy('ss.last_end_ms', 'desc').orderBy('ss.session_id', 'desc').limit(filter.limit).execute();
    return rows.map((r) => ({ sessionId: String(r.session_id), lastActivityMs: Number(r.last_end_ms) }));
  }

  /**
   * The spans `s` naming the session `ss`, for EXISTS filters. Every such span started within the
   * session's [first start, last end]: saying so lets PostgreSQL probe only the day partitions of
   * those days (pruned at run time, per session) instead of every partition.
   */
  private sessionSpans(projectId: string) {
    return this.db
      .selectFrom('spans as s')
      .select(sql.lit(1).as('one'))
      .where('s.project_id', '=', projectId)
      .where((eb) => eb('s.session_id', '=', eb.ref('ss.session_id' as never)))
      .where((eb) => eb('s.start_time_ms', '>=', eb.ref('ss.first_start_ms' as never)))
      .where((eb) => eb('s.start_time_ms', '<=', eb.ref('ss.last_end_ms' as never)));
  }

  /**
   * The figures of these sessions, in no particular order: over every span of the traces with a span
   * naming the session (a trace whose spans name two sessions counts in both). Two steps, so each is
   * an index lookup on both dialects: the sessions' trace ids (session index), then figures per trace
   * (primary key, by trace id), summed per session here. As one join, PostgreSQL misjudged how few
   * traces the sessions have and hashed every span of the project (9 s at 1,000,000 spans).
   */
  async sessionFigures(projectId: string, sessionIds: readonly string[]): Promise<SessionFigures[]> {
    const tracesOf = new Map<string, string[]>();
    for (let i = 0; i < sessionIds.length; i += IN_CHUNK) {
      const chunk = sessionIds.slice(i, i + IN_CHUNK);
      // session_id first: SQLite then reads the session index for the DISTINCT.
      const rows = await this.db.selectFrom('spans').select(['session_id', 'trace_id']).distinct().where('project_id', '=', projectId).where('session_id', 'in', chunk).execute();
      for (const r of rows) {
        const list = tracesOf.get(String(r.session_id)) ?? [];
        list.push(r.trace_id);
        tracesOf.set(String(r.session_id), list);
      }
    }
    const traces = await this.traceFigures(projectId, [...new Set([...tracesOf.values()].flat())]);
    const out: SessionFigures[] = [];
    for (const [sessionId, ids] of tracesOf) {
      let figures: Omit<SessionFigures, 'sessionId' | 'userId'> & { userId: string | null } = { userId: null, traces: 0, spans: 0, errorTraces: 0, firstTimeMs: Number.POSITIVE_INFINITY, lastTimeMs: Number.NEGATIVE_INFINITY, inputTokens: 0, outputTokens: 0, costUsd: 0 };
      for (const id of ids) {
        const t = traces.get(id);
        if (t === undefined) continue;
        figures = {
          // The greatest user id, as SQL's max() over the spans gave it.
          userId: t.userId !== null && (figures.userId === null || t.userId > figures.userId) ? t.userId : figures.userId,
          traces: figures.traces + 1,
          spans: figures.spans + t.spans,
          errorTraces: figures.errorTraces + (t.errors > 0 ? 1 : 0),
          firstTimeMs: Math.min(figures.firstTimeMs, t.firstTimeMs),
          lastTimeMs: Math.max(figures.lastTimeMs, t.lastTimeMs),
          inputTokens: figures.inputTokens + t.inputTokens,
          outputTokens: figures.outputTokens + t.outputTokens,
          costUsd: figures.costUsd + t.costUsd,
        };
      }
      if (figures.traces === 0) continue;
      const { userId, ...rest } = figures;
      out.push({ sessionId, ...(userId === null ? {} : { userId }), ...rest });
    }
    return out;
  }

  /** Figures of each of these traces, over all its spans, by trace id. */
  private async traceFigures(projectId: string, traceIds: readonly string[]): Promise<Map<string, TraceFigures>> {
    const out = new Map<string, TraceFigures>();
    for (let i = 0; i < traceIds.length; i += IN_CHUNK) {
      const chunk = traceIds.slice(i, i + IN_CHUNK);
      const rows = await this.db
        .selectFrom('spans as s')
        .select((eb) => [
          's.trace_id',
          eb.fn.max('s.user_id').as('user_id'),
          eb.fn.countAll<number>().as('spans'),
          eb.fn.sum<number>(eb.case().when('s.status', '=', 'error').then(1).else(0).end()).as('errors'),
          eb.fn.min('s.start_time_ms').as('first_time_ms'),
          eb.fn.max('s.end_time_ms').as('last_time_ms'),
          eb.fn.coalesce(eb.fn.sum<number>('s.input_tokens'), sql.lit(0)).as('input_tokens'),
          eb.fn.coalesce(eb.fn.sum<number>('s.output_tokens'), sql.lit(0)).as('output_tokens'),
          eb.fn.coalesce(eb.fn.sum<number>('s.cost_usd'), sql.lit(0)).as('cost_usd'),
        ])
        .where('s.project_id', '=', projectId)
        .where('s.trace_id', 'in', chunk)
        .groupBy('s.trace_id')
        .execute();
      for (const r of rows) {
        out.set(r.trace_id, {
          userId: r.user_id === null ? null : String(r.user_id),
          spans: Number(r.spans),
          errors: Number(r.errors),
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
