import { sql, type Expression, type ExpressionBuilder, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Database } from './database.js';

/**
 * Read queries over ingested spans for trace and session lists, on both dialects. Writes stay in
 * SpanRepository. The list of a project's traces is the list of their root spans (parentless; the
 * earliest when a trace has several), so a trace whose root never arrived is not listed. Sessions are
 * in SessionQueries.
 */

export type SqlDialect = 'sqlite' | 'postgres';

/** An attribute condition: some span of the trace has `key` with this value (compared as text). */
export interface AttributeCondition {
  readonly key: string;
  readonly value: string;
}

/** Which feedback a trace must (not) have. negative / positive: a thumbs down / up. */
export type FeedbackPresence = 'any' | 'none' | 'negative' | 'positive';

/** Bounds on the trace's numeric feedback values: min(values) ≥ min and max(values) ≤ max. */
export interface FeedbackScoreRange {
  readonly min?: number;
  readonly max?: number;
  /** `thumbs` (up 1, down 0) or a signal name; default every numeric value. */
  readonly name?: string;
}

/** Where a page starts: after the row with this sort time and id (exclusive). */
export interface PageAfter {
  readonly timeMs: number;
  readonly id: string;
}

export interface TraceListFilter {
  readonly projectId: string;
  /** Root span start ≥ sinceMs. */
  readonly sinceMs?: number;
  /** Root span start < untilMs. */
  readonly untilMs?: number;
  /** The root span's release is this, or one of these (a release's names and variant). */
  readonly release?: string | readonly string[];
  /** Kind of the root span. */
  readonly kind?: string;
  /** Some span of the trace carries this session id. */
  readonly sessionId?: string;
  /** Some span of the trace carries this user id. */
  readonly userId?: string;
  /** Some span of the trace has status error. */
  readonly errorsOnly?: boolean;
  /** Each condition must hold on some span of the trace (not necessarily the same one). */
  readonly attributes?: readonly AttributeCondition[];
  readonly hasFeedback?: FeedbackPresence;
  readonly score?: FeedbackScoreRange;
  /** By root span start time; ties by trace id. */
  readonly order: 'asc' | 'desc';
  readonly after?: PageAfter;
  readonly limit: number;
}

export interface TraceRoot {
  readonly traceId: string;
  readonly startTimeMs: number;
}

/** The columns of a span a list needs (no document parsing). */
export interface SpanHead {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: string;
  readonly status: string;
  readonly startTimeMs: number;
  readonly endTimeMs: number;
  readonly model?: string;
  readonly sessionId?: string;
  readonly userId?: string;
  readonly release?: string;
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  readonly costUsd?: number;
}

export const IN_CHUNK = 500;

/**
 * `column` is one of the values the subquery selects, for a subquery that selects few rows by an index
 * (one user's traces or sessions). On PostgreSQL it is `= any(array(subquery))`: the subquery runs
 * once, then the outer rows are looked up by key. Written `in (subquery)`, the planner assumed the
 * matches spread evenly over the list and walked it newest first with the subquery as a filter —
 * 25 s for one user's traces at 10,000,000 spans — or hashed a scan of every session. SQLite plans
 * `in (subquery)` from the subquery's side already.
 */
export function inSubquery(dialect: SqlDialect, column: string, subquery: Expression<unknown>): RawBuilder<SqlBool> {
  return dialect === 'postgres' ? sql<SqlBool>`${sql.ref(column)} = any(array(${subquery}))` : sql<SqlBool>`${sql.ref(column)} in (${subquery})`;
}

/** Expressions inside a query over root spans `r`. */
type RootScope = ExpressionBuilder<Database & { r: Database['spans'] }, 'r'>;

/** Trace queries over the spans and feedback tables. */
export class SpanQueries {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialect,
  ) {}

  /** Root spans of the traces matching the filter, in the filter's order, at most `limit`. */
  async traceRoots(filter: TraceListFilter): Promise<TraceRoot[]> {
    const desc = filter.order === 'desc';
    let q = this.db
      .selectFrom('spans as r')
      .select(['r.trace_id', 'r.start_time_ms'])
      .where('r.project_id', '=', filter.projectId)
      .where('r.parent_span_id', 'is', null)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('spans as o')
              .select('o.span_id')
              .whereRef('o.project_id', '=', 'r.project_id')
              .whereRef('o.trace_id', '=', 'r.trace_id')
              .where('o.parent_span_id', 'is', null)
              // `+o.start_time_ms` keeps the planner on the primary key (project, trace): without it
              // SQLite ranges over the (project, start) index, every earlier span of the project, and
              // a list of 100,000 traces took seconds instead of a millisecond. PostgreSQL reads it as plain unary plus.
              .where((eb) => eb.or([eb(sql`+o.start_time_ms`, '<', eb.ref('r.start_time_ms')), eb.and([eb(sql`+o.start_time_ms`, '=', eb.ref('r.start_time_ms')), eb('o.span_id', '<', eb.ref('r.span_id'))])])),
          ),
        ),
      );
    if (filter.sinceMs !== undefined) q = q.where('r.start_time_ms', '>=', filter.sinceMs);
    if (filter.untilMs !== undefined) q = q.where('r.start_time_ms', '<', filter.untilMs);
    if (filter.release !== undefined) q = q.where('r.release', 'in', typeof filter.release === 'string' ? [filter.release] : filter.release.length > 0 ? filter.release : ['']);
    if (filter.kind !== undefined) q = q.where('r.kind', '=', filter.kind);
    const { sessionId, userId } = filter;
    if (sessionId !== undefined) q = q.where((eb) => this.someSpan(eb, sql.ref('s.session_id'), sessionId));
    // The user's traces from the user index (migration 028), then only their roots: probing each
    // newest root's spans for the user walked the project (seconds at 10,000,000 spans).
    if (userId !== undefined) q = q.where(inSubquery(this.dialect, 'r.trace_id', this.db.selectFrom('spans as u').select('u.trace_id').where('u.project_id', '=', filter.projectId).where('u.user_id', '=', userId)));
    if (filter.errorsOnly) q = q.where((eb) => this.someSpan(eb, sql.ref('s.status'), 'error'));
    for (const condition of filter.attributes ?? []) q = q.where((eb) => this.someSpan(eb, this.attributeText(condition.key), condition.value));
    if (filter.hasFeedback !== undefined) q = q.where((eb) => this.feedbackPresence(eb, filter.hasFeedback ?? 'any'));
    if (filter.score !== undefined) q = q.where((eb) => this.scoreInRange(eb, filter.score ?? {}));
    if (filter.after !== undefined) {
      const { timeMs, id } = filter.after;
      const op = desc ? '<' : '>';
      q = q.where((eb) => eb.or([eb('r.start_time_ms', op, timeMs), eb.and([eb('r.start_time_ms', '=', timeMs), eb('r.trace_id', op, id)])]));
    }
    const rows = await q
      .orderBy('r.start_time_ms', desc ? 'desc' : 'asc')
      .orderBy('r.trace_id', desc ? 'desc' : 'asc')
      .limit(filter.limit)
      .execute();
    return rows.map((r) => ({ traceId: r.trace_id, startTimeMs: Number(r.start_time_ms) }));
  }

  /**
   * The input and output of these traces' root spans (parentless), read from the span documents: what
   * a list previews. A trace whose root never arrived is absent.
   */
  async rootIo(projectId: string, traceIds: readonly string[]): Promise<Map<string, { input?: unknown; output?: unknown }>> {
    const out = new Map<string, { input?: unknown; output?: unknown }>();
    for (let i = 0; i < traceIds.length; i += IN_CHUNK) {
      const chunk = traceIds.slice(i, i + IN_CHUNK);
      if (chunk.length === 0) continue;
      const rows = await this.db.selectFrom('spans').select(['trace_id', 'document']).where('project_id', '=', projectId).where('trace_id', 'in', chunk).where('parent_span_id', 'is', null).orderBy(sql`+start_time_ms`).execute();
      for (const r of rows) {
        if (out.has(r.trace_id)) continue;
        const doc = (typeof r.document === 'string' ? JSON.parse(r.document) : r.document) as { input?: unknown; output?: unknown };
        out.set(r.trace_id, { input: doc.input, output: doc.output });
      }
    }
    return out;
  }

  /** The span heads of these traces, in start order. */
  async spanHeads(projectId: string, traceIds: readonly string[]): Promise<SpanHead[]> {
    const out: SpanHead[] = [];
    for (let i = 0; i < traceIds.length; i += IN_CHUNK) {
      const chunk = traceIds.slice(i, i + IN_CHUNK);
      if (chunk.length === 0) continue;
      const rows = await this.db
        .selectFrom('spans')
        .select(['trace_id', 'span_id', 'parent_span_id', 'name', 'kind', 'status', 'start_time_ms', 'end_time_ms', 'model', 'session_id', 'user_id', 'release', 'input_tokens', 'output_tokens', 'cost_usd'])
        .where('project_id', '=', projectId)
        .where('trace_id', 'in', chunk)
        // `+start_time_ms`: sorting these few rows beats reading every span of the project in start
        // order through the (project, start) index, which SQLite would otherwise pick (150 ms on 290,000 spans).
        .orderBy(sql`+start_time_ms`)
        .orderBy('span_id')
        .execute();
      for (const r of rows) {
        out.push({
          traceId: r.trace_id,
          spanId: r.span_id,
          name: r.name,
          kind: r.kind,
          status: r.status,
          startTimeMs: Number(r.start_time_ms),
          endTimeMs: Number(r.end_time_ms),
          ...(r.parent_span_id === null ? {} : { parentSpanId: r.parent_span_id }),
          ...(r.model === null ? {} : { model: r.model }),
          ...(r.session_id === null ? {} : { sessionId: r.session_id }),
          ...(r.user_id === null ? {} : { userId: r.user_id }),
          ...(r.release === null ? {} : { release: r.release }),
          ...(r.input_tokens === null ? {} : { inputTokens: Number(r.input_tokens) }),
          ...(r.output_tokens === null ? {} : { outputTokens: Number(r.output_tokens) }),
          ...(r.cost_usd === null ? {} : { costUsd: Number(r.cost_usd) }),
        });
      }
    }
    return out;
  }

  /** EXISTS a span `s` of the same trace as the root span `r` where `left` = `value`. */
  private someSpan(eb: RootScope, left: RawBuilder<unknown>, value: string): Expression<SqlBool> {
    return eb.exists(
      eb
        .selectFrom('spans as s')
        .select('s.span_id')
        .whereRef('s.project_id', '=', 'r.project_id')
        .whereRef('s.trace_id', '=', 'r.trace_id')
        .where(sql<SqlBool>`${left} = ${value}`),
    );
  }

  /** The attribute `key` of span `s` as text: strings as they are, numbers and booleans as JSON text. */
  private attributeText(key: string): RawBuilder<string | null> {
    if (this.dialect === 'postgres') return sql<string | null>`(s.document::jsonb -> 'attributes' ->> ${key})`;
    const path = `$.attributes."${key}"`;
    return sql<string | null>`(case json_type(s.document, ${path}) when 'true' then 'true' when 'false' then 'false' else cast(json_extract(s.document, ${path}) as text) end)`;
  }

  private feedbackPresence(eb: RootScope, presence: FeedbackPresence) {
    const sub = eb
      .selectFrom('feedback as f')
      .select('f.id')
      .whereRef('f.project_id', '=', 'r.project_id')
      .whereRef('f.trace_id', '=', 'r.trace_id')
      .$if(presence === 'negative', (w) => w.where('f.kind', '=', 'thumbs').where('f.value', '=', 0))
      .$if(presence === 'positive', (w) => w.where('f.kind', '=', 'thumbs').where('f.value', '=', 1));
    return presence === 'none' ? eb.not(eb.exists(sub)) : eb.exists(sub);
  }

  private scoreInRange(eb: RootScope, range: FeedbackScoreRange) {
    const values = (agg: 'min' | 'max') =>
      eb
        .selectFrom('feedback as f')
        .select((fb) => fb.fn[agg]('f.value').as('v'))
        .whereRef('f.project_id', '=', 'r.project_id')
        .whereRef('f.trace_id', '=', 'r.trace_id')
        .where('f.value', 'is not', null)
        .$if(range.name === 'thumbs', (w) => w.where('f.kind', '=', 'thumbs'))
        .$if(range.name !== undefined && range.name !== 'thumbs', (w) => w.where('f.kind', '=', 'signal').where('f.name', '=', range.name ?? ''));
    const conditions = [eb(values('min'), 'is not', null)];
    if (range.min !== undefined) conditions.push(eb(values('min'), '>=', range.min));
    if (range.max !== undefined) conditions.push(eb(values('max'), '<=', range.max));
    return eb.and(conditions);
  }
}
