import type { Store } from '../store/store.js';
import { projectIdOf } from './review-scope.js';

export interface DriftOptions {
  /** Bucket width; default one day. */
  readonly bucketMs?: number;
  /** Disagreement rate above which the latest full-enough bucket raises an alert; default 0.2. */
  readonly threshold?: number;
  /** Reviewed items a bucket needs before it can alert; default 20. */
  readonly minItems?: number;
  /** Only items from production traces (`trace`) or from runs (`result`); default both. */
  readonly source?: 'trace' | 'result';
}

export interface DriftBucket {
  readonly start: string;
  readonly n: number;
  readonly disagreements: number;
  readonly rate: number;
}

export interface JudgeDrift {
  readonly metric: string;
  readonly threshold: number;
  readonly minItems: number;
  readonly buckets: readonly DriftBucket[];
  /** Set when the latest bucket with at least minItems reviewed items is above the threshold. */
  readonly alert: { readonly since: string; readonly rate: number; readonly n: number; readonly message: string } | null;
}

const DAY = 86_400_000;

/**
 * Judge drift: the share of settled review items on which the judge's verdict (the label it gave when
 * the item was routed) differs from the human truth, per time bucket. Crossing the threshold raises
 * an alert in the answer; the monitoring work turns it into a notification.
 */
export async function judgeDrift(store: Store, projectName: string, metric: string, options: DriftOptions = {}): Promise<JudgeDrift> {
  const projectId = await projectIdOf(store, projectName);
  const bucketMs = options.bucketMs ?? DAY;
  const threshold = options.threshold ?? 0.2;
  const minItems = options.minItems ?? 20;
  const items = (await store.reviews.settledItems(projectId, metric)).filter((i) => (options.source ? i.source === options.source : true) && i.payload.judge?.status === 'scored' && i.payload.judge.label !== null);
  const buckets = new Map<number, { n: number; d: number }>();
  for (const item of items) {
    const start = Math.floor(Date.parse(item.createdAt) / bucketMs) * bucketMs;
    const b = buckets.get(start) ?? { n: 0, d: 0 };
    b.n++;
    if (item.payload.judge?.label !== item.truth) b.d++;
    buckets.set(start, b);
  }
  const series = [...buckets.entries()].sort(([a], [b]) => a - b).map(([start, b]) => ({ start: new Date(start).toISOString(), n: b.n, disagreements: b.d, rate: b.d / b.n }));
  const latest = [...series].reverse().find((b) => b.n >= minItems);
  const alert =
    latest && latest.rate > threshold
      ? { since: latest.start, rate: latest.rate, n: latest.n, message: `judge ${metric} disagrees with reviewers on ${(latest.rate * 100).toFixed(1)}% of ${latest.n} items since ${latest.start} (threshold ${(threshold * 100).toFixed(0)}%): recalibrate it` }
      : null;
  return { metric, threshold, minItems, buckets: series, alert };
}
