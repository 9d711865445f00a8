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
  const sessions = sessionKeeper();
  const row = new Array<SpanColumnValue>(width).fill(null);
  const writeChunks = db.transaction((chunks: readonly (readonly SpanColumnValue[])[]): number => {
    for (const values of chunks) {
      if (values.length % width !== 0) throw new Error(`a row chunk has ${values.length} values, not a multiple of ${width}`);
    }
    sessions.widen(chunks);
    let inserted = 0;
    for (const values of chunks) {
      for (let i = 0; i < values.length; i += width) {
        for (let c = 0; c < width; c++) row[c] = values[i + c] as SpanColumnValue;
        const changes = insert.run(row).changes;
        inserted += changes;
        if (changes === 0) sessions.skipped(row);
      }
    }
    sessions.recountSkipped();
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

/**
 * `span_sessions` kept once per session per batch instead of once per span. The table's row trigger
 * (migration 027) upserts a span's session on every insert, moving the session's activity-index entry
 * each time its last end grows: more than half of the write (bench/RESULTS.md §32). Here each
 * session's range over the batch is upserted first, so the trigger then finds every span inside its
 * session's range and writes nothing. A span skipped as already stored may have widened its session
 * with times it did not store: those sessions are recounted from their spans after the inserts (and
 * forgotten if none of their spans is stored), so the table stays what the trigger alone would make.
 */
function sessionKeeper() {
  const [project, session, start, end] = (['project_id', 'session_id', 'start_time_ms', 'end_time_ms'] as const).map((name) => SPAN_COLUMNS.indexOf(name)) as [number, number, number, number];
  const widen = db.prepare(
    `insert into span_sessions (project_id, session_id, first_start_ms, last_end_ms) values (?, ?, ?, ?)
     on conflict (project_id, session_id) do update set
       first_start_ms = min(span_sessions.first_start_ms, excluded.first_start_ms),
       last_end_ms = max(span_sessions.last_end_ms, excluded.last_end_ms)
     where excluded.first_start_ms < span_sessions.first_start_ms or excluded.last_end_ms > span_sessions.last_end_ms`,
  );
  const forgetIfEmpty = db.prepare('delete from span_sessions where project_id = @p and session_id = @s and not exists (select 1 from spans where project_id = @p and session_id = @s)');
  const recount = db.prepare(
    `update span_sessions set
       first_start_ms = (select min(start_time_ms) from spans where project_id = @p and session_id = @s),
       last_end_ms = (select max(end_time_ms) from spans where project_id = @p and session_id = @s)
     where project_id = @p and session_id = @s`,
  );
  const skippedSessions = new Map<string, [string, string]>();
  return {
    widen(chunks: readonly (readonly SpanColumnValue[])[]): void {
      skippedSessions.clear(); // a batch that failed midway left its own
      const ranges = new Map<string, [string, string, number, number]>();
      for (const values of chunks) {
        for (let i = 0; i < values.length; i += SPAN_COLUMNS.length) {
          const s = values[i + session];
          if (s === null || s === undefined) continue;
          const p = values[i + project] as string;
          const first = values[i + start] as number;
          const last = values[i + end] as number;
          const key = `${p}\u0000${String(s)}`;
          const range = ranges.get(key);
          if (range === undefined) ranges.set(key, [p, String(s), first, last]);
          else {
            if (first < range[2]) range[2] = first;
            if (last > range[3]) range[3] = last;
          }
        }
      }
      for (const range of ranges.values()) widen.run(range);
    },
    skipped(values: readonly SpanColumnValue[]): void {
      const s = values[session];
      if (s === null || s === undefined) return;
      skippedSessions.set(`${String(values[project])}\u0000${String(s)}`, [String(values[project]), String(s)]);
    },
    recountSkipped(): void {
      for (const [p, s] of skippedSessions.values()) {
        forgetIfEmpty.run({ p, s });
        recount.run({ p, s });
      }
      skippedSessions.clear();
    },
  };
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
