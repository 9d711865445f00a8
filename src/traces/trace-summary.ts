import type { FeedbackRecord } from '../core/feedback.js';
import type { SpanHead } from '../store/span-queries.js';
import { summariseFeedback, type FeedbackSummary } from './feedback-summary.js';

/** One trace as a list shows it: its root span's fields, figures over all its spans, its feedback. */
export interface TraceSummary {
  readonly traceId: string;
  readonly name: string;
  readonly kind: string;
  readonly startTimeMs: number;
  readonly durationMs: number;
  readonly spans: number;
  /** Spans with status error. */
  readonly errors: number;
  /** The root span's status, in the span's words: unset, ok or error. */
  readonly status: string;
  /** The root span's session, else the first span naming one. */
  readonly sessionId?: string;
  readonly userId?: string;
  readonly release?: string;
  /** The first model any span used. */
  readonly model?: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Sum of the spans' costs; absent when no span reported one. */
  readonly costUsd?: number;
  readonly feedback: FeedbackSummary;
}

/**
 * Summarises the spans of one trace (the root is the earliest span without a parent, else the
 * earliest span) and the feedback on it.
 *
 * @example summariseTrace(heads, []).spans // heads.length
 */
export function summariseTrace(spans: readonly SpanHead[], feedback: readonly FeedbackRecord[]): TraceSummary {
  const sorted = [...spans].sort((a, b) => a.startTimeMs - b.startTimeMs || a.spanId.localeCompare(b.spanId));
  const root = sorted.find((s) => s.parentSpanId === undefined) ?? sorted[0];
  if (root === undefined) throw new TypeError('a trace summary needs at least one span');
  const first = <K extends 'model' | 'sessionId' | 'userId' | 'release'>(key: K): string | undefined => root[key] ?? sorted.find((s) => s[key] !== undefined)?.[key];
  const costs = sorted.flatMap((s) => (s.costUsd === undefined ? [] : [s.costUsd]));
  const model = sorted.find((s) => s.model !== undefined)?.model;
  const sessionId = first('sessionId');
  const userId = first('userId');
  const release = first('release');
  return {
    traceId: root.traceId,
    name: root.name,
    kind: root.kind,
    startTimeMs: root.startTimeMs,
    durationMs: Math.max(...sorted.map((s) => s.endTimeMs)) - root.startTimeMs,
    spans: sorted.length,
    errors: sorted.filter((s) => s.status === 'error').length,
    status: root.status,
    inputTokens: sorted.reduce((n, s) => n + (s.inputTokens ?? 0), 0),
    outputTokens: sorted.reduce((n, s) => n + (s.outputTokens ?? 0), 0),
    ...(sessionId === undefined ? {} : { sessionId }),
    ...(userId === undefined ? {} : { userId }),
    ...(release === undefined ? {} : { release }),
    ...(model === undefined ? {} : { model }),
    ...(costs.length === 0 ? {} : { costUsd: costs.reduce((a, b) => a + b, 0) }),
    feedback: summariseFeedback(feedback),
  };
}
