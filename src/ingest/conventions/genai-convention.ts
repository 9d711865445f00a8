import type { JsonValue } from '../../core/json.js';
import type { SpanKind } from '../../core/span.js';
import { messagesOf } from '../chat-message.js';
import { genAiMessages } from '../genai-messages.js';
import { parseJsonText, readCount, readString } from '../read-attribute.js';
import { addNotice, fill, fillUsage, io, type SpanConvention, type SpanDraft } from './span-convention.js';

/** `gen_ai.operation.name` values of the GenAI conventions → the kind they stand for. */
const OPERATION_KINDS: Readonly<Record<string, SpanKind>> = {
  chat: 'LLM',
  text_completion: 'LLM',
  generate_content: 'LLM',
  embeddings: 'EMBEDDING',
  execute_tool: 'TOOL',
  invoke_agent: 'AGENT',
  create_agent: 'AGENT',
  invoke_workflow: 'CHAIN',
  retrieval: 'RETRIEVER',
};

/**
 * The OpenTelemetry GenAI semantic conventions, in all the forms they have had (see
 * genai-messages.ts): `gen_ai.operation.name` for the kind (an agent span, `gen_ai.agent.name`
 * without an operation, is AGENT; a requested model without either is LLM), messages, tool
 * definitions and tool spans (`gen_ai.tool.name`, `gen_ai.tool.call.arguments` / `.result`),
 * `gen_ai.usage.*` (and OpenLLMetry's `llm.usage.total_tokens`), request and response model,
 * `gen_ai.provider.name` / `gen_ai.system`. Read on every span, by keyed lookups.
 */
export const genAiConvention: SpanConvention = {
  name: 'genai',
  applies: () => true,
  map(span, draft) {
    const a = span.attributes;
    fill(draft, 'kind', kindOf(a));
    if (draft.input === undefined) {
      const input = genAiMessages(a, span.events, 'input');
      fill(draft, 'input', input === undefined ? rawMessages(draft, a, 'gen_ai.input.messages') : io(input, undefined));
    }
    if (draft.output === undefined || draft.outputMessages === undefined) {
      const output = genAiMessages(a, span.events, 'output');
      fill(draft, 'output', output === undefined ? rawMessages(draft, a, 'gen_ai.output.messages') : io(output, undefined));
      fill(draft, 'outputMessages', output);
    }
    fill(draft, 'model', readString(a, 'gen_ai.response.model', 'gen_ai.request.model'));
    fill(draft, 'provider', readString(a, 'gen_ai.provider.name', 'gen_ai.system'));
    fillUsage(
      draft,
      readCount(a, 'gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens'),
      readCount(a, 'gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens'),
      readCount(a, 'gen_ai.usage.total_tokens', 'llm.usage.total_tokens'),
    );
    if (draft.availableTools === undefined && a['gen_ai.tool.definitions'] !== undefined) toolDefinitions(draft, a['gen_ai.tool.definitions']);
  },
};

function kindOf(a: Readonly<Record<string, JsonValue>>): SpanKind | undefined {
  const operation = readString(a, 'gen_ai.operation.name');
  if (operation !== undefined) {
    const kind = OPERATION_KINDS[operation];
    if (kind !== undefined) return kind;
  }
  if (operation === undefined && readString(a, 'gen_ai.agent.name') !== undefined) return 'AGENT';
  if (readString(a, 'gen_ai.request.model', 'llm.model_name') !== undefined) return 'LLM';
  return undefined;
}

/**
 * A message attribute that is there but held no message list (malformed JSON, or JSON of another
 * shape): its text is the span's input or output, with a notice.
 */
function rawMessages(draft: SpanDraft, a: Readonly<Record<string, JsonValue>>, key: string): string | undefined {
  const value = a[key];
  if (typeof value !== 'string' || value === '') return undefined;
  if (messagesOf(value) === undefined) addNotice(draft, `${key} holds no message list (${parseJsonText(value) === value ? 'not valid JSON' : 'JSON of another shape'}); its text is kept as it is`);
  return value;
}

function toolDefinitions(draft: SpanDraft, value: JsonValue): void {
  const list = parseJsonText(value);
  if (!Array.isArray(list)) addNotice(draft, 'gen_ai.tool.definitions is not a JSON list; it is kept as it is');
}
