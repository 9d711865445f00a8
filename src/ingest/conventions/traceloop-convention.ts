import type { JsonValue } from '../../core/json.js';
import type { SpanKind } from '../../core/span.js';
import { readString } from '../read-attribute.js';
import { fill, parseJsonAttribute, type SpanConvention, type SpanDraft } from './span-convention.js';

/** `traceloop.span.kind` (the SDK's workflow/task/agent/tool decorators) → kind. */
const ENTITY_KINDS: Readonly<Record<string, SpanKind>> = { workflow: 'CHAIN', task: 'CHAIN', agent: 'AGENT', tool: 'TOOL' };

/** `llm.request.type` of OpenLLMetry's instrumentations before they moved to `gen_ai.operation.name`. */
const REQUEST_KINDS: Readonly<Record<string, SpanKind>> = { chat: 'LLM', completion: 'LLM', embedding: 'EMBEDDING', rerank: 'RERANKER' };

/**
 * OpenLLMetry / Traceloop: spans of the `@traceloop/…` tracers, or carrying `traceloop.span.kind` /
 * `traceloop.entity.name`. The SDK's entities (workflow, task, agent, tool) give the kind and, in
 * `traceloop.entity.input` / `.output` (JSON: `{ args, kwargs }` in, the return value out), the input
 * and output; a tool entity is the tool called. Its model calls use the GenAI conventions
 * (`gen_ai.input.messages`, or `gen_ai.prompt.N.*` in older versions), read by the GenAI mapper.
 */
export const traceloopConvention: SpanConvention = {
  name: 'traceloop',
  applies: (span) => span.scope.name.startsWith('@traceloop/') || span.attributes['traceloop.span.kind'] !== undefined || span.attributes['traceloop.entity.name'] !== undefined,
  map(span, draft) {
    const a = span.attributes;
    const entityKind = readString(a, 'traceloop.span.kind');
    const requestType = readString(a, 'llm.request.type');
    const kind = (entityKind === undefined ? undefined : ENTITY_KINDS[entityKind]) ?? (requestType === undefined ? undefined : REQUEST_KINDS[requestType]);
    fill(draft, 'kind', kind);
    const input = a['traceloop.entity.input'];
    const output = a['traceloop.entity.output'];
    const parsedInput = input === undefined ? undefined : parseJsonAttribute(draft, 'traceloop.entity.input', input);
    const parsedOutput = output === undefined ? undefined : parseJsonAttribute(draft, 'traceloop.entity.output', output);
    if (input !== undefined) fill(draft, 'input', parsedInput === undefined ? String(input) : inputText(parsedInput));
    if (output !== undefined) fill(draft, 'output', parsedOutput === undefined ? String(output) : valueText(parsedOutput));
    if (kind === 'TOOL') {
      const tool: NonNullable<SpanDraft['tool']> = { name: readString(a, 'traceloop.entity.name') ?? span.name };
      const args = parsedInput === undefined ? undefined : argumentsOf(parsedInput);
      if (args !== undefined) tool.arguments = args;
      if (parsedOutput !== undefined) tool.result = parsedOutput;
      fill(draft, 'tool', tool);
    }
  },
};

type JsonObject = { [key: string]: JsonValue };

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The arguments of an entity call: its keyword arguments, else its one argument, else the list. */
function argumentsOf(input: JsonValue): JsonValue | undefined {
  if (!isObject(input) || !('args' in input || 'kwargs' in input)) return input;
  const args = Array.isArray(input.args) ? input.args : [];
  if (isObject(input.kwargs) && Object.keys(input.kwargs).length > 0) return input.kwargs;
  return args.length === 1 ? args[0] : args.length === 0 ? undefined : args;
}

/** The input as text: a lone text argument as it is, anything else as JSON. */
function inputText(input: JsonValue): string | undefined {
  const args = argumentsOf(input);
  if (args === undefined) return undefined;
  if (isObject(args)) {
    const values = Object.values(args);
    if (values.length === 1 && typeof values[0] === 'string') return values[0];
  }
  return valueText(args);
}

function valueText(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
