import type { JsonValue } from '../core/json.js';
import { SPAN_KINDS, type OtelSpanKind, type SpanKind } from '../core/span.js';
import { readString } from './read-attribute.js';

const KNOWN_KINDS: ReadonlySet<string> = new Set(SPAN_KINDS);

/** `gen_ai.operation.name` values of the GenAI conventions → the OpenInference kind they stand for. */
const GENAI_OPERATION_KINDS: Readonly<Record<string, SpanKind>> = {
  chat: 'LLM',
  text_completion: 'LLM',
  generate_content: 'LLM',
  embeddings: 'EMBEDDING',
  execute_tool: 'TOOL',
  invoke_agent: 'AGENT',
  create_agent: 'AGENT',
  invoke_workflow: 'CHAIN',
  retrieval: 'RETRIEVER',
};

/**
 * The kind of a span: `openinference.span.kind` (any case) when it names a known kind; else the GenAI
 * `gen_ai.operation.name`; else LLM when the span names a requested model (`gen_ai.request.model`,
 * `llm.model_name`); else UNKNOWN.
 * @example spanKind({ 'gen_ai.operation.name': 'execute_tool' }) // 'TOOL'
 */
export function spanKind(attributes: Readonly<Record<string, JsonValue>>): SpanKind {
  const declared = readString(attributes, 'openinference.span.kind')?.toUpperCase();
  if (declared !== undefined) return KNOWN_KINDS.has(declared) ? (declared as SpanKind) : 'UNKNOWN';
  const operation = readString(attributes, 'gen_ai.operation.name');
  if (operation !== undefined) {
    const kind = GENAI_OPERATION_KINDS[operation];
    if (kind !== undefined) return kind;
  }
  if (readString(attributes, 'gen_ai.request.model', 'llm.model_name') !== undefined) return 'LLM';
  return 'UNKNOWN';
}

const OTEL_KINDS: readonly OtelSpanKind[] = ['internal', 'internal', 'server', 'client', 'producer', 'consumer'];

/** OTLP SpanKind number → name; UNSPECIFIED and unknown numbers read as `internal`. */
export function otelSpanKind(kind: number): OtelSpanKind {
  return OTEL_KINDS[kind] ?? 'internal';
}
