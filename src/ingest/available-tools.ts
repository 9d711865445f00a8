import type { JsonValue } from '../core/json.js';
import type { SpanToolDefinition } from '../core/span.js';
import { indexedGroups } from './indexed-groups.js';
import { parseJsonText, readString } from './read-attribute.js';

/**
 * The tools an LLM span offered the model: OpenInference `llm.tools.N.tool.json_schema` (JSON of an
 * OpenAI tool, `{ type: 'function', function: { name, description, parameters } }`, or the flat form),
 * or GenAI `gen_ai.tool.definitions` (a JSON list of the same). `undefined` when the span lists none.
 * @example availableTools({ 'llm.tools.0.tool.json_schema': '{"type":"function","function":{"name":"f"}}' }) // [{ name: 'f' }]
 */
export function availableTools(attributes: Readonly<Record<string, JsonValue>>): SpanToolDefinition[] | undefined {
  const tools: SpanToolDefinition[] = [];
  for (const group of indexedGroups(attributes, 'llm.tools.')) {
    const tool = definitionOf(parseJsonText(group['tool.json_schema'])) ?? definitionOf(flatTool(group));
    if (tool !== undefined) tools.push(tool);
  }
  if (tools.length === 0) {
    const list = parseJsonText(attributes['gen_ai.tool.definitions']);
    if (Array.isArray(list)) {
      for (const item of list) {
        const tool = definitionOf(item);
        if (tool !== undefined) tools.push(tool);
      }
    }
  }
  return tools.length > 0 ? tools : undefined;
}

function flatTool(group: Record<string, JsonValue>): JsonValue {
  const name = readString(group, 'tool.name');
  if (name === undefined) return null;
  const tool: { [key: string]: JsonValue } = { name };
  const description = readString(group, 'tool.description');
  if (description !== undefined) tool.description = description;
  const parameters = parseJsonText(group['tool.parameters']);
  if (parameters !== undefined) tool.parameters = parameters;
  return tool;
}

function definitionOf(value: JsonValue | undefined): SpanToolDefinition | undefined {
  if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const inner = value.function;
  const fn = inner !== null && typeof inner === 'object' && !Array.isArray(inner) ? inner : value;
  if (typeof fn.name !== 'string' || fn.name === '') return undefined;
  const tool: SpanToolDefinition = { name: fn.name };
  if (typeof fn.description === 'string') tool.description = fn.description;
  const parameters = fn.parameters ?? fn.input_schema;
  if (parameters !== undefined) tool.parameters = parseJsonText(parameters);
  return tool;
}
