import type { JsonValue } from '../../core/json.js';
import type { Span, SpanIo, SpanKind, SpanMessage, SpanToolDefinition } from '../../core/span.js';
import type { TokenUsage } from '../../core/target-output.js';
import type { OtlpSpan } from '../otlp-span.js';

/**
 * The span-mapping port: one semantic convention (OpenInference, the Vercel AI SDK's telemetry,
 * OpenLLMetry/Traceloop, the OTel GenAI conventions) reads what it knows of an OTLP span into a
 * shared draft. Conventions run in the order of src/ingest/conventions/conventions.ts; each sets only
 * the fields still empty, so the first convention that knows a field wins it.
 */
export interface SpanConvention {
  readonly name: ConventionName;
  /**
   * Whether the convention has anything to read on this span. Cheap by contract — the scope name or a
   * few keyed lookups, never a scan of the attributes: it runs for every span on the ingest path.
   */
  applies(span: OtlpSpan): boolean;
  /** Reads the span into `draft`, setting only fields that are still undefined. */
  map(span: OtlpSpan, draft: SpanDraft): void;
}

export type ConventionName = 'openinference' | 'ai-sdk' | 'traceloop' | 'genai';

/**
 * What the conventions fill in, before it becomes the domain span. `outputMessages` is kept apart
 * from `output` because the tool calls of a span are those of its output messages, also when the
 * output shown is plain text.
 */
export interface SpanDraft {
  kind?: SpanKind;
  input?: SpanIo;
  inputMimeType?: string;
  output?: SpanIo;
  outputMimeType?: string;
  outputMessages?: SpanMessage[];
  availableTools?: SpanToolDefinition[];
  tool?: NonNullable<Span['tool']>;
  usage: TokenUsage;
  model?: string;
  provider?: string;
  costUsd?: number;
  /** What the mapping could not read as it expected (malformed JSON, …): kept with the span. */
  notices?: string[];
}

/**
 * Records a mapping notice on the draft, once: a list attribute with many malformed items (e.g.
 * `ai.prompt.tools`) gives one notice, not one per item, so notices cannot outgrow the span.
 */
export function addNotice(draft: SpanDraft, notice: string): void {
  const notices = (draft.notices ??= []);
  if (!notices.includes(notice)) notices.push(notice);
}

/**
 * JSON text → the parsed value; a value that is not text is returned as it is. Text that does not
 * parse gives `undefined` and a notice naming the attribute, so the caller keeps the raw text.
 */
export function parseJsonAttribute(draft: SpanDraft, key: string, value: JsonValue | undefined): JsonValue | undefined {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as JsonValue;
  } catch {
    addNotice(draft, `${key} is not valid JSON; its text is kept as it is`);
    return undefined;
  }
}

/** Sets `draft[key]` when it is still undefined and `value` is defined. */
export function fill<K extends keyof SpanDraft>(draft: SpanDraft, key: K, value: SpanDraft[K] | undefined): void {
  if (draft[key] === undefined && value !== undefined) draft[key] = value;
}

/** Fills the token counts still missing from `usage`. */
export function fillUsage(draft: SpanDraft, input: number | undefined, output: number | undefined, total: number | undefined): void {
  const usage = draft.usage;
  if (usage.inputTokens === undefined && input !== undefined) usage.inputTokens = input;
  if (usage.outputTokens === undefined && output !== undefined) usage.outputTokens = output;
  if (usage.totalTokens === undefined && total !== undefined) usage.totalTokens = total;
}

/** Messages when there are some, else the value as text (JSON values as JSON text). */
export function io(messages: SpanMessage[] | undefined, value: JsonValue | undefined): SpanIo | undefined {
  if (messages !== undefined && messages.length > 0) return messages;
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
