import { sql, type Kysely } from 'kysely';
import type { Database } from './database.js';
import { dayStart, dropSpanPartitionsBefore } from './postgres/span-partitions.js';

/** What one pass of retention removed. */
export interface SpanRetentionOutcome {
  /** Spans deleted row by row (SQLite; PostgreSQL's default partition). */
  readonly deletedSpans: number;
  /** Day partitions dropped whole (PostgreSQL). */
  readonly droppedPartitions: number;
  /** Spans those partitions held, as the planner estimated them. */
  readonly droppedSpansEstimate: number;
}

/** Rows deleted per statement: each batch is its own short transaction, so ingest is never held long. */
const DELETE_BATCH = 5_000;

/**
 * Deletes the spans of every project that started before `cutoffMs`. PostgreSQL: drops each day
 * partition that ends at or before the cutoff (spans of the cutoff's own day stay until that day is
 * wholly past: at most one day longer than asked), then deletes, in batches, what the default
 * partition holds before it. SQLite: batched deletes per project over the (project, start) index.
 * Idempotent; safe beside ingest.
 * @example await enforceSpanRetention(store.db, store.dialect, Date.now() - 30 * 86_400_000)
 */
export async function enforceSpanRetention(db: Kysely<Database>, dialect: 'sqlite' | 'postgres', cutoffMs: number): Promise<SpanRetentionOutcome> {
  if (dialect === 'postgres') {
    const { dropped, estimatedSpans } = await dropSpanPartitionsBefore(db, cutoffMs);
    let deleted = 0;
    for (;;) {
      const result = await sql`delete from spans_default where ctid in (select ctid from spans_default where start_time_ms < ${cutoffMs} limit ${DELETE_BATCH})`.execute(db);
      const n = Number(result.numAffectedRows ?? 0);
      deleted += n;
      if (n < DELETE_BATCH) break;
    }
    // Spans before the cutoff's day are gone (dropped days; the default partition's before the cutoff itself).
    await deleteSessionsBefore(db, dayStart(cutoffMs));
    return { deletedSpans: deleted, droppedPartitions: dropped, droppedSpansEstimate: estimatedSpans };
  }
  let deleted = 0;
  const projects = await db.selectFrom('projects').select('id').execute();
  for (const { id } of projects) {
    for (;;) {
      const result = await sql`delete from spans where rowid in (select rowid from spans where project_id = ${id} and start_time_ms < ${cutoffMs} limit ${DELETE_BATCH})`.execute(db);
      const n = Number(result.numAffectedRows ?? 0);
      deleted += n;
      if (n < DELETE_BATCH) break;
    }
  }
  await deleteSessionsBefore(db, cutoffMs);
  return { deletedSpans: deleted, droppedPartitions: 0, droppedSpansEstimate: 0 };
}

/**
 * Forgets the sessions (span_sessions, migration 027) whose last activity ended before `beforeMs`:
 * every span naming them started before it, so none is left. A session that straddles the cutoff
 * keeps its row (and its earliest start, now older than its oldest span).
 */
async function deleteSessionsBefore(db: Kysely<Database>, beforeMs: number): Promise<void> {
  for (;;) {
    const result = await sql`delete from span_sessions where (project_id, session_id) in (select project_id, session_id from span_sessions where last_end_ms < ${beforeMs} limit ${DELETE_BATCH})`.execute(db);
    if (Number(result.numAffectedRows ?? 0) < DELETE_BATCH) break;
  }
}
