import type { JsonValue } from '../core/json.js';
import { MAX_SPAN_EVENTS, type Span, type SpanEvent, type SpanMessage, type SpanStatus, type SpanToolCall } from '../core/span.js';
import type { TokenUsage } from '../core/target-output.js';
import { readConventions, SESSION_ID_KEYS, USER_ID_KEYS } from './conventions/conventions.js';
import type { OtlpSpan } from './otlp-span.js';
import { otlpSpanProblem } from './otlp-span-problem.js';
import { parseJsonText, readCount, readString } from './read-attribute.js';
import { fallbackKind, otelSpanKind } from './span-kind.js';

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
 * One OTLP span → a domain span, through the conventions that apply to it in their order of
 * precedence (src/ingest/conventions/conventions.ts; see the field notes in src/core/span.ts); every
 * original attribute is kept. What a convention could not read as expected is noted in
 * `mappingNotices`, never a reason to refuse the span.
 */
export function mapOtlpSpan(otlp: OtlpSpan, options: MapSpanOptions): MappedSpan {
  const problem = otlpSpanProblem(otlp, options.nowMs);
  if (problem !== undefined) return { ok: false, reason: problem };
  const attributes = otlp.attributes;
  const resource = otlp.resource;
  const draft = readConventions(otlp);
  const hasParent = otlp.parentSpanId !== '' && !ALL_ZEROS.test(otlp.parentSpanId);
  const kind = draft.kind ?? fallbackKind({ hasParent, hasInputOrOutput: draft.input !== undefined || draft.output !== undefined });

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
    toolCalls: toolCallsOfMessages(draft.outputMessages),
    usage: withTotal(draft.usage),
    attributes: attributes as Record<string, JsonValue>,
    resource: resource as Record<string, JsonValue>,
    events: eventsOf(otlp),
  };
  if (hasParent) span.parentSpanId = otlp.parentSpanId;
  if (otlp.statusMessage !== '') span.statusMessage = otlp.statusMessage;
  set(span, 'model', draft.model);
  set(span, 'provider', draft.provider);
  set(span, 'input', draft.input);
  set(span, 'inputMimeType', draft.inputMimeType);
  set(span, 'output', draft.output);
  set(span, 'outputMimeType', draft.outputMimeType);
  set(span, 'availableTools', draft.availableTools);
  if (kind === 'TOOL') span.tool = draft.tool ?? toolOf(otlp);
  set(span, 'costUsd', draft.costUsd ?? readCount(attributes, 'evalops.cost_usd'));
  set(span, 'sessionId', readString(attributes, ...SESSION_ID_KEYS));
  set(span, 'userId', readString(attributes, ...USER_ID_KEYS));
  set(span, 'release', readString(attributes, 'evalops.release') ?? readString(resource, 'evalops.release', 'service.version'));
  set(span, 'variant', readString(attributes, 'evalops.variant') ?? readString(resource, 'evalops.variant'));
  set(span, 'environment', readString(resource, 'deployment.environment.name', 'deployment.environment'));
  set(span, 'serviceName', readString(resource, 'service.name'));
  if (otlp.scope.name !== '') {
    span.scope = otlp.scope.version === '' ? { name: otlp.scope.name } : { name: otlp.scope.name, version: otlp.scope.version };
  }
  set(span, 'mappingNotices', draft.notices);
  return { ok: true, span };
}

const ALL_ZEROS = /^0+$/;

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

function set<K extends keyof Span>(span: Span, key: K, value: Span[K] | undefined): void {
  if (value !== undefined) span[key] = value;
}

function toolCallsOfMessages(messages: SpanMessage[] | undefined): SpanToolCall[] {
  const calls: SpanToolCall[] = [];
  for (const message of messages ?? []) if (message.toolCalls !== undefined) calls.push(...message.toolCalls);
  return calls;
}

/** A TOOL span no convention described: the tool by the OpenInference or GenAI keys, else the span's name. */
function toolOf(otlp: OtlpSpan): NonNullable<Span['tool']> {
  const a = otlp.attributes;
  const tool: NonNullable<Span['tool']> = { name: readString(a, 'tool.name', 'gen_ai.tool.name') ?? otlp.name };
  const args = a['gen_ai.tool.call.arguments'] ?? a['input.value'] ?? a['tool.parameters'];
  if (args !== undefined) tool.arguments = parseJsonText(args);
  const result = a['gen_ai.tool.call.result'] ?? a['output.value'];
  if (result !== undefined) tool.result = parseJsonText(result);
  return tool;
}

/** The usage as read, with the total as input + output when none was given. */
function withTotal(usage: TokenUsage): TokenUsage {
  if (usage.totalTokens === undefined && usage.inputTokens !== undefined && usage.outputTokens !== undefined) usage.totalTokens = usage.inputTokens + usage.outputTokens;
  return usage;
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
