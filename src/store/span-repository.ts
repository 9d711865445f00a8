import type { Kysely } from 'kysely';
import { EvalOpsError } from '../core/errors.js';
import { SpanSchema, type Span } from '../core/span.js';
import type { Database } from './database.js';
import { fromJson } from './json-column.js';

/** One span to store, with the project it belongs to. */
export interface SpanWrite {
  readonly projectId: string;
  readonly span: Span;
}

/** Filters for listing traces by their root span. */
export interface TraceFilter {
  readonly projectId: string;
  readonly sinceMs?: number;
  readonly untilMs?: number;
  readonly release?: string;
  readonly kind?: string;
  readonly sessionId?: string;
  /** Only traces whose root span has status error. */
  readonly errorsOnly?: boolean;
  /** Only traces with feedback: any, or negative (thumbs down) only. */
  readonly feedback?: 'any' | 'negative';
  readonly limit?: number;
}

export interface SpanQuery {
  readonly projectId: string;
  readonly traceId?: string;
  readonly limit?: number;
}

const ROWS_PER_INSERT = 400;

/** Ingested spans: batched idempotent writes (a span sent twice is stored once) and reads. */
export class SpanRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Writes spans in one transaction, in multi-row inserts; returns how many were new. Callers
   * acknowledge the senders only after this resolves: a 2xx means stored.
   */
  async insertBatch(writes: readonly SpanWrite[]): Promise<number> {
    if (writes.length === 0) return 0;
    const receivedAt = new Date().toISOString();
    return this.db.transaction().execute(async (trx) => {
      let inserted = 0;
      for (let i = 0; i < writes.length; i += ROWS_PER_INSERT) {
        const rows = writes.slice(i, i + ROWS_PER_INSERT).map(({ projectId, span }) => ({
          project_id: projectId,
          trace_id: span.traceId,
          span_id: span.spanId,
          parent_span_id: span.parentSpanId ?? null,
          name: span.name,
          kind: span.kind,
          status: span.status,
          start_time_ms: span.startTimeMs,
          end_time_ms: span.endTimeMs,
          duration_ms: span.durationMs,
          model: span.model ?? null,
          session_id: span.sessionId ?? null,
          user_id: span.userId ?? null,
          release: span.release ?? null,
          service_name: span.serviceName ?? null,
          input_tokens: span.usage.inputTokens ?? null,
          output_tokens: span.usage.outputTokens ?? null,
          cost_usd: span.costUsd ?? null,
          document: JSON.stringify(span),
          received_at: receivedAt,
        }));
        const result = await trx
          .insertInto('spans')
          .values(rows)
          .onConflict((oc) => oc.columns(['project_id', 'trace_id', 'span_id']).doNothing())
          .executeTakeFirst();
        inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
      }
      return inserted;
    });
  }

  async count(projectId: string): Promise<number> {
    const row = await this.db.selectFrom('spans').select((eb) => eb.fn.countAll<number>().as('n')).where('project_id', '=', projectId).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Spans of a project (optionally of one trace), in start order. */
  async list(query: SpanQuery): Promise<Span[]> {
    let q = this.db.selectFrom('spans').select('document').where('project_id', '=', query.projectId);
    if (query.traceId) q = q.where('trace_id', '=', query.traceId);
    const rows = await q.orderBy('start_time_ms').limit(query.limit ?? 1000).execute();
    return rows.map((r) => fromJson(r.document, SpanSchema, 'span'));
  }

  /** Trace ids of root spans matching the filter, newest first. */
  async traceIds(filter: TraceFilter): Promise<string[]> {
    let q = this.db.selectFrom('spans').select('trace_id').where('project_id', '=', filter.projectId).where('parent_span_id', 'is', null);
    if (filter.sinceMs !== undefined) q = q.where('start_time_ms', '>=', filter.sinceMs);
    if (filter.untilMs !== undefined) q = q.where('start_time_ms', '<', filter.untilMs);
    if (filter.release) q = q.where('release', '=', filter.release);
    if (filter.kind) q = q.where('kind', '=', filter.kind);
    if (filter.sessionId) q = q.where('session_id', '=', filter.sessionId);
    if (filter.errorsOnly) q = q.where('status', '=', 'error');
    if (filter.feedback) {
      const negative = filter.feedback === 'negative';
      q = q.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('feedback as f')
            .select('f.id')
            .whereRef('f.project_id', '=', 'spans.project_id')
            .whereRef('f.trace_id', '=', 'spans.trace_id')
            .$if(negative, (sq) => sq.where('f.kind', '=', 'thumbs').where('f.value', '=', 0)),
        ),
      );
    }
    const rows = await q.orderBy('start_time_ms', 'desc').limit(filter.limit ?? 50).execute();
    return [...new Set(rows.map((r) => r.trace_id))];
  }

  async get(projectId: string, traceId: string, spanId: string): Promise<Span> {
    const row = await this.db.selectFrom('spans').select('document').where('project_id', '=', projectId).where('trace_id', '=', traceId).where('span_id', '=', spanId).executeTakeFirst();
    if (!row) throw new EvalOpsError('not_found', `span ${traceId}/${spanId} not found`);
    return fromJson(row.document, SpanSchema, 'span');
  }
}
