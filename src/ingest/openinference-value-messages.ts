import type { JsonValue } from '../core/json.js';
import type { SpanMessage } from '../core/span.js';
import { contentText, messageOf } from './chat-message.js';
import { isLangChainScope, langChainMessages, mayHoldLangChainMessages } from './langchain-messages.js';
import { parseJsonText } from './read-attribute.js';

/**
 * Chat messages held in an OpenInference span's `input.value` / `output.value` JSON, for spans that
 * have no `llm.*_messages` (chains and agents), from the two instrumentations that put them there,
 * known by their tracer's name (`scope`), so that no other span pays for a look into its values:
 * LangChain's (its serialised messages, a LangGraph state; see langchain-messages.ts) and OpenAI
 * Agents' (the Responses API's input items: `{ type: 'message', role, content }`, `function_call`,
 * `function_call_output`). The output of a LangChain chain leaves out the messages it was given (a
 * LangGraph state returns the whole conversation), so it is what the chain added. `undefined` for any
 * other value: it stays text.
 * @example valueMessages({ 'input.value': '[{"type":"message","role":"user","content":"hi"}]' }, 'input', '@arizeai/openinference-instrumentation-openai-agents') // [{ role: 'user', content: 'hi' }]
 */
export function valueMessages(attributes: Readonly<Record<string, JsonValue>>, which: 'input' | 'output', scope: string): SpanMessage[] | undefined {
  const source = sourceOf(scope);
  if (source === undefined) return undefined;
  const text = attributes[`${which}.value`];
  if (typeof text !== 'string') return undefined;
  const first = text.charCodeAt(0);
  if (source === 'langchain') {
    if ((first !== OPEN_BRACE && first !== OPEN_BRACKET) || !mayHoldLangChainMessages(text)) return undefined;
    const messages = langChainMessages(parseJsonText(text));
    return messages === undefined || which === 'input' ? messages : withoutGiven(messages, attributes['input.value']);
  }
  return first === OPEN_BRACKET && text.includes(MESSAGE_ITEM) ? responsesItemMessages(parseJsonText(text)) : undefined;
}

/**
 * The instrumentation that writes messages into values, from its tracer's name: the JS packages
 * (`@arizeai/openinference-instrumentation-langchain`, `…-openai-agents`) and the Python ones
 * (`openinference.instrumentation.langchain`, `…openai_agents`).
 */
function sourceOf(scope: string): 'langchain' | 'openai-agents' | undefined {
  if (isLangChainScope(scope)) return 'langchain';
  if ((scope.endsWith('openai-agents') || scope.endsWith('openai_agents')) && scope.includes('openinference')) return 'openai-agents';
  return undefined;
}

const OPEN_BRACE = 123;
const OPEN_BRACKET = 91;
const MESSAGE_ITEM = '"type":"message"';

/** The output messages after those the input already holds (compared by role and content). */
function withoutGiven(output: SpanMessage[], inputText: JsonValue | undefined): SpanMessage[] {
  const input = typeof inputText === 'string' && mayHoldLangChainMessages(inputText) ? langChainMessages(parseJsonText(inputText)) : undefined;
  if (input === undefined || input.length >= output.length) return output;
  for (let i = 0; i < input.length; i++) {
    if (input[i]!.role !== output[i]!.role || input[i]!.content !== output[i]!.content) return output;
  }
  return output.slice(input.length);
}

type JsonObject = { [key: string]: JsonValue };

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function callId(item: JsonObject): string | undefined {
  const id = item.call_id ?? item.callId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/**
 * Responses API input items → messages: `message` items as chat messages, a `function_call` as an
 * assistant tool call, a `function_call_output` (the Agents SDK says `function_call_result`) as a
 * tool message; other items (reasoning, …) are left out. `undefined` unless it is a list with a message.
 */
function responsesItemMessages(list: JsonValue | undefined): SpanMessage[] | undefined {
  if (!Array.isArray(list)) return undefined;
  const messages: SpanMessage[] = [];
  let sawMessage = false;
  for (const item of list) {
    if (!isObject(item)) return undefined;
    if (item.type === 'message') {
      const message = messageOf(item);
      if (message !== undefined) messages.push(message);
      sawMessage = true;
    } else if (item.type === 'function_call' && typeof item.name === 'string') {
      const call: NonNullable<SpanMessage['toolCalls']>[number] = { name: item.name, arguments: parseJsonText(item.arguments ?? undefined) ?? {} };
      const id = callId(item);
      if (id !== undefined) call.id = id;
      messages.push({ role: 'assistant', content: '', toolCalls: [call] });
    } else if (item.type === 'function_call_output' || item.type === 'function_call_result') {
      const message: SpanMessage = { role: 'tool', content: contentText(item.output) };
      const id = callId(item);
      if (id !== undefined) message.toolCallId = id;
      messages.push(message);
    }
  }
  return sawMessage ? messages : undefined;
}
