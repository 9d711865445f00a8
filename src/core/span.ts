import { z } from 'zod';
import { JsonValueSchema } from './json.js';
import { TokenUsageSchema, ToolCallSchema } from './target-output.js';

/**
 * The domain span: one OTLP span after decoding and semantic-convention mapping (src/ingest), before
 * storage. It keeps every original attribute beside the mapped fields, so nothing an instrumentation
 * sent is lost, and the mapped fields are what filters, scorers and promotion use.
 *
 * Times are Unix epoch milliseconds as floating-point numbers: the nanosecond timestamps of OTLP are
 * divided by 1e6, which keeps sub-millisecond precision (about a quarter of a microsecond at today's
 * epoch). `durationMs` is computed from the nanoseconds, so it is exact to the nanosecond below 104
 * days.
 */

/** OpenInference span kinds, plus UNKNOWN when a span says none (or one we do not know). */
export const SPAN_KINDS = [
  'LLM',
  'TOOL',
  'AGENT',
  'RETRIEVER',
  'CHAIN',
  'EMBEDDING',
  'RERANKER',
  'GUARDRAIL',
  'EVALUATOR',
  'PROMPT',
  'UNKNOWN',
] as const;
export const SpanKindSchema = z.enum(SPAN_KINDS);
export type SpanKind = z.infer<typeof SpanKindSchema>;

/** The OpenTelemetry span kind. OTLP's UNSPECIFIED (0) is read as `internal`, as the API spec allows. */
export const OtelSpanKindSchema = z.enum(['internal', 'server', 'client', 'producer', 'consumer']);
export type OtelSpanKind = z.infer<typeof OtelSpanKindSchema>;

export const SpanStatusSchema = z.enum(['unset', 'ok', 'error']);
export type SpanStatus = z.infer<typeof SpanStatusSchema>;

/** A tool call the model asked for; `arguments` is parsed JSON when the instrumentation sent JSON text. */
export const SpanToolCallSchema = ToolCallSchema.extend({ id: z.string().optional() });
export type SpanToolCall = z.infer<typeof SpanToolCallSchema>;

/** A tool offered to the model on an LLM span (its definition, not a call). */
export const SpanToolDefinitionSchema = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  /** JSON Schema of the arguments. */
  parameters: z.unknown().optional(),
});
export type SpanToolDefinition = z.infer<typeof SpanToolDefinitionSchema>;

/** One chat message. `content` is the text (text parts joined); '' when the message only calls tools. */
export const SpanMessageSchema = z.object({
  role: z.string(),
  content: z.string(),
  name: z.string().optional(),
  toolCalls: z.array(SpanToolCallSchema).optional(),
  /** On a `tool` message: the id of the call it answers. */
  toolCallId: z.string().optional(),
});
export type SpanMessage = z.infer<typeof SpanMessageSchema>;

/** Input or output of a span: plain text (e.g. `input.value`) or chat messages (LLM spans). */
export const SpanIoSchema = z.union([z.string(), z.array(SpanMessageSchema)]);
export type SpanIo = z.infer<typeof SpanIoSchema>;


/** Attributes flattened to key → JSON value (OTLP arrays and key-value lists become arrays and objects). */
export const SpanAttributesSchema = z.record(z.string(), JsonValueSchema);
export type SpanAttributes = z.infer<typeof SpanAttributesSchema>;

export const SpanEventSchema = z.object({
  name: z.string(),
  timeMs: z.number(),
  attributes: SpanAttributesSchema,
});
export type SpanEvent = z.infer<typeof SpanEventSchema>;

/** At most this many events are kept per span (the OpenTelemetry SDK's default event limit). */
export const MAX_SPAN_EVENTS = 128;

const hex = (length: number) =>
  z
    .string()
    .regex(new RegExp(`^[0-9a-f]{${length}}$`), `must be ${length} lowercase hex characters`)
    .refine((v) => !/^0+$/.test(v), 'must not be all zeros');

export const SpanSchema = z.object({
  traceId: hex(32),
  spanId: hex(16),
  parentSpanId: hex(16).optional(),
  name: z.string(),
  kind: SpanKindSchema,
  otelKind: OtelSpanKindSchema,
  startTimeMs: z.number(),
  endTimeMs: z.number(),
  durationMs: z.number().nonnegative(),
  status: SpanStatusSchema,
  statusMessage: z.string().optional(),
  /** The model that answered (response model), else the one requested. */
  model: z.string().optional(),
  /** e.g. openai, anthropic, azure, ollama. */
  provider: z.string().optional(),
  input: SpanIoSchema.optional(),
  /** MIME type of a text input (`input.mime_type`), e.g. application/json. */
  inputMimeType: z.string().optional(),
  output: SpanIoSchema.optional(),
  outputMimeType: z.string().optional(),
  /** Tool calls requested in the span's output messages. */
  toolCalls: z.array(SpanToolCallSchema),
  /** The tools an LLM span offered the model (`llm.tools`, `gen_ai.tool.definitions`). */
  availableTools: z.array(SpanToolDefinitionSchema).optional(),
  /** The tool a TOOL span executed. */
  tool: z
    .object({
      name: z.string(),
      arguments: z.unknown().optional(),
      result: z.unknown().optional(),
    })
    .optional(),
  usage: TokenUsageSchema,
  costUsd: z.number().nonnegative().optional(),
  sessionId: z.string().optional(),
  userId: z.string().optional(),
  /** `evalops.release` (span, then resource), else the resource's `service.version`. */
  release: z.string().optional(),
  /** `evalops.variant` (span, then resource). */
  variant: z.string().optional(),
  /** `deployment.environment.name` (or the older `deployment.environment`) of the resource. */
  environment: z.string().optional(),
  serviceName: z.string().optional(),
  /** The instrumentation scope that produced the span. */
  scope: z.object({ name: z.string(), version: z.string().optional() }).optional(),
  /** Every original span attribute, also those that were mapped above. */
  attributes: SpanAttributesSchema,
  resource: SpanAttributesSchema,
  events: z.array(SpanEventSchema).max(MAX_SPAN_EVENTS),
});
export type Span = z.infer<typeof SpanSchema>;
