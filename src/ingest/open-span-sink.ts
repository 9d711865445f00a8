import { sql } from 'kysely';
import type { SpanRowSink } from '../store/span-row.js';
import { SqliteSpanWriter, type SqliteSpanWriterOptions } from '../store/sqlite/sqlite-span-writer.js';
import type { Store } from '../store/store.js';

/** Where ingest writes, and how the write queue should drive it. */
export interface SpanSinkHandle {
  readonly sink: SpanRowSink;
  /** Transactions worth running at once. */
  readonly concurrency: number;
  /** 'worker' (SQLite writer thread) or 'store' (the store's own connection or pool). */
  readonly kind: 'worker' | 'store';
  /** Stops what was started for it (the worker); the store itself stays open. */
  close(): Promise<void>;
}

/**
 * The span sink for a store: on a SQLite file, a worker thread with its own connection
 * (SqliteSpanWriter), one transaction at a time plus one queued behind it so the worker never waits
 * for the next batch; on PostgreSQL, the store's pool, two transactions in flight so that encoding one
 * batch overlaps the server executing the other; on an in-memory SQLite database (tests), the store's
 * own connection.
 */
export async function openSpanSink(store: Store, options: SqliteSpanWriterOptions = {}): Promise<SpanSinkHandle> {
  if (store.dialect === 'postgres') return { sink: store.spans, concurrency: 2, kind: 'store', close: async () => undefined };
  const file = await sqliteFileOf(store);
  if (file === undefined) return { sink: store.spans, concurrency: 1, kind: 'store', close: async () => undefined };
  const writer = await SqliteSpanWriter.open(file, options);
  return { sink: writer, concurrency: 2, kind: 'worker', close: () => writer.close() };
}

/** The file of the store's main SQLite database, undefined for an in-memory one. */
async function sqliteFileOf(store: Store): Promise<string | undefined> {
  const { rows } = await sql<{ file: string }>`select file from pragma_database_list where name = 'main'`.execute(store.db);
  const file = rows[0]?.file;
  return file ? file : undefined;
}
