import type { SpanWrite } from '../store/span-repository.js';
import { appendSpanRow, type SpanColumnValue, type SpanRowSink } from '../store/span-row.js';

export interface SpanWriteQueueOptions {
  /** Waiting spans at most, whatever the measured drain rate (default 100,000). */
  readonly maxQueuedSpans?: number;
  /**
   * Backlog bound in time: the queue takes spans while the ones waiting drain within this many
   * milliseconds at the measured commit rate (default 2,000), so an accepted request is answered
   * well within an exporter's timeout (OpenTelemetry's default is 10 s).
   */
  readonly maxBacklogMs?: number;
  /** Waiting spans always allowed, whatever the measured rate (default 16,384). */
  readonly minQueuedSpans?: number;
  /**
   * Bytes of queued rows at most (strings counted at 2 bytes a character, numbers at 8; default
   * 96 MiB): realistic spans are over 1 KB each, so a span count alone does not bound memory.
   */
  readonly maxQueuedBytes?: number;
  /** Spans written per transaction at most (whole requests are never split; default 8,192). */
  readonly maxBatchSpans?: number;
  /** Transactions in flight at once (default 1; PostgreSQL gains from 2: encoding overlaps execution). */
  readonly concurrency?: number;
  readonly now?: () => number;
}

interface Pending {
  readonly values: SpanColumnValue[];
  readonly spans: number;
  readonly bytes: number;
  readonly resolve: (inserted: number) => void;
  readonly reject: (e: unknown) => void;
}

/** Estimated heap bytes of row values: strings at 2 bytes a character (UTF-16 at worst), numbers at 8. */
function rowBytes(values: readonly SpanColumnValue[]): number {
  let bytes = 0;
  for (const v of values) bytes += typeof v === 'string' ? 2 * v.length : 8;
  return bytes;
}

/** Weight of the newest drain-rate sample in the moving average. */
const RATE_SMOOTHING = 0.3;

/**
 * Group commit for ingest: requests enqueue their spans (turned into rows at once, so the queue holds
 * compact rows, not span objects) and wait; a writer takes every waiting request (up to a batch
 * size), writes them in one transaction and only then resolves them — so a 2xx is sent after commit,
 * and many requests share one commit. Up to `concurrency` transactions run at once.
 *
 * The queue is bounded by drain time: it measures its commit rate and takes new spans only while
 * the backlog drains within `maxBacklogMs` (between `minQueuedSpans` and `maxQueuedSpans`), and by
 * memory: the rows waiting stay under `maxQueuedBytes`. `isFull`
 * lets the edge refuse a request before reading its body; `enqueue` answers `overloaded` when the
 * spans would not fit.
 *
 * @example
 * const queue = new SpanWriteQueue(store.spans, { concurrency: 2 });
 * const outcome = queue.enqueue(writes);
 * if (outcome === 'overloaded') return retryLater(queue.retryAfterSeconds());
 * await outcome; // committed
 */
export class SpanWriteQueue {
  private readonly pending: Pending[] = [];
  private queued = 0;
  private queuedBytes = 0;
  private inFlight = 0;
  private readonly idleWaiters: (() => void)[] = [];
  private readonly options: Required<Omit<SpanWriteQueueOptions, 'now'>>;
  private readonly now: () => number;
  /** Measured commit rate, spans per second (undefined until the first commit under load). */
  private rate: number | undefined;
  /** Start of the current rate sample: the last commit, or when the writer last went busy. */
  private sampleStartMs = 0;

  constructor(private readonly sink: SpanRowSink, options: SpanWriteQueueOptions = {}) {
    this.options = {
      maxQueuedSpans: options.maxQueuedSpans ?? 100_000,
      maxBacklogMs: options.maxBacklogMs ?? 2_000,
      minQueuedSpans: Math.min(options.minQueuedSpans ?? 16_384, options.maxQueuedSpans ?? 100_000),
      maxQueuedBytes: options.maxQueuedBytes ?? 96 * 1024 * 1024,
      maxBatchSpans: options.maxBatchSpans ?? 8_192,
      concurrency: Math.max(1, options.concurrency ?? 1),
    };
    this.now = options.now ?? (() => performance.now());
  }

  /** Spans waiting to be committed (queued or in a transaction). */
  get depth(): number {
    return this.queued;
  }

  /** Bytes of the rows waiting to be committed (estimated: 2 per character, 8 per number). */
  get bytes(): number {
    return this.queuedBytes;
  }

  /** Spans the queue takes at the measured rate: the drain-time bound, within the min and max. */
  get capacity(): number {
    const { maxQueuedSpans, minQueuedSpans, maxBacklogMs } = this.options;
    if (this.rate === undefined) return minQueuedSpans;
    return Math.round(Math.min(maxQueuedSpans, Math.max(minQueuedSpans, (this.rate * maxBacklogMs) / 1000)));
  }

  /** Measured commit rate in spans per second, once known. */
  get drainRate(): number | undefined {
    return this.rate;
  }

  /** True when no more spans fit: the edge refuses before reading a body. */
  isFull(): boolean {
    return this.queued > 0 && (this.queued >= this.capacity || this.queuedBytes >= this.options.maxQueuedBytes);
  }

  /**
   * Seconds a refused sender should wait: the time the backlog takes to drain, 1–10 s (an
   * OpenTelemetry exporter gives a batch up when told to wait past its 10 s timeout).
   */
  retryAfterSeconds(): number {
    if (this.rate === undefined || this.rate <= 0) return 1;
    return Math.min(10, Math.max(1, Math.ceil(this.queued / this.rate)));
  }

  /** Resolves with how many spans of the batch were new once they are committed; `overloaded` when full. */
  enqueue(writes: readonly SpanWrite[]): Promise<number> | 'overloaded' {
    if (writes.length === 0) return Promise.resolve(0);
    if (this.queued > 0 && this.queued + writes.length > this.capacity) return 'overloaded';
    const receivedAt = new Date().toISOString();
    const values: SpanColumnValue[] = [];
    for (const write of writes) appendSpanRow(values, write, receivedAt);
    const bytes = rowBytes(values);
    // One request always fits an empty queue, however large (the body limit bounds it).
    if (this.queued > 0 && this.queuedBytes + bytes > this.options.maxQueuedBytes) return 'overloaded';
    const done = new Promise<number>((resolve, reject) => this.pending.push({ values, spans: writes.length, bytes, resolve, reject }));
    this.queued += writes.length;
    this.queuedBytes += bytes;
    this.pump();
    return done;
  }

  /** Waits until everything enqueued so far is committed (or failed). */
  flush(): Promise<void> {
    if (this.queued === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.inFlight < this.options.concurrency && this.pending.length > 0) {
      if (this.inFlight === 0) this.sampleStartMs = this.now();
      const batch = this.takeBatch();
      this.inFlight++;
      void this.write(batch);
    }
  }

  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    let size = 0;
    while (this.pending.length > 0) {
      const next = this.pending[0] as Pending;
      if (batch.length > 0 && size + next.spans > this.options.maxBatchSpans) break;
      batch.push(next);
      size += next.spans;
      this.pending.shift();
    }
    return batch;
  }

  private async write(batch: Pending[]): Promise<void> {
    const size = batch.reduce((n, p) => n + p.spans, 0);
    const bytes = batch.reduce((n, p) => n + p.bytes, 0);
    try {
      const inserted = await this.sink.insertRows(batch.map((p) => p.values));
      this.sampleRate(size);
      // New-span counts per request are not separable inside one statement; report the batch's.
      for (const p of batch) p.resolve(inserted);
    } catch (e) {
      for (const p of batch) p.reject(e);
    } finally {
      this.queued -= size;
      this.queuedBytes -= bytes;
      this.inFlight--;
      this.pump();
      if (this.queued === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  /** Commit rate from the time since the previous commit (or since the writer went busy). */
  private sampleRate(spans: number): void {
    const now = this.now();
    const elapsedMs = now - this.sampleStartMs;
    this.sampleStartMs = now;
    if (elapsedMs <= 0) return;
    const sample = (spans * 1000) / elapsedMs;
    this.rate = this.rate === undefined ? sample : this.rate + RATE_SMOOTHING * (sample - this.rate);
  }
}
