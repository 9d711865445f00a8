import type { FeedbackRecord } from '../core/feedback.js';

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
