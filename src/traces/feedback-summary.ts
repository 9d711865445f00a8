import type { FeedbackRecord } from '../core/feedback.js';
import type { FeedbackCounts } from '../store/session-queries.js';

/** Feedback on a trace or a session, counted: thumbs, text, and the mean of each custom signal. */
export interface FeedbackSummary {
  readonly count: number;
  readonly up: number;
  readonly down: number;
  /** Feedback items with a comment (any kind). */
  readonly comments: number;
  readonly signals: Readonly<Record<string, { readonly count: number; readonly mean: number }>>;
}

/** @example summariseFeedback([]) // { count: 0, up: 0, down: 0, comments: 0, signals: {} } */
export function summariseFeedback(records: readonly FeedbackRecord[]): FeedbackSummary {
  const sums = new Map<string, { count: number; total: number }>();
  let up = 0;
  let down = 0;
  let comments = 0;
  for (const r of records) {
    if (r.kind === 'thumbs' && r.value === 1) up++;
    if (r.kind === 'thumbs' && r.value === 0) down++;
    if (r.comment) comments++;
    if (r.kind === 'signal' && r.name !== null && r.value !== null) {
      const s = sums.get(r.name) ?? { count: 0, total: 0 };
      sums.set(r.name, { count: s.count + 1, total: s.total + r.value });
    }
  }
  const signals: Record<string, { count: number; mean: number }> = {};
  for (const [name, s] of [...sums].sort(([a], [b]) => a.localeCompare(b))) signals[name] = { count: s.count, mean: s.total / s.count };
  return { count: records.length, up, down, comments, signals };
}

/**
 * The same summary from feedback counted by kind and name in the database (what summariseFeedback
 * counts one record at a time).
 *
 * @example summariseFeedbackCounts([{ kind: 'thumbs', name: null, count: 2, up: 1, down: 1, comments: 0, valueSum: 1, valueCount: 2 }]).up // 1
 */
export function summariseFeedbackCounts(counts: readonly FeedbackCounts[]): FeedbackSummary {
  const signals: Record<string, { count: number; mean: number }> = {};
  const named = counts.filter((c) => c.kind === 'signal' && c.name !== null && c.valueCount > 0).sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
  for (const c of named) signals[c.name ?? ''] = { count: c.valueCount, mean: c.valueSum / c.valueCount };
  const total = (field: 'count' | 'up' | 'down' | 'comments') => counts.reduce((sum, c) => sum + c[field], 0);
  return { count: total('count'), up: total('up'), down: total('down'), comments: total('comments'), signals };
}
