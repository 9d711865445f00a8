import { sliceAttributesText } from '../core/coverage/slice-attributes.js';
import type { SpanWrite } from './span-repository.js';

/**
 * The columns of `spans` in the order `spanRowValues` fills them. Both dialects' fast writers (the
 * SQLite worker's reused single-row INSERT, PostgreSQL's one-array-per-column INSERT … SELECT FROM
 * unnest) name the columns from this list, so values and columns cannot drift apart.
 */
export const SPAN_COLUMNS = [
  'project_id',
  'trace_id',
  'span_id',
  'parent_span_id',
  'name',
  'kind',
  'status',
  'start_time_ms',
  'end_time_ms',
  'duration_ms',
  'model',
  'session_id',
  'user_id',
  'release',
  'service_name',
  'input_tokens',
  'output_tokens',
  'cost_usd',
  'document',
  'received_at',
  'slice_attributes',
] as const;

/** One column value: text, a number, or NULL. */
export type SpanColumnValue = string | number | null;

/**
 * Appends one span's row to `out`, `SPAN_COLUMNS.length` values in column order: a flat array of
 * primitives is what the writers consume, and what crosses to the SQLite worker thread cheapest.
 * The span document is serialised here, and the span's slice attributes copied out of it.
 * @example const values: SpanColumnValue[] = []; appendSpanRow(values, write, new Date().toISOString());
 */
export function appendSpanRow(out: SpanColumnValue[], { projectId, span }: SpanWrite, receivedAt: string): void {
  out.push(
    projectId,
    span.traceId,
    span.spanId,
    span.parentSpanId ?? null,
    span.name,
    span.kind,
    span.status,
    span.startTimeMs,
    span.endTimeMs,
    span.durationMs,
    span.model ?? null,
    span.sessionId ?? null,
    span.userId ?? null,
    span.release ?? null,
    span.serviceName ?? null,
    span.usage.inputTokens ?? null,
    span.usage.outputTokens ?? null,
    span.costUsd ?? null,
    JSON.stringify(span),
    receivedAt,
    sliceAttributesText(span.attributes),
  );
}

/**
 * Where the ingest write queue sends rows: writes chunks of flat rows (see `appendSpanRow`) in one
 * transaction, idempotently (a row whose key is already stored is skipped), and resolves with how
 * many rows were new only once they are committed.
 */
export interface SpanRowSink {
  insertRows(chunks: readonly (readonly SpanColumnValue[])[]): Promise<number>;
}
