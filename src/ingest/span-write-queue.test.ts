import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Span } from '../core/span.js';
import type { SpanWrite } from '../store/span-repository.js';
import { SPAN_COLUMNS, type SpanColumnValue, type SpanRowSink } from '../store/span-row.js';
import { openStore, type Store } from '../store/store.js';
import { SpanWriteQueue } from './span-write-queue.js';

/**
 * The store's own repository behind a gate: each transaction waits until the test lets it through,
 * so the queue's state while a write is in flight can be looked at. Rows are really stored.
 */
class GatedSink implements SpanRowSink {
  readonly batches: number[] = [];
  private readonly gates: (() => void)[] = [];
  private waiters: (() => void)[] = [];

  constructor(private readonly inner: SpanRowSink) {}

  async insertRows(chunks: readonly (readonly SpanColumnValue[])[]): Promise<number> {
    this.batches.push(chunks.reduce((n, c) => n + c.length, 0) / SPAN_COLUMNS.length);
    await new Promise<void>((resolve) => {
      this.gates.push(resolve);
      for (const wake of this.waiters.splice(0)) wake();
    });
    return this.inner.insertRows(chunks);
  }

  /** Waits until `n` transactions are held. */
  async held(n: number): Promise<void> {
    while (this.gates.length < n) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Lets the oldest held transaction run. */
  release(): void {
    this.gates.shift()?.();
  }
}

function writes(projectId: string, traceNo: number, count: number): SpanWrite[] {
  const traceId = traceNo.toString(16).padStart(32, '0');
  return Array.from({ length: count }, (_, i) => ({
    projectId,
    span: {
      traceId,
      spanId: (i + 1).toString(16).padStart(16, '0'),
      name: 's',
      kind: 'LLM',
      otelKind: 'internal',
      startTimeMs: 1_700_000_000_000 + i,
      endTimeMs: 1_700_000_000_001 + i,
      durationMs: 1,
      status: 'ok',
      toolCalls: [],
      usage: {},
      attributes: {},
      resource: {},
      events: [],
    } satisfies Span,
  }));
}

describe('SpanWriteQueue', () => {
  let store: Store;
  let projectId: string;
  beforeAll(async () => {
    store = await openStore(':memory:');
    projectId = (await store.projects.ensure('shop')).id;
  });
  afterAll(async () => store?.close());

  it('commits every waiting request in one transaction and resolves them after the commit', async () => {
    const sink = new GatedSink(store.spans);
    const queue = new SpanWriteQueue(sink);
    const first = queue.enqueue(writes(projectId, 1, 3));
    await sink.held(1);
    const second = queue.enqueue(writes(projectId, 2, 4));
    const third = queue.enqueue(writes(projectId, 3, 5));
    expect(queue.depth).toBe(12);
    let secondDone = false;
    void (second as Promise<number>).then(() => (secondDone = true));
    sink.release();
    expect(await first).toBe(3);
    await sink.held(1);
    expect(secondDone).toBe(false);
    expect(await store.spans.count(projectId)).toBe(3);
    sink.release();
    expect(await second).toBe(9);
    expect(await third).toBe(9);
    expect(sink.batches).toEqual([3, 9]);
    expect(queue.depth).toBe(0);
    expect(await store.spans.count(projectId)).toBe(12);
  });

  it('runs up to `concurrency` transactions at once', async () => {
    const sink = new GatedSink(store.spans);
    const queue = new SpanWriteQueue(sink, { concurrency: 2 });
    const outcomes = [queue.enqueue(writes(projectId, 10, 2)), queue.enqueue(writes(projectId, 11, 2)), queue.enqueue(writes(projectId, 12, 2))];
    await sink.held(2);
    expect(sink.batches).toEqual([2, 2]);
    sink.release();
    sink.release();
    await sink.held(1);
    sink.release();
    expect(await Promise.all(outcomes)).toEqual([2, 2, 2]);
    expect(sink.batches).toEqual([2, 2, 2]);
  });

  it('never splits a request, and caps a transaction at maxBatchSpans otherwise', async () => {
    const sink = new GatedSink(store.spans);
    const queue = new SpanWriteQueue(sink, { maxBatchSpans: 5 });
    const outcomes = [queue.enqueue(writes(projectId, 20, 7)), queue.enqueue(writes(projectId, 21, 3)), queue.enqueue(writes(projectId, 22, 2)), queue.enqueue(writes(projectId, 23, 1))];
    for (let i = 0; i < 3; i++) {
      await sink.held(1);
      sink.release();
    }
    await Promise.all(outcomes);
    expect(sink.batches).toEqual([7, 5, 1]);
  });

  it('answers overloaded when the spans would not fit, and takes them again once drained', async () => {
    const sink = new GatedSink(store.spans);
    const queue = new SpanWriteQueue(sink, { maxQueuedSpans: 10, minQueuedSpans: 10 });
    const first = queue.enqueue(writes(projectId, 30, 8));
    await sink.held(1);
    expect(queue.isFull()).toBe(false);
    expect(queue.enqueue(writes(projectId, 31, 3))).toBe('overloaded');
    const fits = queue.enqueue(writes(projectId, 32, 2));
    expect(fits).not.toBe('overloaded');
    expect(queue.isFull()).toBe(true);
    sink.release();
    await first;
    await sink.held(1);
    sink.release();
    await fits;
    expect(queue.isFull()).toBe(false);
    const again = queue.enqueue(writes(projectId, 31, 3));
    await sink.held(1);
    sink.release();
    expect(await again).toBe(3);
  });

  it('always takes one request into an empty queue, however large', async () => {
    const queue = new SpanWriteQueue(store.spans, { maxQueuedSpans: 2, minQueuedSpans: 2 });
    expect(await queue.enqueue(writes(projectId, 40, 5))).toBe(5);
  });

  it('bounds the backlog by drain time at the measured commit rate', async () => {
    let now = 0;
    const sink = new GatedSink(store.spans);
    const queue = new SpanWriteQueue(sink, { maxBacklogMs: 2_000, minQueuedSpans: 4, maxQueuedSpans: 1_000, now: () => now });
    expect(queue.capacity).toBe(4); // no rate measured yet
    const first = queue.enqueue(writes(projectId, 50, 10));
    await sink.held(1);
    now = 1_000; // 10 spans committed in 1 s: 10 spans/s, so 2 s of backlog is 20 spans
    sink.release();
    await first;
    expect(queue.drainRate).toBe(10);
    expect(queue.capacity).toBe(20);
    const second = queue.enqueue(writes(projectId, 51, 15));
    await sink.held(1);
    expect(queue.enqueue(writes(projectId, 52, 6))).toBe('overloaded');
    expect(queue.retryAfterSeconds()).toBe(2); // 15 spans at 10 spans/s
    sink.release();
    await second;
  });

  it('bounds the rows waiting in bytes, whatever the span count allows', async () => {
    const sink = new GatedSink(store.spans);
    const queue = new SpanWriteQueue(sink, { maxQueuedBytes: 20_000, minQueuedSpans: 1_000, maxQueuedSpans: 1_000 });
    const first = queue.enqueue(writes(projectId, 53, 4)); // one request always fits an empty queue
    await sink.held(1);
    const perSpan = queue.bytes / 4;
    expect(perSpan).toBeGreaterThan(200);
    expect(queue.isFull()).toBe(false);
    const fits = Math.floor((20_000 - queue.bytes) / perSpan);
    const second = queue.enqueue(writes(projectId, 54, fits));
    expect(second).not.toBe('overloaded');
    expect(queue.enqueue(writes(projectId, 55, 4))).toBe('overloaded'); // 8 + fits spans is far under 1,000
    expect(queue.depth).toBe(4 + fits);
    sink.release();
    await first;
    await sink.held(1);
    sink.release();
    await second;
    expect(queue.bytes).toBe(0);
  });

  it('never asks a refused sender to wait past 10 s, an exporter\'s timeout', async () => {
    let now = 0;
    const sink = new GatedSink(store.spans);
    const queue = new SpanWriteQueue(sink, { minQueuedSpans: 10_000, maxQueuedSpans: 10_000, now: () => now });
    const first = queue.enqueue(writes(projectId, 56, 1));
    await sink.held(1);
    now = 1_000; // 1 span/s
    sink.release();
    await first;
    const backlog = queue.enqueue(writes(projectId, 57, 100)); // 100 s of backlog at 1 span/s
    await sink.held(1);
    expect(queue.retryAfterSeconds()).toBe(10);
    sink.release();
    await backlog;
  });

  it('rejects every request of a failed transaction, and goes on with the next', async () => {
    const queue = new SpanWriteQueue(store.spans);
    const bad = queue.enqueue(writes('prj_missing', 60, 2)); // the project does not exist: a foreign-key failure
    await expect(bad).rejects.toThrow(/FOREIGN KEY/);
    expect(queue.depth).toBe(0);
    expect(await queue.enqueue(writes(projectId, 61, 2))).toBe(2);
  });

  it('flush waits for everything enqueued so far', async () => {
    const sink = new GatedSink(store.spans);
    const queue = new SpanWriteQueue(sink);
    void queue.enqueue(writes(projectId, 70, 2));
    let flushed = false;
    const flushing = queue.flush().then(() => (flushed = true));
    await sink.held(1);
    expect(flushed).toBe(false);
    sink.release();
    await flushing;
    expect(queue.depth).toBe(0);
    await queue.flush(); // nothing queued: resolves at once
  });
});
