import type { SpanRepository, SpanWrite } from '../store/span-repository.js';

export interface SpanWriteQueueOptions {
  /** Spans waiting (not yet committed) above which new requests are refused as overloaded. */
  readonly maxQueuedSpans?: number;
  /** Spans written per transaction at most (whole requests are never split). */
  readonly maxBatchSpans?: number;
}

interface Pending {
  readonly writes: readonly SpanWrite[];
  readonly resolve: (inserted: number) => void;
  readonly reject: (e: unknown) => void;
}

/**
 * Group commit for ingest: requests enqueue their spans and wait; one writer takes every waiting
 * request (up to a batch size), writes them in one transaction and only then resolves them — so a
 * 2xx is sent after commit, and many small requests share one fsync. The queue is bounded: when it
 * holds `maxQueuedSpans`, `enqueue` answers `overloaded` at once instead of growing memory, and the
 * edge answers 503 with Retry-After.
 */
export class SpanWriteQueue {
  private readonly pending: Pending[] = [];
  private queued = 0;
  private writing: Promise<void> | undefined;
  private readonly maxQueuedSpans: number;
  private readonly maxBatchSpans: number;

  constructor(private readonly spans: SpanRepository, options: SpanWriteQueueOptions = {}) {
    this.maxQueuedSpans = options.maxQueuedSpans ?? 200_000;
    this.maxBatchSpans = options.maxBatchSpans ?? 8_192;
  }

  /** Spans waiting to be committed. */
  get depth(): number {
    return this.queued;
  }

  /** Resolves with how many spans were new once they are committed; `overloaded` when full. */
  enqueue(writes: readonly SpanWrite[]): Promise<number> | 'overloaded' {
    if (writes.length === 0) return Promise.resolve(0);
    if (this.queued > 0 && this.queued + writes.length > this.maxQueuedSpans) return 'overloaded';
    const done = new Promise<number>((resolve, reject) => this.pending.push({ writes, resolve, reject }));
    this.queued += writes.length;
    this.writing ??= this.drainLoop();
    return done;
  }

  /** Waits until everything enqueued so far is committed (or failed). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drainLoop(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch: Pending[] = [];
        let size = 0;
        while (this.pending.length > 0 && (batch.length === 0 || size + (this.pending[0] as Pending).writes.length <= this.maxBatchSpans)) {
          const p = this.pending.shift() as Pending;
          batch.push(p);
          size += p.writes.length;
        }
        try {
          const inserted = await this.spans.insertBatch(batch.flatMap((p) => p.writes));
          // New-span counts per request are not separable inside one statement; report the batch's.
          for (const p of batch) p.resolve(inserted);
        } catch (e) {
          for (const p of batch) p.reject(e);
        } finally {
          this.queued -= size;
        }
      }
    } finally {
      this.writing = undefined;
    }
  }
}
