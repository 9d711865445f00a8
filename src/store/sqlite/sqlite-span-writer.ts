import type { ResourceLimits, Worker } from 'node:worker_threads';
import { spawnModuleWorker } from '../../workers/spawn-module-worker.js';
import { EvalOpsError } from '../../core/errors.js';
import type { SpanColumnValue, SpanRowSink } from '../span-row.js';
import type { SqliteSpanWorkerData, WorkerReply, WorkerRequest } from './sqlite-span-worker-protocol.js';

export interface SqliteSpanWriterOptions {
  /** Page cache of the writer's connection, in MiB (default 128). */
  readonly cacheMiB?: number;
  /** Time between the checkpointer's PASSIVE checkpoints (default 250 ms); 0 runs no checkpointer. */
  readonly checkpointEveryMs?: number;
  /**
   * WAL size at which the writer checkpoints itself, in MiB (default 256 with a checkpointer, 64
   * without): the backstop that keeps the WAL bounded.
   */
  readonly checkpointMiB?: number;
  /** Heap limits of the writer thread (Node's defaults when absent). */
  readonly resourceLimits?: ResourceLimits;
  /** Told when a worker fails as a whole (the writer is started again on the next write) or warns. */
  readonly onWorkerError?: (error: unknown) => void;
}

interface Waiting {
  readonly resolve: (inserted: number) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Span rows written to a SQLite file by a worker thread that owns its own connection, so the
 * synchronous SQLite work does not block the server's event loop (requests keep being read and
 * answered, the write queue fills and refuses when it must); a second thread checkpoints the WAL so
 * the writer never waits on fsync. Each `insertRows` is one transaction in the writer; it resolves
 * after the commit and rejects (an `infrastructure` EvalOpsError) when the transaction fails or the
 * worker dies — a request never gets a 2xx for rows that were not stored.
 *
 * @example
 * const writer = await SqliteSpanWriter.open('/srv/evalops.db');
 * const inserted = await writer.insertRows([rowValues]);
 * await writer.close();
 */
export class SqliteSpanWriter implements SpanRowSink {
  private worker: Worker | undefined;
  private checkpointer: Worker | undefined;
  private starting: Promise<Worker> | undefined;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;
  private closing = false;
  private readonly data: SqliteSpanWorkerData;

  private constructor(path: string, private readonly options: SqliteSpanWriterOptions) {
    const checkpointEveryMs = options.checkpointEveryMs ?? 250;
    this.data = { role: 'writer', path, cacheMiB: options.cacheMiB ?? 128, checkpointMiB: options.checkpointMiB ?? (checkpointEveryMs > 0 ? 256 : 64), checkpointEveryMs };
  }

  /** Starts the workers on `path` (a migrated store file) and waits until their connections are open. */
  static async open(path: string, options: SqliteSpanWriterOptions = {}): Promise<SqliteSpanWriter> {
    const writer = new SqliteSpanWriter(path, options);
    await writer.ensureWorker();
    if (writer.data.checkpointEveryMs > 0) {
      try {
        writer.checkpointer = await writer.startCheckpointer();
      } catch (e) {
        await writer.close();
        throw e;
      }
    }
    return writer;
  }

  async insertRows(chunks: readonly (readonly SpanColumnValue[])[]): Promise<number> {
    if (this.closing) throw new EvalOpsError('infrastructure', 'the span writer is closed', { retryable: true });
    const worker = await this.ensureWorker();
    const id = this.nextId++;
    const done = new Promise<number>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    // Referenced while writes are in flight, so the process cannot exit before they are committed.
    if (this.waiting.size === 1) worker.ref();
    worker.postMessage({ type: 'write', id, chunks } satisfies WorkerRequest);
    return done;
  }

  /** Waits for writes in flight, closes the workers' connections and stops the workers. */
  async close(): Promise<void> {
    this.closing = true;
    const worker = this.worker ?? (await this.starting?.catch(() => undefined));
    await Promise.all([worker, this.checkpointer].map((w) => (w ? stop(w) : undefined)));
  }

  private ensureWorker(): Promise<Worker> {
    if (this.worker) return Promise.resolve(this.worker);
    this.starting ??= this.startWriter().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async startWriter(): Promise<Worker> {
    const worker = spawn(this.data, this.options.resourceLimits);
    let dead = false;
    const failAll = (error: unknown): void => {
      if (dead) return;
      dead = true;
      if (this.worker === worker) this.worker = undefined;
      const failure = new EvalOpsError('infrastructure', `the SQLite span writer stopped: ${error instanceof Error ? error.message : String(error)}`, { cause: error, retryable: true });
      for (const [id, waiting] of this.waiting) {
        this.waiting.delete(id);
        waiting.reject(failure);
      }
      this.options.onWorkerError?.(error);
    };
    worker.on('message', (reply: WorkerReply) => {
      if (reply.type !== 'written' && reply.type !== 'failed') return;
      const waiting = this.waiting.get(reply.id);
      if (!waiting) return;
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0 && !this.closing) worker.unref();
      if (reply.type === 'written') waiting.resolve(reply.inserted);
      else waiting.reject(new EvalOpsError('infrastructure', `could not store spans: ${reply.message}`, { retryable: true, details: { sqliteCode: reply.code } }));
    });
    worker.once('error', failAll);
    worker.once('exit', (code) => {
      if (!(this.closing && this.waiting.size === 0)) failAll(new Error(`the worker exited with code ${code}`));
    });
    await ready(worker);
    this.worker = worker;
    worker.unref();
    return worker;
  }

  private async startCheckpointer(): Promise<Worker> {
    const worker = spawn({ ...this.data, role: 'checkpointer' });
    worker.on('message', (reply: WorkerReply) => {
      if (reply.type === 'warning') this.options.onWorkerError?.(new Error(reply.message));
    });
    // Not restarted: the writer's own checkpoint keeps the WAL bounded without it.
    worker.once('error', (e) => this.options.onWorkerError?.(e));
    await ready(worker);
    worker.unref();
    return worker;
  }
}

function spawn(data: SqliteSpanWorkerData, resourceLimits: ResourceLimits = {}): Worker {
  return spawnModuleWorker(import.meta.url, 'sqlite-span-worker', { workerData: data, resourceLimits });
}

/** Resolves once the worker's connection is open; rejects when it fails to start. */
function ready(worker: Worker): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onMessage = (reply: WorkerReply): void => {
      if (reply.type !== 'ready') return;
      cleanUp();
      resolve();
    };
    const onError = (e: unknown): void => {
      cleanUp();
      reject(new EvalOpsError('infrastructure', `the SQLite span writer could not start: ${e instanceof Error ? e.message : String(e)}`, { cause: e, retryable: true }));
    };
    const onExit = (code: number): void => onError(new Error(`the worker exited with code ${code}`));
    const cleanUp = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

/** Asks a worker to close its connection and waits until it has exited. */
function stop(worker: Worker): Promise<void> {
  if (worker.threadId === -1) return Promise.resolve(); // already exited
  return new Promise<void>((resolve) => {
    worker.once('exit', () => resolve());
    worker.ref();
    worker.postMessage({ type: 'close' } satisfies WorkerRequest);
  });
}
