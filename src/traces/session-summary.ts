import type { SessionRow } from '../store/session-queries.js';
import type { FeedbackSummary } from './feedback-summary.js';

/** One session (a conversation): its traces counted, its time span, tokens, cost, errors, feedback. */
export interface SessionSummary {
  readonly sessionId: string;
  readonly userId?: string;
  readonly traces: number;
  readonly spans: number;
  /** Traces with at least one span in error. */
  readonly errors: number;
  readonly firstTimeMs: number;
  /** The latest end of any span of its traces. */
  readonly lastTimeMs: number;
  /** The latest end of a span naming the session: the list's order (≤ lastTimeMs). */
  readonly lastActivityMs: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly totalTokens: number;
  readonly costUsd: number;
  readonly feedback: FeedbackSummary;
}

/** @example summariseSession(row, feedback).totalTokens // row.inputTokens + row.outputTokens */
export function summariseSession(row: SessionRow, feedback: FeedbackSummary): SessionSummary {
  return {
    sessionId: row.sessionId,
    ...(row.userId === undefined ? {} : { userId: row.userId }),
    traces: row.traces,
    spans: row.spans,
    errors: row.errorTraces,
    firstTimeMs: row.firstTimeMs,
    lastTimeMs: row.lastTimeMs,
    lastActivityMs: row.lastActivityMs,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    totalTokens: row.inputTokens + row.outputTokens,
    costUsd: row.costUsd,
    feedback,
  };
}
