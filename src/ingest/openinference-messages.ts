import type { JsonValue } from '../core/json.js';
import type { SpanMessage, SpanToolCall } from '../core/span.js';
import { contentText, messagesOf } from './chat-message.js';
import { parseJsonText } from './read-attribute.js';

/**
 * Chat messages from OpenInference attributes, which flatten them with indices:
 * `llm.input_messages.0.message.role`, `….message.content`, `….message.contents.0.message_content.text`,
 * `….message.tool_calls.0.tool_call.function.name` / `.arguments` / `.id`, `….message.tool_call_id`,
 * `….message.name`. An unflattened list (a JSON text or list under `llm.input_messages` itself) is read
 * too. `undefined` when the span has none.
 * @example openInferenceMessages({ 'llm.output_messages.0.message.role': 'assistant', 'llm.output_messages.0.message.content': 'hi' }, 'llm.output_messages')
 * // [{ role: 'assistant', content: 'hi' }]
 */
export function openInferenceMessages(
  attributes: Readonly<Record<string, JsonValue>>,
  key: 'llm.input_messages' | 'llm.output_messages',
): SpanMessage[] | undefined {
  const whole = attributes[key];
  if (whole !== undefined) {
    const messages = messagesOf(whole, key === 'llm.input_messages' ? 'user' : 'assistant');
    if (messages !== undefined) return messages;
  }
  return flattenedMessages(attributes, `${key}.`);
}

interface MessageDraft {
  role?: string;
  content?: JsonValue;
  name?: string;
  toolCallId?: string;
  parts?: Map<number, { type?: string; text?: string }>;
  calls?: Map<number, { name?: string; arguments?: JsonValue; id?: string }>;
  functionName?: string;
  functionArguments?: JsonValue;
}

/**
 * One pass over the attributes, filling a draft per message index straight from the key suffixes
 * (no intermediate records: this runs for every LLM span).
 */
function flattenedMessages(attributes: Readonly<Record<string, JsonValue>>, prefix: string): SpanMessage[] | undefined {
  let drafts: MessageDraft[] | undefined;
  for (const key in attributes) {
    if (!key.startsWith(prefix)) continue;
    const dot = key.indexOf('.', prefix.length);
    const index = indexBetween(key, prefix.length, dot);
    if (index < 0 || index >= MAX_MESSAGES) continue;
    drafts ??= [];
    fill((drafts[index] ??= {}), key.slice(dot + 1), attributes[key]!);
  }
  if (drafts === undefined) return undefined;
  const messages: SpanMessage[] = [];
  // A sparse array: forEach visits the indices that are there, in order.
  drafts.forEach((draft) => messages.push(messageOf(draft)));
  return messages;
}

/** Messages past this index are left in the attributes only (a guard against absurd indices). */
const MAX_MESSAGES = 10_000;

function fill(draft: MessageDraft, rest: string, value: JsonValue): void {
  switch (rest) {
    case 'message.role':
      draft.role = text(value);
      return;
    case 'message.content':
      draft.content = value;
      return;
    case 'message.name':
      draft.name = text(value);
      return;
    case 'message.tool_call_id':
      draft.toolCallId = text(value);
      return;
    case 'message.function_call_name':
      draft.functionName = text(value);
      return;
    case 'message.function_call_arguments_json':
      draft.functionArguments = value;
      return;
  }
  const call = nested(rest, 'message.tool_calls.');
  if (call !== undefined) {
    draft.calls ??= new Map();
    const entry = draft.calls.get(call.index) ?? {};
    draft.calls.set(call.index, entry);
    if (call.rest === 'tool_call.function.name') entry.name = text(value);
    else if (call.rest === 'tool_call.function.arguments') entry.arguments = value;
    else if (call.rest === 'tool_call.id') entry.id = text(value);
    return;
  }
  const part = nested(rest, 'message.contents.');
  if (part !== undefined) {
    draft.parts ??= new Map();
    const entry = draft.parts.get(part.index) ?? {};
    draft.parts.set(part.index, entry);
    if (part.rest === 'message_content.type') entry.type = text(value);
    else if (part.rest === 'message_content.text') entry.text = text(value);
  }
}

function nested(rest: string, prefix: string): { index: number; rest: string } | undefined {
  if (!rest.startsWith(prefix)) return undefined;
  const dot = rest.indexOf('.', prefix.length);
  const index = indexBetween(rest, prefix.length, dot);
  if (index < 0) return undefined;
  return { index, rest: rest.slice(dot + 1) };
}

/** The decimal index `key[start..end)`, or -1 when that is not 1–6 digits. */
function indexBetween(key: string, start: number, end: number): number {
  if (end <= start || end - start > 6) return -1;
  let index = 0;
  for (let i = start; i < end; i++) {
    const digit = key.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    index = index * 10 + digit;
  }
  return index;
}

function text(value: JsonValue): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

function inOrder<T>(map: Map<number, T> | undefined): T[] {
  if (map === undefined) return [];
  return [...map.entries()].sort((a, b) => a[0] - b[0]).map((entry) => entry[1]);
}

function messageOf(draft: MessageDraft): SpanMessage {
  const message: SpanMessage = { role: roleOf(draft), content: contentOf(draft) };
  const toolCalls: SpanToolCall[] = [];
  for (const call of inOrder(draft.calls)) {
    if (!call.name) continue;
    const toolCall: SpanToolCall = { name: call.name, arguments: parseJsonText(call.arguments) ?? {} };
    if (call.id) toolCall.id = call.id;
    toolCalls.push(toolCall);
  }
  // The older single function call of OpenAI (`message.function_call_name`).
  if (draft.functionName) toolCalls.push({ name: draft.functionName, arguments: parseJsonText(draft.functionArguments) ?? {} });
  if (toolCalls.length > 0) message.toolCalls = toolCalls;
  if (draft.toolCallId) message.toolCallId = draft.toolCallId;
  if (draft.name) message.name = draft.name;
  return message;
}

/**
 * The message's role; a `user` message that answers a tool call is a `tool` message: Anthropic sends
 * tool results as user messages of `tool_result` blocks, OpenAI as `tool` messages, and what reads
 * messages (the last user message is a trace's input) should not take a tool's result for the user.
 */
function roleOf(draft: MessageDraft): string {
  if (!draft.role) return 'unknown';
  return draft.role === 'user' && draft.toolCallId ? 'tool' : draft.role;
}

function contentOf(draft: MessageDraft): string {
  if (draft.content !== undefined) return contentText(draft.content);
  const texts: string[] = [];
  for (const part of inOrder(draft.parts)) {
    if (TEXT_PART_TYPES.has(part.type ?? 'text') && part.text !== undefined) texts.push(part.text);
  }
  return texts.join('\n');
}

/** Text parts: chat completions say `text`; the Responses API says `input_text` and `output_text`. */
const TEXT_PART_TYPES: ReadonlySet<string> = new Set(['text', 'input_text', 'output_text']);
