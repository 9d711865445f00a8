import type { JsonValue } from '../core/json.js';
import type { SpanMessage, SpanToolCall } from '../core/span.js';
import { parseJsonText } from './read-attribute.js';

/**
 * Normalisers for chat messages in the shapes instrumentations put into JSON: OpenAI-style
 * (`{ role, content, tool_calls: [{ id, function: { name, arguments } }] }`), content-part lists
 * (`[{ type: 'text', text }]`), and the OTel GenAI parts form
 * (`{ role, parts: [{ type: 'text', content }, { type: 'tool_call', name, arguments }] }`).
 */

type JsonObject = { [key: string]: JsonValue };

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function text(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The text of a message content: a string as it is; text parts joined by newlines (other parts, such
 * as images or tool calls, left out); a tool response as its text; any other object as JSON.
 * @example contentText([{ type: 'text', text: 'a' }, { type: 'image_url' }, { type: 'text', content: 'b' }]) // 'a\nb'
 */
export function contentText(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const parts: string[] = [];
    for (const part of value) {
      const t = partText(part);
      if (t !== undefined) parts.push(t);
    }
    return parts.join('\n');
  }
  return partText(value) ?? JSON.stringify(value);
}

function partText(part: JsonValue): string | undefined {
  if (typeof part === 'string') return part;
  if (!isObject(part)) return undefined;
  const type = part.type;
  if (type === 'tool_call_response') {
    const response = part.response ?? part.result;
    return typeof response === 'string' ? response : response === undefined ? undefined : JSON.stringify(response);
  }
  if (type !== undefined && type !== 'text' && type !== 'input_text' && type !== 'output_text') return undefined;
  return text(part.text) ?? text(part.content);
}

/**
 * A tool call in OpenAI shape (`{ id, function: { name, arguments } }`), flat shape
 * (`{ name, arguments }`) or GenAI part shape (`{ type: 'tool_call', id, name, arguments }`);
 * `undefined` without a name. JSON-text arguments are parsed; missing ones are `{}`.
 */
export function toolCallOf(value: JsonValue | undefined): SpanToolCall | undefined {
  if (!isObject(value)) return undefined;
  const fn = isObject(value.function) ? value.function : value;
  const name = text(fn.name) ?? text(value.name);
  if (name === undefined) return undefined;
  const args = fn.arguments ?? value.arguments ?? value.args ?? value.input;
  const call: SpanToolCall = { name, arguments: parseJsonText(args ?? undefined) ?? {} };
  const id = text(value.id);
  if (id !== undefined) call.id = id;
  return call;
}

/**
 * One message from JSON in any of the shapes above; a plain string is a message of `fallbackRole`.
 * @example messageOf({ role: 'user', parts: [{ type: 'text', content: 'hi' }] }) // { role: 'user', content: 'hi' }
 */
export function messageOf(value: JsonValue | undefined, fallbackRole = 'user'): SpanMessage | undefined {
  if (typeof value === 'string') return { role: fallbackRole, content: value };
  if (!isObject(value)) return undefined;
  const role = text(value.role) ?? fallbackRole;
  const parts = Array.isArray(value.parts) ? value.parts : undefined;
  const message: SpanMessage = { role, content: contentText(parts ?? value.content) };
  const calls = toolCallsOf(value.tool_calls ?? value.toolCalls ?? parts?.filter((p) => isObject(p) && p.type === 'tool_call'));
  if (calls.length > 0) message.toolCalls = calls;
  const response = parts?.find((p) => isObject(p) && p.type === 'tool_call_response');
  const toolCallId = text(value.tool_call_id) ?? text(value.toolCallId) ?? (isObject(response) ? text(response.id) : undefined);
  if (toolCallId !== undefined) message.toolCallId = toolCallId;
  const name = text(value.name);
  if (name !== undefined) message.name = name;
  return message;
}

/** Tool calls from a list (or JSON text of a list); entries without a name are left out. */
export function toolCallsOf(value: JsonValue | undefined): SpanToolCall[] {
  const list = parseJsonText(value);
  if (!Array.isArray(list)) return [];
  const calls: SpanToolCall[] = [];
  for (const item of list) {
    const call = toolCallOf(item);
    if (call !== undefined) calls.push(call);
  }
  return calls;
}

/**
 * A message list from JSON text, a list, or an object holding one (`{ messages: [...] }`);
 * `undefined` when the value holds no list.
 */
export function messagesOf(value: JsonValue | undefined, fallbackRole = 'user'): SpanMessage[] | undefined {
  let list = parseJsonText(value);
  if (isObject(list) && Array.isArray(list.messages)) list = list.messages;
  if (!Array.isArray(list)) return undefined;
  const messages: SpanMessage[] = [];
  for (const item of list) {
    const message = messageOf(item, fallbackRole);
    if (message !== undefined) messages.push(message);
  }
  return messages;
}
