import type { JsonValue } from '../../core/json.js';
import type { SpanKind, SpanMessage, SpanToolDefinition } from '../../core/span.js';
import type { OtlpSpan } from '../otlp-span.js';
import { parseJsonText, readCount, readString } from '../read-attribute.js';
import { aiSdkMessages, aiSdkPromptMessages, aiSdkToolCalls } from './ai-sdk-messages.js';
import { addNotice, fill, fillUsage, parseJsonAttribute, type SpanConvention, type SpanDraft } from './span-convention.js';

type Attributes = Readonly<Record<string, JsonValue>>;

/**
 * The kind of each AI SDK operation (`ai.operationId`). The outer text calls run the SDK's loop of
 * model calls and tool executions (an agent loop), so they are AGENT; a structured-output call is
 * one model call wrapped, CHAIN; the provider calls (`.doGenerate`, `.doStream`) are LLM.
 */
const OPERATION_KINDS: Readonly<Record<string, SpanKind>> = {
  'ai.generateText': 'AGENT',
  'ai.streamText': 'AGENT',
  'ai.generateObject': 'CHAIN',
  'ai.streamObject': 'CHAIN',
  'ai.generateText.doGenerate': 'LLM',
  'ai.streamText.doStream': 'LLM',
  'ai.generateObject.doGenerate': 'LLM',
  'ai.streamObject.doStream': 'LLM',
  'ai.toolCall': 'TOOL',
  'ai.embed': 'EMBEDDING',
  'ai.embedMany': 'EMBEDDING',
  'ai.embed.doEmbed': 'EMBEDDING',
  'ai.embedMany.doEmbed': 'EMBEDDING',
  'ai.rerank': 'RERANKER',
  'ai.rerank.doRerank': 'RERANKER',
};

/**
 * The Vercel AI SDK's own telemetry (`experimental_telemetry: { isEnabled: true }`): spans of the
 * tracer named `ai`, or carrying `ai.operationId`. Input from `ai.prompt` (outer calls) or
 * `ai.prompt.messages` (model calls), `ai.value(s)` (embeddings) and `ai.toolCall.args`; output from
 * `ai.response.text` / `ai.response.object` / `ai.response.toolCalls` and `ai.toolCall.result`; tools
 * offered from `ai.prompt.tools`; model `ai.response.model` else `ai.model.id`; provider
 * `ai.model.provider`. Token counts are taken from the model and embedding calls only: the outer
 * call's `ai.usage.*` is the sum of its steps, and a trace's tokens are summed over its spans.
 */
export const aiSdkConvention: SpanConvention = {
  name: 'ai-sdk',
  applies: (span) => span.scope.name === 'ai' || span.attributes['ai.operationId'] !== undefined,
  map(span, draft) {
    const a = span.attributes;
    const operation = readString(a, 'ai.operationId') ?? span.name;
    const kind = OPERATION_KINDS[operation];
    fill(draft, 'kind', kind);
    if (kind === 'LLM') llmCall(a, draft);
    else if (kind === 'TOOL') toolCall(span, draft);
    else if (kind === 'EMBEDDING') embedding(a, draft, operation.endsWith('.doEmbed'));
    else outerCall(a, draft);
    fill(draft, 'model', readString(a, 'ai.response.model', 'ai.model.id'));
    fill(draft, 'provider', readString(a, 'ai.model.provider'));
  },
};

function llmCall(a: Attributes, draft: SpanDraft): void {
  fill(draft, 'input', messagesOrText(draft, a, 'ai.prompt.messages', aiSdkMessages));
  const text = readString(a, 'ai.response.text') ?? readString(a, 'ai.response.object');
  const calls = a['ai.response.toolCalls'] === undefined ? [] : aiSdkToolCalls(parseJsonAttribute(draft, 'ai.response.toolCalls', a['ai.response.toolCalls']) ?? null);
  if (text !== undefined || calls.length > 0) {
    const message: SpanMessage = { role: 'assistant', content: text ?? '' };
    if (calls.length > 0) message.toolCalls = calls;
    fill(draft, 'output', [message]);
    fill(draft, 'outputMessages', [message]);
  }
  fill(draft, 'availableTools', toolsOffered(a['ai.prompt.tools'], draft));
  fillUsage(
    draft,
    readCount(a, 'ai.usage.inputTokens', 'ai.usage.promptTokens'),
    readCount(a, 'ai.usage.outputTokens', 'ai.usage.completionTokens'),
    readCount(a, 'ai.usage.totalTokens'),
  );
}

/** generateText / streamText / generateObject / streamObject: the call's prompt in, its final answer out. */
function outerCall(a: Attributes, draft: SpanDraft): void {
  fill(draft, 'input', messagesOrText(draft, a, 'ai.prompt', aiSdkPromptMessages));
  fill(draft, 'output', readString(a, 'ai.response.text') ?? readString(a, 'ai.response.object'));
  const calls = a['ai.response.toolCalls'];
  if (calls !== undefined) {
    const list = aiSdkToolCalls(parseJsonAttribute(draft, 'ai.response.toolCalls', calls) ?? null);
    if (list.length > 0) fill(draft, 'outputMessages', [{ role: 'assistant', content: readString(a, 'ai.response.text') ?? '', toolCalls: list }]);
  }
}

const TOOL_ARGS_KEYS = ['ai.toolCall.args', 'ai.toolCall.input', 'gen_ai.tool.call.arguments'] as const;

function toolCall(span: OtlpSpan, draft: SpanDraft): void {
  const a = span.attributes;
  // `args` / `result` in ai 4–6, `input` / `output` in the SDK's newer naming; the gen_ai.* keys when
  // a span processor (Traceloop's) has already rewritten the span into the GenAI conventions.
  const tool: NonNullable<SpanDraft['tool']> = { name: readString(a, 'ai.toolCall.name', 'gen_ai.tool.name') ?? span.name };
  const argsKey = TOOL_ARGS_KEYS.find((key) => a[key] !== undefined);
  const args = argsKey === undefined ? undefined : a[argsKey];
  if (argsKey !== undefined && args !== undefined) tool.arguments = parseJsonAttribute(draft, argsKey, args) ?? args;
  const result = a['ai.toolCall.result'] ?? a['ai.toolCall.output'] ?? a['gen_ai.tool.call.result'];
  if (result !== undefined) tool.result = parseJsonText(result);
  fill(draft, 'tool', tool);
  if (typeof args === 'string') fill(draft, 'input', args);
  if (typeof result === 'string') fill(draft, 'output', result);
}

/** ai.embed / ai.embedMany: the text(s) embedded in; the counts on the provider call only. */
function embedding(a: Attributes, draft: SpanDraft, providerCall: boolean): void {
  const value = a['ai.value'];
  const values = a['ai.values'];
  if (typeof value === 'string') fill(draft, 'input', embeddedText(value));
  else if (Array.isArray(values)) fill(draft, 'input', values.map(embeddedText).join('\n'));
  if (providerCall) fillUsage(draft, readCount(a, 'ai.usage.tokens'), undefined, readCount(a, 'ai.usage.tokens'));
}

/** One embedded value: the SDK writes each as JSON (a text is quoted); the text itself when it is one. */
function embeddedText(value: JsonValue): string {
  if (typeof value !== 'string') return JSON.stringify(value);
  try {
    const parsed = JSON.parse(value) as JsonValue;
    return typeof parsed === 'string' ? parsed : value;
  } catch {
    return value;
  }
}

/** `ai.prompt.tools`: a list of JSON texts, each `{ type: 'function', name, description, inputSchema }`. */
function toolsOffered(value: JsonValue | undefined, draft: SpanDraft): SpanToolDefinition[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const tools: SpanToolDefinition[] = [];
  for (const item of value) {
    const tool = typeof item === 'string' ? parseJsonAttribute(draft, 'ai.prompt.tools', item) : item;
    if (tool === null || typeof tool !== 'object' || Array.isArray(tool) || typeof tool.name !== 'string' || tool.name === '') continue;
    const definition: SpanToolDefinition = { name: tool.name };
    if (typeof tool.description === 'string') definition.description = tool.description;
    const parameters = tool.inputSchema ?? tool.parameters;
    if (parameters !== undefined) definition.parameters = parameters;
    tools.push(definition);
  }
  return tools.length > 0 ? tools : undefined;
}

/**
 * The messages a JSON attribute holds; when it holds none (not JSON, or JSON of another shape), its
 * text as it is, with a notice — the span is kept and the rest of it mapped.
 */
function messagesOrText(draft: SpanDraft, a: Attributes, key: string, convert: (value: JsonValue) => SpanMessage[] | undefined): SpanMessage[] | string | undefined {
  const value = a[key];
  if (value === undefined) return undefined;
  const parsed = parseJsonAttribute(draft, key, value);
  if (parsed === undefined) return String(value);
  const messages = convert(parsed);
  if (messages !== undefined) return messages.length > 0 ? messages : undefined;
  addNotice(draft, `${key} holds JSON that is not a prompt this version reads; its text is kept as it is`);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

