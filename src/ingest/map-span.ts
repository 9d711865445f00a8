import type { JsonValue } from '../core/json.js';
import { MAX_SPAN_EVENTS, type Span, type SpanEvent, type SpanIo, type SpanMessage, type SpanStatus, type SpanToolCall } from '../core/span.js';
import type { TokenUsage } from '../core/target-output.js';
import { availableTools } from './available-tools.js';
import { genAiMessages } from './genai-messages.js';
import { openInferenceMessages } from './openinference-messages.js';
import type { OtlpSpan } from './otlp-span.js';
import { otlpSpanProblem } from './otlp-span-problem.js';
import { parseJsonText, readCount, readString } from './read-attribute.js';
import { otelSpanKind, spanKind } from './span-kind.js';

/** A span that was not accepted: its position in the decoded request and why. */
export interface SpanRejection {
  readonly index: number;
  readonly reason: string;
}

export interface MappedSpans {
  readonly spans: Span[];
  readonly rejected: SpanRejection[];
}

export interface MapSpanOptions {
  /** The current time (epoch ms), for refusing spans that end in the future. */
  readonly nowMs: number;
}

/**
 * OTLP spans → domain spans; each span that cannot be stored is rejected on its own, with its index
 * and reason, and the rest are kept (the server reports the rejections as OTLP `partial_success`).
 * @example mapOtlpSpans(decoded.spans, { nowMs: Date.now() }) // { spans: [...], rejected: [{ index: 3, reason: 'spanId is missing' }] }
 */
export function mapOtlpSpans(otlpSpans: readonly OtlpSpan[], options: MapSpanOptions): MappedSpans {
  const spans: Span[] = [];
  const rejected: SpanRejection[] = [];
  otlpSpans.forEach((otlp, index) => {
    const result = mapOtlpSpan(otlp, options);
    if (result.ok) spans.push(result.span);
    else rejected.push({ index, reason: result.reason });
  });
  return { spans, rejected };
}

export type MappedSpan = { readonly ok: true; readonly span: Span } | { readonly ok: false; readonly reason: string };

/**
 * One OTLP span → a domain span, through the OpenInference conventions first and the OTel GenAI
 * conventions second (see the field notes in src/core/span.ts); every original attribute is kept.
 */
export function mapOtlpSpan(otlp: OtlpSpan, options: MapSpanOptions): MappedSpan {
  const problem = otlpSpanProblem(otlp, options.nowMs);
  if (problem !== undefined) return { ok: false, reason: problem };
  const attributes = otlp.attributes;
  const resource = otlp.resource;
  const kind = spanKind(attributes);
  const inputMessages = openInferenceMessages(attributes, 'llm.input_messages') ?? genAiMessages(attributes, otlp.events, 'input');
  const outputMessages = openInferenceMessages(attributes, 'llm.output_messages') ?? genAiMessages(attributes, otlp.events, 'output');

  const span: Span = {
    traceId: otlp.traceId,
    spanId: otlp.spanId,
    name: otlp.name,
    kind,
    otelKind: otelSpanKind(otlp.kind),
    startTimeMs: nanosToMs(otlp.startTimeUnixNano),
    endTimeMs: nanosToMs(otlp.endTimeUnixNano),
    durationMs: Number(otlp.endTimeUnixNano - otlp.startTimeUnixNano) / 1e6,
    status: STATUS[otlp.statusCode] ?? 'unset',
    toolCalls: toolCallsOfMessages(outputMessages),
    usage: usageOf(attributes),
    attributes: attributes as Record<string, JsonValue>,
    resource: resource as Record<string, JsonValue>,
    events: eventsOf(otlp),
  };
  if (otlp.parentSpanId !== '' && !/^0+$/.test(otlp.parentSpanId)) span.parentSpanId = otlp.parentSpanId;
  if (otlp.statusMessage !== '') span.statusMessage = otlp.statusMessage;
  set(span, 'model', readString(attributes, ...MODEL_KEYS));
  set(span, 'provider', readString(attributes, 'llm.provider', 'gen_ai.provider.name', 'llm.system', 'gen_ai.system'));
  set(span, 'input', io(inputMessages, attributes['input.value']));
  set(span, 'inputMimeType', readString(attributes, 'input.mime_type'));
  set(span, 'output', io(outputMessages, attributes['output.value']));
  set(span, 'outputMimeType', readString(attributes, 'output.mime_type'));
  set(span, 'availableTools', availableTools(attributes));
  if (kind === 'TOOL') span.tool = toolOf(otlp);
  set(span, 'costUsd', costOf(attributes));
  set(span, 'sessionId', readString(attributes, 'session.id', 'gen_ai.conversation.id'));
  set(span, 'userId', readString(attributes, 'user.id', 'enduser.id'));
  set(span, 'release', readString(attributes, 'evalops.release') ?? readString(resource, 'evalops.release', 'service.version'));
  set(span, 'variant', readString(attributes, 'evalops.variant') ?? readString(resource, 'evalops.variant'));
  set(span, 'environment', readString(resource, 'deployment.environment.name', 'deployment.environment'));
  set(span, 'serviceName', readString(resource, 'service.name'));
  if (otlp.scope.name !== '') {
    span.scope = otlp.scope.version === '' ? { name: otlp.scope.name } : { name: otlp.scope.name, version: otlp.scope.version };
  }
  return { ok: true, span };
}

/**
 * Nanoseconds → milliseconds. Whole milliseconds and the fraction are converted apart: a double cannot
 * hold today's epoch in nanoseconds exactly, and dividing the rounded value would leave 249.9998 ms
 * where 250 ms was sent.
 */
function nanosToMs(ns: bigint): number {
  return Number(ns / NANOS_PER_MS) + Number(ns % NANOS_PER_MS) / 1e6;
}

const NANOS_PER_MS = 1_000_000n;

const STATUS: readonly SpanStatus[] = ['unset', 'ok', 'error'];

/** The answering model first (it may differ from the requested one), then the requested one. */
const MODEL_KEYS = [
  'llm.response.model_name',
  'gen_ai.response.model',
  'llm.model_name',
  'llm.request.model_name',
  'gen_ai.request.model',
  'embedding.model_name',
  'reranker.model_name',
];

function set<K extends keyof Span>(span: Span, key: K, value: Span[K] | undefined): void {
  if (value !== undefined) span[key] = value;
}

function io(messages: SpanMessage[] | undefined, value: JsonValue | undefined): SpanIo | undefined {
  if (messages !== undefined && messages.length > 0) return messages;
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function toolCallsOfMessages(messages: SpanMessage[] | undefined): SpanToolCall[] {
  const calls: SpanToolCall[] = [];
  for (const message of messages ?? []) if (message.toolCalls !== undefined) calls.push(...message.toolCalls);
  return calls;
}

function toolOf(otlp: OtlpSpan): NonNullable<Span['tool']> {
  const a = otlp.attributes;
  const tool: NonNullable<Span['tool']> = { name: readString(a, 'tool.name', 'gen_ai.tool.name') ?? otlp.name };
  const args = a['gen_ai.tool.call.arguments'] ?? a['input.value'] ?? a['tool.parameters'];
  if (args !== undefined) tool.arguments = parseJsonText(args);
  const result = a['gen_ai.tool.call.result'] ?? a['output.value'];
  if (result !== undefined) tool.result = parseJsonText(result);
  return tool;
}

function usageOf(a: Readonly<Record<string, JsonValue>>): TokenUsage {
  const usage: TokenUsage = {};
  const input = readCount(a, 'llm.token_count.prompt', 'gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens');
  const output = readCount(a, 'llm.token_count.completion', 'gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens');
  const total =
    readCount(a, 'llm.token_count.total', 'gen_ai.usage.total_tokens', 'llm.usage.total_tokens') ??
    (input !== undefined && output !== undefined ? input + output : undefined);
  if (input !== undefined) usage.inputTokens = input;
  if (output !== undefined) usage.outputTokens = output;
  if (total !== undefined) usage.totalTokens = total;
  return usage;
}

/** `llm.cost.total`, else prompt + completion cost, else our own `evalops.cost_usd`; all in USD. */
function costOf(a: Readonly<Record<string, JsonValue>>): number | undefined {
  const total = readCount(a, 'llm.cost.total');
  if (total !== undefined) return total;
  const prompt = readCount(a, 'llm.cost.prompt');
  const completion = readCount(a, 'llm.cost.completion');
  if (prompt !== undefined && completion !== undefined) return prompt + completion;
  return readCount(a, 'evalops.cost_usd');
}

function eventsOf(otlp: OtlpSpan): SpanEvent[] {
  const events: SpanEvent[] = [];
  const count = Math.min(otlp.events.length, MAX_SPAN_EVENTS);
  for (let i = 0; i < count; i++) {
    const event = otlp.events[i]!;
    events.push({
      name: event.name,
      timeMs: nanosToMs(event.timeUnixNano),
      attributes: event.attributes as Record<string, JsonValue>,
    });
  }
  return events;
}
