import type { Span } from '../core/span.js';

/** One trace as a list shows it: its root span's fields and counts over all its spans. */
export interface TraceSummary {
  readonly traceId: string;
  readonly name: string;
  readonly kind: string;
  readonly startTimeMs: number;
  readonly durationMs: number;
  readonly spans: number;
  readonly errors: number;
  readonly sessionId?: string;
  readonly userId?: string;
  readonly release?: string;
  readonly model?: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** Summarises the spans of one trace (the root is the span without a parent, else the earliest). */
export function summariseTrace(spans: readonly Span[]): TraceSummary {
  const sorted = [...spans].sort((a, b) => a.startTimeMs - b.startTimeMs);
  const root = sorted.find((s) => s.parentSpanId === undefined) ?? (sorted[0] as Span);
  const model = sorted.find((s) => s.model)?.model;
  return {
    traceId: root.traceId,
    name: root.name,
    kind: root.kind,
    startTimeMs: root.startTimeMs,
    durationMs: Math.max(...sorted.map((s) => s.endTimeMs)) - root.startTimeMs,
    spans: sorted.length,
    errors: sorted.filter((s) => s.status === 'error').length,
    inputTokens: sorted.reduce((n, s) => n + (s.usage.inputTokens ?? 0), 0),
    outputTokens: sorted.reduce((n, s) => n + (s.usage.outputTokens ?? 0), 0),
    ...(root.sessionId ? { sessionId: root.sessionId } : {}),
    ...(root.userId ? { userId: root.userId } : {}),
    ...(root.release ? { release: root.release } : {}),
    ...(model ? { model } : {}),
  };
}
