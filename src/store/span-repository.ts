import { PostgresAdapter, sql, type Kysely, type RawBuilder } from 'kysely';
import { EvalOpsError } from '../core/errors.js';
import { SpanSchema, type Span } from '../core/span.js';
import type { Database } from './database.js';
import { fromJson } from './json-column.js';
import { insertSpanRowsPostgres } from './postgres/insert-span-rows.js';
import { IN_CHUNK } from './span-queries.js';
import { appendSpanRow, SPAN_COLUMNS, type SpanColumnValue } from './span-row.js';

/** One span to store, with the project it belongs to. */
export interface SpanWrite {
  readonly projectId: string;
  readonly span: Span;
}

export interface SpanQuery {
  readonly projectId: string;
  readonly traceId?: string;
  readonly limit?: number;
}

/** Rows per multi-row INSERT on SQLite (20 parameters each; SQLite allows 32,766). */
const SQLITE_ROWS_PER_INSERT = 400;

/** Ingested spans: batched idempotent writes (a span sent twice is stored once) and reads. */
export class SpanRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Writes spans in one transaction; returns how many were new. Callers acknowledge the senders only
   * after this resolves: a 2xx means stored.
   */
  async insertBatch(writes: readonly SpanWrite[]): Promise<number> {
    const receivedAt = new Date().toISOString();
    const values: SpanColumnValue[] = [];
    for (const write of writes) appendSpanRow(values, write, receivedAt);
    return this.insertRows([values]);
  }

  /**
   * Writes rows made by `appendSpanRow` in one transaction, skipping rows whose key is stored;
   * returns how many were new. PostgreSQL: prepared multi-row inserts (postgres/insert-span-rows.ts).
   * SQLite (in this thread; the server writes through the worker of sqlite-span-writer.ts instead):
   * multi-row inserts.
   */
  async insertRows(chunks: readonly (readonly SpanColumnValue[])[]): Promise<number> {
    const rows = chunks.reduce((n, c) => n + c.length, 0) / SPAN_COLUMNS.length;
    if (rows === 0) return 0;
    if (this.db.getExecutor().adapter instanceof PostgresAdapter) return insertSpanRowsPostgres(this.db, chunks);
    return this.db.transaction().execute(async (trx) => {
      let inserted = 0;
      const columns = sql.raw(SPAN_COLUMNS.join(', '));
      for (const values of chunks) {
        for (let i = 0; i < values.length; i += SQLITE_ROWS_PER_INSERT * SPAN_COLUMNS.length) {
          const tuples: RawBuilder<unknown>[] = [];
          for (let j = i; j < Math.min(values.length, i + SQLITE_ROWS_PER_INSERT * SPAN_COLUMNS.length); j += SPAN_COLUMNS.length) {
            tuples.push(sql`(${sql.join(values.slice(j, j + SPAN_COLUMNS.length))})`);
          }
          const result = await sql`insert into spans (${columns}) values ${sql.join(tuples)} on conflict (project_id, trace_id, span_id) do nothing`.execute(trx);
          inserted += Number(result.numAffectedRows ?? 0);
        }
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

  /**
   * The spans of these traces, each trace's in start order, in as many queries as chunks of ids (not
   * one per trace); at most `perTrace` spans of a trace are kept.
   */
  async listOfTraces(projectId: string, traceIds: readonly string[], perTrace = 10_000): Promise<Map<string, Span[]>> {
    const out = new Map<string, Span[]>();
    for (let i = 0; i < traceIds.length; i += IN_CHUNK) {
      const chunk = traceIds.slice(i, i + IN_CHUNK);
      const rows = await this.db.selectFrom('spans').select(['trace_id', 'document']).where('project_id', '=', projectId).where('trace_id', 'in', chunk).orderBy('trace_id').orderBy('start_time_ms').execute();
      for (const r of rows) {
        const list = out.get(r.trace_id) ?? [];
        if (list.length < perTrace) list.push(fromJson(r.document, SpanSchema, 'span'));
        out.set(r.trace_id, list);
      }
    }
    return out;
  }

  async get(projectId: string, traceId: string, spanId: string): Promise<Span> {
    const row = await this.db.selectFrom('spans').select('document').where('project_id', '=', projectId).where('trace_id', '=', traceId).where('span_id', '=', spanId).executeTakeFirst();
    if (!row) throw new EvalOpsError('not_found', `span ${traceId}/${spanId} not found`);
    return fromJson(row.document, SpanSchema, 'span');
  }
}
