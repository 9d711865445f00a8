/**
 * Worker-thread entry of the SQLite span writer (see sqlite-span-writer.ts), in one of two roles,
 * each with its own better-sqlite3 connection to the store's file (WAL lets the server's connection
 * keep reading meanwhile):
 *
 * - `writer`: writes the rows it is sent, one transaction per message, with one reused prepared
 *   single-row `INSERT … ON CONFLICT DO NOTHING`, and answers each message with the count of new rows
 *   or with the error (the transaction rolled back). This keeps the synchronous SQLite work off the
 *   server's event loop.
 * - `checkpointer`: copies the WAL back into the database file on a timer (PASSIVE checkpoints, which
 *   never block the writer). A checkpoint waits on two fsyncs; done by the writer, as SQLite's
 *   automatic checkpoint does, those waits stall every commit behind it (measured: about a third of
 *   the writer's time). The writer keeps an automatic checkpoint at a larger size as a backstop, so
 *   the WAL stays bounded if this thread falls behind or stops.
 */
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { SPAN_COLUMNS, type SpanColumnValue } from '../span-row.js';
import type { SqliteSpanWorkerData, WorkerReply, WorkerRequest } from './sqlite-span-worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('sqlite-span-worker must run in a worker thread');
const options = workerData as SqliteSpanWorkerData;

const db = new BetterSqlite3(options.path, { fileMustExist: true });
db.pragma('journal_mode = WAL');
// NORMAL in WAL: a commit is in the OS once it returns, so a killed process loses nothing acknowledged.
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');
db.pragma('foreign_keys = ON');
const pageSize = db.pragma('page_size', { simple: true }) as number;
const pagesOf = (mib: number): number => Math.max(1, Math.round((mib * 1024 * 1024) / pageSize));
const reply = (message: WorkerReply): void => port.postMessage(message);

if (options.role === 'checkpointer') runCheckpointer();
else runWriter();

function runWriter(): void {
  db.pragma(`cache_size = ${-Math.round(options.cacheMiB * 1024)}`);
  db.pragma(`wal_autocheckpoint = ${pagesOf(options.checkpointMiB)}`);
  const width = SPAN_COLUMNS.length;
  const insert = db.prepare(
    `insert into spans (${SPAN_COLUMNS.join(', ')}) values (${SPAN_COLUMNS.map(() => '?').join(', ')}) on conflict (project_id, trace_id, span_id) do nothing`,
  );
  const row = new Array<SpanColumnValue>(width).fill(null);
  const writeChunks = db.transaction((chunks: readonly (readonly SpanColumnValue[])[]): number => {
    let inserted = 0;
    for (const values of chunks) {
      if (values.length % width !== 0) throw new Error(`a row chunk has ${values.length} values, not a multiple of ${width}`);
      for (let i = 0; i < values.length; i += width) {
        for (let c = 0; c < width; c++) row[c] = values[i + c] as SpanColumnValue;
        inserted += insert.run(row).changes;
      }
    }
    return inserted;
  });
  port!.on('message', (message: WorkerRequest) => {
    if (message.type === 'close') return close();
    try {
      // IMMEDIATE: take the write lock at BEGIN, so a busy database waits (busy_timeout) instead of failing mid-way.
      reply({ type: 'written', id: message.id, inserted: writeChunks.immediate(message.chunks) });
    } catch (e) {
      const error = e as { message?: string; code?: string };
      reply({ type: 'failed', id: message.id, message: error.message ?? String(e), ...(error.code ? { code: error.code } : {}) });
    }
  });
  reply({ type: 'ready' });
}

function runCheckpointer(): void {
  db.pragma('wal_autocheckpoint = 0');
  const timer = setInterval(() => {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch (e) {
      // Busy or failed: the next tick tries again, and the writer's own checkpoint is the backstop.
      reply({ type: 'warning', message: `checkpoint failed: ${(e as Error).message}` });
    }
  }, options.checkpointEveryMs);
  port!.on('message', (message: WorkerRequest) => {
    if (message.type !== 'close') return;
    clearInterval(timer);
    close();
  });
  reply({ type: 'ready' });
}

function close(): void {
  db.close();
  reply({ type: 'closed' });
  port!.close();
}
