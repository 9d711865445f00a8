import type { JsonValue } from '../../core/json.js';
import type { SpanMessage, SpanToolCall } from '../../core/span.js';
import { parseJsonText } from '../read-attribute.js';

/**
 * Messages of the Vercel AI SDK as its telemetry writes them (JSON): the call's prompt in
 * `ai.prompt` (`{ system?, prompt?, messages? }`), the provider-level prompt in `ai.prompt.messages`
 * (a list of `{ role, content }`, content a string or parts `text`, `reasoning`, `tool-call`
 * `{ toolCallId, toolName, input }`, `tool-result` `{ toolCallId, toolName, output: { type, value } }`),
 * and the answer's tool calls in `ai.response.toolCalls`. The SDK's older field names (`args`,
 * `result`) are read too.
 */

type JsonObject = { [key: string]: JsonValue };

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function text(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The messages of `ai.prompt` (parsed): the system text, then `prompt` (a string is one user message,
 * a list is messages), then `messages`. `undefined` when it holds none of them.
 * @example aiSdkPromptMessages({ system: 'Be brief.', prompt: 'Hi' }) // [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }]
 */
export function aiSdkPromptMessages(prompt: JsonValue): SpanMessage[] | undefined {
  if (!isObject(prompt)) return undefined;
  const messages: SpanMessage[] = [];
  const system = text(prompt.system);
  if (system !== undefined) messages.push({ role: 'system', content: system });
  if (typeof prompt.prompt === 'string') messages.push({ role: 'user', content: prompt.prompt });
  else if (Array.isArray(prompt.prompt)) appendMessages(messages, prompt.prompt);
  if (Array.isArray(prompt.messages)) appendMessages(messages, prompt.messages);
  return messages.length > 0 ? messages : undefined;
}

/**
 * A list of AI SDK messages (parsed) → chat messages; each tool result becomes its own `tool` message.
 * `undefined` when the value is not a list.
 */
export function aiSdkMessages(list: JsonValue): SpanMessage[] | undefined {
  if (!Array.isArray(list)) return undefined;
  const messages: SpanMessage[] = [];
  appendMessages(messages, list);
  return messages;
}

function appendMessages(out: SpanMessage[], list: readonly JsonValue[]): void {
  for (const item of list) {
    if (!isObject(item)) continue;
    const role = text(item.role) ?? 'user';
    const content = item.content;
    if (!Array.isArray(content)) {
      out.push({ role, content: typeof content === 'string' ? content : content === undefined || content === null ? '' : JSON.stringify(content) });
      continue;
    }
    const texts: string[] = [];
    const calls: SpanToolCall[] = [];
    for (const part of content) {
      if (typeof part === 'string') texts.push(part);
      if (!isObject(part)) continue;
      if (part.type === 'text' && typeof part.text === 'string') texts.push(part.text);
      else if (part.type === 'tool-call') {
        const call = aiSdkToolCall(part);
        if (call !== undefined) calls.push(call);
      } else if (part.type === 'tool-result') out.push(toolResultMessage(part));
    }
    if (role === 'tool' && texts.length === 0 && calls.length === 0) continue;
    const message: SpanMessage = { role, content: texts.join('\n') };
    if (calls.length > 0) message.toolCalls = calls;
    out.push(message);
  }
}

function toolResultMessage(part: JsonObject): SpanMessage {
  const output = part.output ?? part.result;
  const value = isObject(output) && typeof output.type === 'string' && 'value' in output ? output.value : output;
  const message: SpanMessage = { role: 'tool', content: typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value) };
  const id = text(part.toolCallId);
  if (id !== undefined) message.toolCallId = id;
  const name = text(part.toolName);
  if (name !== undefined) message.name = name;
  return message;
}

/**
 * One AI SDK tool call (`{ toolCallId, toolName, input }`, or `args` before v5); the arguments are
 * parsed when they are JSON text, `{}` when absent. `undefined` without a name.
 */
export function aiSdkToolCall(value: JsonValue): SpanToolCall | undefined {
  if (!isObject(value)) return undefined;
  const name = text(value.toolName);
  if (name === undefined) return undefined;
  const call: SpanToolCall = { name, arguments: parseJsonText(value.input ?? value.args) ?? {} };
  const id = text(value.toolCallId);
  if (id !== undefined) call.id = id;
  return call;
}

/** The tool calls of `ai.response.toolCalls` (parsed); [] when it is not a list. */
export function aiSdkToolCalls(list: JsonValue): SpanToolCall[] {
  return Array.isArray(list) ? list.map(aiSdkToolCall).filter((call): call is SpanToolCall => call !== undefined) : [];
}
