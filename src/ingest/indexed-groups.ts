import type { JsonValue } from '../core/json.js';
import { setAttribute } from './otlp-span.js';

/**
 * Gathers a list that a semantic convention flattens into indexed keys, in index order, each item a
 * record of the keys after the index. Gaps in the indices are closed up.
 * @example indexedGroups({ 'llm.input_messages.1.message.role': 'user', 'llm.input_messages.0.message.role': 'system' }, 'llm.input_messages.')
 * // [{ 'message.role': 'system' }, { 'message.role': 'user' }]
 */
export function indexedGroups(
  attributes: Readonly<Record<string, JsonValue>>,
  prefix: string,
): Array<Record<string, JsonValue>> {
  const groups = new Map<number, Record<string, JsonValue>>();
  for (const key in attributes) {
    if (!key.startsWith(prefix)) continue;
    const dot = key.indexOf('.', prefix.length);
    if (dot <= prefix.length) continue;
    const index = Number(key.slice(prefix.length, dot));
    if (!Number.isSafeInteger(index) || index < 0) continue;
    let group = groups.get(index);
    if (group === undefined) {
      group = {};
      groups.set(index, group);
    }
    setAttribute(group, key.slice(dot + 1), attributes[key]!);
  }
  if (groups.size === 0) return [];
  return [...groups.entries()].sort((a, b) => a[0] - b[0]).map((entry) => entry[1]);
}
