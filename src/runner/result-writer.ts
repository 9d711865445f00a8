import type { ResultWrite, RunRepository } from '../store/run-repository.js';
import type { CacheRepository } from '../store/cache-repository.js';

export interface CacheWrite {
  readonly key: string;
  readonly targetVariant: string;
  readonly value: string;
}

export interface ResultWriterOptions {
  readonly batchSize?: number;
  readonly flushIntervalMs?: number;
}

/**
 * Streams results to the store in batches: one transaction per batch, flushed when the batch is full
 * or a short interval has passed, one flush at a time. `add` waits when a flush is already running and
 * a full batch is waiting, so memory stays bounded however large the run.
 */
export class ResultWriter {
  private pending: ResultWrite[] = [];
  private pendingCache: CacheWrite[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private inFlight = false;
  private timer: NodeJS.Timeout | undefined;
  private failure: unknown;
  private written = 0;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;

  constructor(
    private readonly runId: string,
    private readonly runs: RunRepository,
    private readonly cache: CacheRepository,
    options: ResultWriterOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 250;
    this.flushIntervalMs = options.flushIntervalMs ?? 500;
  }

  /** Results durably written so far. */
  get count(): number {
    return this.written;
  }

  /** One result, and the cache entries it recorded (one per call: a conversation makes several). */
  async add(result: ResultWrite, cacheWrite?: CacheWrite | readonly CacheWrite[]): Promise<void> {
    if (this.failure) throw this.failure;
    this.pending.push(result);
    if (Array.isArray(cacheWrite)) this.pendingCache.push(...(cacheWrite as readonly CacheWrite[]));
    else if (cacheWrite) this.pendingCache.push(cacheWrite as CacheWrite);
    if (this.pending.length >= this.batchSize) {
      if (this.inFlight) await this.flushing;
      if (this.pending.length >= this.batchSize) this.startFlush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (!this.inFlight) this.startFlush();
      }, this.flushIntervalMs);
    }
  }

  /** Flushes everything still pending; rejects if any write failed. */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flushing;
    if (this.pending.length > 0 || this.pendingCache.length > 0) {
      this.startFlush();
      await this.flushing;
    }
    if (this.failure) throw this.failure;
  }

  private startFlush(): void {
    const batch = this.pending;
    const cacheBatch = this.pendingCache;
    this.pending = [];
    this.pendingCache = [];
    this.inFlight = true;
    this.flushing = this.flushing
      .then(async () => {
        await this.runs.appendResults(this.runId, batch);
        this.written += batch.length;
        await this.cache.putMany(cacheBatch);
      })
      .catch((e: unknown) => {
        this.failure ??= e;
      })
      .finally(() => {
        this.inFlight = false;
      });
  }
}
