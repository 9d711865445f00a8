import { ensureSpanPartitionsAhead } from '../store/postgres/span-partitions.js';
import { enforceSpanRetention, type SpanRetentionOutcome } from '../store/span-retention.js';
import type { Store } from '../store/store.js';

export interface SpanMaintenanceOptions {
  /** Spans that started longer ago than this are deleted; undefined keeps them. */
  readonly retentionMs?: number;
  /** Time between passes (default one hour). */
  readonly intervalMs?: number;
  readonly now?: () => number;
  readonly log: (entry: Record<string, unknown>) => void;
}

export interface SpanMaintenance {
  /** One pass now (the timer's passes and this one never overlap). */
  runOnce(): Promise<SpanRetentionOutcome | undefined>;
  /** Stops the timer and waits for a pass in progress. */
  stop(): Promise<void>;
}

/**
 * The server's background care of the span tables, a pass at start and then every `intervalMs`: on
 * PostgreSQL, the day partitions of the coming week are created ahead; with a retention bound, spans
 * older than it are deleted (span-retention.ts). Failures are logged and retried at the next pass,
 * never thrown into request handling.
 */
export function startSpanMaintenance(store: Store, options: SpanMaintenanceOptions): SpanMaintenance {
  const now = options.now ?? Date.now;
  let running: Promise<SpanRetentionOutcome | undefined> | undefined;
  const pass = async (): Promise<SpanRetentionOutcome | undefined> => {
    if (store.dialect === 'postgres') {
      const created = await ensureSpanPartitionsAhead(store.db, now());
      if (created) options.log({ level: 'info', msg: 'span partitions created ahead', created });
    }
    if (options.retentionMs === undefined) return undefined;
    const outcome = await enforceSpanRetention(store.db, store.dialect, now() - options.retentionMs);
    if (outcome.deletedSpans || outcome.droppedPartitions) options.log({ level: 'info', msg: 'span retention', ...outcome });
    return outcome;
  };
  const runOnce = (): Promise<SpanRetentionOutcome | undefined> => {
    running ??= pass()
      .catch((e: unknown) => {
        options.log({ level: 'error', msg: 'span maintenance failed; retried at the next pass', error: String(e) });
        return undefined;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  void runOnce();
  const timer = setInterval(() => void runOnce(), options.intervalMs ?? 3_600_000);
  timer.unref();
  return {
    runOnce,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
