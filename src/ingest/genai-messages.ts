import type { JsonValue } from '../core/json.js';
import type { SpanMessage } from '../core/span.js';
import { contentText, messageOf, messagesOf, toolCallsOf } from './chat-message.js';
import { indexedGroups } from './indexed-groups.js';
import { setAttribute, type OtlpEvent } from './otlp-span.js';
import { hasKeyWithPrefix, parseJsonText, readString } from './read-attribute.js';

type Attributes = Readonly<Record<string, JsonValue>>;

/**
 * Chat messages from the OpenTelemetry GenAI conventions, in all the forms they have had, newest first:
 * 1. `gen_ai.input.messages` / `gen_ai.output.messages` (JSON, `{ role, parts }`; with
 *    `gen_ai.system_instructions` as a leading system message), on the span or on a
 *    `gen_ai.client.inference.operation.details` event;
 * 2. indexed `gen_ai.prompt.N.role` / `.content` / `.tool_calls.M.name` … and `gen_ai.completion.N.…`;
 * 3. `gen_ai.prompt` / `gen_ai.completion` holding JSON, on the span or on the
 *    `gen_ai.content.prompt` / `gen_ai.content.completion` events;
 * 4. the per-message events `gen_ai.system.message`, `gen_ai.user.message`, `gen_ai.assistant.message`,
 *    `gen_ai.tool.message` (input) and `gen_ai.choice` (output).
 * `undefined` when none is there.
 */
export function genAiMessages(
  attributes: Attributes,
  events: readonly OtlpEvent[],
  direction: 'input' | 'output',
): SpanMessage[] | undefined {
  const fallbackRole = direction === 'input' ? 'user' : 'assistant';
  const structuredKey = direction === 'input' ? 'gen_ai.input.messages' : 'gen_ai.output.messages';
  const legacyKey = direction === 'input' ? 'gen_ai.prompt' : 'gen_ai.completion';
  const legacyEvent = direction === 'input' ? 'gen_ai.content.prompt' : 'gen_ai.content.completion';

  const details = events.find((e) => e.name === 'gen_ai.client.inference.operation.details')?.attributes;
  const structuredSource = attributes[structuredKey] !== undefined ? attributes : details;
  const structured = structuredSource && messagesOf(structuredSource[structuredKey], fallbackRole);
  if (structured !== undefined) {
    return direction === 'input' ? withSystemInstructions(structuredSource!, structured) : structured;
  }
  if (hasKeyWithPrefix(attributes, `${legacyKey}.`)) {
    const indexed = indexedGroups(attributes, `${legacyKey}.`).map((g) => indexedMessage(g, fallbackRole));
    if (indexed.length > 0) return indexed;
  }
  const legacy = attributes[legacyKey] ?? events.find((e) => e.name === legacyEvent)?.attributes[legacyKey];
  if (legacy !== undefined) {
    const messages = messagesOf(legacy, fallbackRole);
    if (messages !== undefined) return messages;
    if (typeof legacy === 'string') return [{ role: fallbackRole, content: legacy }];
  }
  const fromEvents = direction === 'input' ? inputEventMessages(events) : choiceEventMessages(events);
  return fromEvents.length > 0 ? fromEvents : undefined;
}

function withSystemInstructions(attributes: Attributes, messages: SpanMessage[]): SpanMessage[] {
  const instructions = attributes['gen_ai.system_instructions'];
  if (instructions === undefined) return messages;
  const parsed = typeof instructions === 'string' ? parseList(instructions) : instructions;
  const content = contentText(parsed);
  return content === '' ? messages : [{ role: 'system', content }, ...messages];
}

function parseList(text: string): JsonValue {
  try {
    const value = JSON.parse(text) as JsonValue;
    return Array.isArray(value) ? value : text;
  } catch {
    return text;
  }
}

function indexedMessage(group: Record<string, JsonValue>, fallbackRole: string): SpanMessage {
  const message: SpanMessage = {
    role: readString(group, 'role') ?? fallbackRole,
    content: contentText(group.content),
  };
  const calls = toolCallsOf(indexedGroups(group, 'tool_calls.'));
  if (calls.length > 0) message.toolCalls = calls;
  const toolCallId = readString(group, 'tool_call_id');
  if (toolCallId !== undefined) message.toolCallId = toolCallId;
  return message;
}

const INPUT_EVENT_ROLES: Readonly<Record<string, string>> = {
  'gen_ai.system.message': 'system',
  'gen_ai.user.message': 'user',
  'gen_ai.assistant.message': 'assistant',
  'gen_ai.tool.message': 'tool',
};

function inputEventMessages(events: readonly OtlpEvent[]): SpanMessage[] {
  const messages: SpanMessage[] = [];
  for (const event of events) {
    const role = INPUT_EVENT_ROLES[event.name];
    if (role === undefined) continue;
    const body = eventBody(event.attributes);
    const message = messageOf({ role, ...body }, role);
    if (message === undefined) continue;
    if (role === 'tool' && message.toolCallId === undefined && typeof body.id === 'string') message.toolCallId = body.id;
    messages.push(message);
  }
  return messages;
}

function choiceEventMessages(events: readonly OtlpEvent[]): SpanMessage[] {
  const messages: SpanMessage[] = [];
  for (const event of events) {
    if (event.name !== 'gen_ai.choice') continue;
    const body = eventBody(event.attributes);
    const inner = body.message === undefined ? undefined : messageOf(parseJsonText(body.message) ?? null, 'assistant');
    const message = inner ?? messageOf({ role: 'assistant', ...body }, 'assistant');
    if (message !== undefined) messages.push(message);
  }
  return messages;
}

/**
 * An event's body: span events cannot carry the log-record body the conventions describe, so SDKs put
 * it in attributes, either field by field or as JSON text under `gen_ai.event.content` or `event.body`.
 */
function eventBody(attributes: Attributes): { [key: string]: JsonValue } {
  for (const key of ['gen_ai.event.content', 'event.body', 'body']) {
    const value = attributes[key];
    if (typeof value === 'string') {
      try {
        const parsed = JSON.parse(value) as JsonValue;
        if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
      } catch {
        // Not JSON: the text is the content.
        return { content: value };
      }
    } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return value;
    }
  }
  const body: { [key: string]: JsonValue } = {};
  for (const key in attributes) setAttribute(body, key, attributes[key]!);
  return body;
}
