import type { SpanColumnValue } from '../span-row.js';

/** What a SQLite span worker is started with. */
export interface SqliteSpanWorkerData {
  readonly role: 'writer' | 'checkpointer';
  /** The store's SQLite file (already migrated). */
  readonly path: string;
  /** Writer: page cache of its connection, in MiB. */
  readonly cacheMiB: number;
  /**
   * Writer: WAL size at which a commit checkpoints itself, in MiB — the backstop when the
   * checkpointer falls behind (SQLite's default is 1,000 pages: 4 MiB of 4 KiB pages).
   */
  readonly checkpointMiB: number;
  /** Checkpointer: time between PASSIVE checkpoints. */
  readonly checkpointEveryMs: number;
}

/** Messages to a worker: write rows in one transaction (writer), or close the connection and stop. */
export type WorkerRequest = { readonly type: 'write'; readonly id: number; readonly chunks: readonly (readonly SpanColumnValue[])[] } | { readonly type: 'close' };

/** Messages from a worker. */
export type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'written'; readonly id: number; readonly inserted: number }
  | { readonly type: 'failed'; readonly id: number; readonly message: string; readonly code?: string }
  | { readonly type: 'warning'; readonly message: string }
  | { readonly type: 'closed' };
