import type { OtelSpanKind, SpanKind } from '../core/span.js';

/**
 * The kind of a span that no convention named. A root span (no parent) that carries an input or an
 * output is the application's entry point around its model calls: CHAIN. Anything else stays UNKNOWN.
 *
 * The rule looks at the span alone, on purpose: the spans of one trace may arrive in different
 * requests (the root, ending last, often alone), and a stored span is not rewritten, so "AGENT because
 * it has TOOL descendants" could not be decided the same way every time. A root that says what it is
 * — `openinference.span.kind`, an AI SDK call, a Traceloop workflow or agent, `gen_ai.agent.name` —
 * has its kind from its convention before this rule applies.
 * @example fallbackKind({ hasParent: false, hasInputOrOutput: true }) // 'CHAIN'
 */
export function fallbackKind(span: { readonly hasParent: boolean; readonly hasInputOrOutput: boolean }): SpanKind {
  return !span.hasParent && span.hasInputOrOutput ? 'CHAIN' : 'UNKNOWN';
}

const OTEL_KINDS: readonly OtelSpanKind[] = ['internal', 'internal', 'server', 'client', 'producer', 'consumer'];

/** OTLP SpanKind number → name; UNSPECIFIED and unknown numbers read as `internal`. */
export function otelSpanKind(kind: number): OtelSpanKind {
  return OTEL_KINDS[kind] ?? 'internal';
}
