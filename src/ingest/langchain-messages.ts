import type { JsonValue } from '../core/json.js';
import type { SpanMessage } from '../core/span.js';
import { contentText, messageOf, toolCallsOf } from './chat-message.js';
import { parseJsonText } from './read-attribute.js';

/**
 * LangChain's serialised messages, as OpenInference's LangChain instrumentation writes a chain's
 * `input.value` / `output.value` (a LangGraph state is `{ "messages": [ … ] }`):
 * `{ lc: 1, type: 'constructor', id: ['langchain_core', 'messages', 'AIMessage'], kwargs: { content,
 * tool_calls: [{ name, args, id }], tool_call_id, name } }`.
 */

type JsonObject = { [key: string]: JsonValue };

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The role of each LangChain message class (chunks included); `ChatMessage` carries its own role. */
const ROLES: Readonly<Record<string, string>> = {
  SystemMessage: 'system',
  SystemMessageChunk: 'system',
  HumanMessage: 'user',
  HumanMessageChunk: 'user',
  AIMessage: 'assistant',
  AIMessageChunk: 'assistant',
  ToolMessage: 'tool',
  ToolMessageChunk: 'tool',
  FunctionMessage: 'function',
  FunctionMessageChunk: 'function',
};

/**
 * Whether a tracer is OpenInference's LangChain instrumentation: `@arizeai/openinference-instrumentation-langchain`
 * (JS) or `openinference.instrumentation.langchain` (Python).
 */
export function isLangChainScope(scope: string): boolean {
  return scope.endsWith('langchain') && scope.includes('openinference');
}

/** A cheap test on the raw text before parsing it: LangChain serialisation writes `"lc":1`. */
export function mayHoldLangChainMessages(text: string): boolean {
  return text.includes('"lc":1');
}

/** Whether a value is one serialised LangChain message. */
export function isLangChainMessage(value: JsonValue | undefined): value is JsonObject {
  if (!isObject(value) || value.lc !== 1 || value.type !== 'constructor' || !isObject(value.kwargs)) return false;
  const id = value.id;
  return Array.isArray(id) && id.length >= 2 && id[id.length - 2] === 'messages';
}

/**
 * One serialised LangChain message → a span message: its class gives the role, `kwargs.content` the
 * text, `kwargs.tool_calls` (else OpenAI's `additional_kwargs.tool_calls`) the tool calls.
 * @example langChainMessage({ lc: 1, type: 'constructor', id: ['langchain_core', 'messages', 'HumanMessage'], kwargs: { content: 'hi' } }) // { role: 'user', content: 'hi' }
 */
export function langChainMessage(value: JsonObject): SpanMessage {
  const kwargs = value.kwargs as JsonObject;
  const id = value.id as JsonValue[];
  const className = String(id[id.length - 1]);
  const role = ROLES[className] ?? (typeof kwargs.role === 'string' ? kwargs.role : 'unknown');
  const message: SpanMessage = { role, content: contentText(kwargs.content) };
  let calls = toolCallsOf(kwargs.tool_calls);
  if (calls.length === 0 && isObject(kwargs.additional_kwargs)) calls = toolCallsOf(kwargs.additional_kwargs.tool_calls);
  if (calls.length > 0) message.toolCalls = calls;
  if (typeof kwargs.tool_call_id === 'string' && kwargs.tool_call_id !== '') message.toolCallId = kwargs.tool_call_id;
  if (typeof kwargs.name === 'string' && kwargs.name !== '') message.name = kwargs.name;
  return message;
}

/**
 * The messages a parsed chain value holds, when it holds LangChain messages: a list of them, a state
 * `{ messages: [...] }` (a batch `[[...]]` gives its first list), or one message on its own or under a
 * single key (a tool's `{ output: ToolMessage }`). Entries that are plain chat messages are read too;
 * `undefined` when no entry is a LangChain message.
 */
export function langChainMessages(value: JsonValue | undefined): SpanMessage[] | undefined {
  let list: JsonValue | undefined = value;
  if (isObject(list)) {
    if (Array.isArray(list.messages)) list = list.messages;
    else if (isLangChainMessage(list)) list = [list];
    else {
      const values: JsonValue[] = Object.values(list as JsonObject);
      list = values.length === 1 && isLangChainMessage(values[0]) ? values : undefined;
    }
  }
  if (Array.isArray(list) && list.length > 0 && Array.isArray(list[0])) list = list[0];
  if (!Array.isArray(list) || !list.some(isLangChainMessage)) return undefined;
  const messages: SpanMessage[] = [];
  for (const item of list) {
    const message = isLangChainMessage(item) ? langChainMessage(item) : messageOf(item);
    if (message !== undefined) messages.push(message);
  }
  return messages;
}

/**
 * A LangChain tool's result: the content of the ToolMessage it returned (as JSON when it is JSON
 * text); `undefined` when the value is not a ToolMessage.
 * @example langChainToolResult('{"output":{"lc":1,"type":"constructor","id":["langchain_core","messages","ToolMessage"],"kwargs":{"content":"{\\"ok\\":true}"}}}') // { ok: true }
 */
export function langChainToolResult(value: JsonValue | undefined): JsonValue | undefined {
  if (typeof value !== 'string' || !mayHoldLangChainMessages(value)) return undefined;
  const messages = langChainMessages(parseJsonText(value));
  if (messages === undefined || messages.length !== 1 || messages[0]!.role !== 'tool') return undefined;
  return parseJsonText(messages[0]!.content);
}
