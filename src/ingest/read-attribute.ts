import type { JsonValue } from '../core/json.js';

/** Readers of attribute values that tolerate what instrumentations actually send. */

type Attributes = Readonly<Record<string, JsonValue>>;

/** The first of `keys` holding a non-empty string (numbers and booleans are given as text). */
export function readString(attributes: Attributes, ...keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = attributes[key];
    if (typeof value === 'string') {
      if (value !== '') return value;
    } else if (typeof value === 'number' || typeof value === 'boolean') {
      return String(value);
    }
  }
  return undefined;
}

/** The first of `keys` holding a finite number ≥ 0 (numeric strings count, as some SDKs send them). */
export function readCount(attributes: Attributes, ...keys: readonly string[]): number | undefined {
  for (const key of keys) {
    const value = attributes[key];
    const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    if (Number.isFinite(n) && n >= 0) return n;
  }
  return undefined;
}

/**
 * JSON text that holds an object or a list → the parsed value; anything else as it is. Tool arguments,
 * results and message lists arrive as JSON text in attributes.
 * @example parseJsonText('{"city":"Paris"}') // { city: 'Paris' }
 * @example parseJsonText('rainy') // 'rainy'
 */
export function parseJsonText(value: JsonValue | undefined): JsonValue | undefined {
  if (typeof value !== 'string') return value;
  const first = firstNonSpace(value);
  if (first !== '{' && first !== '[') return value;
  try {
    return JSON.parse(value) as JsonValue;
  } catch {
    return value;
  }
}

function firstNonSpace(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== ' ' && c !== '\n' && c !== '\r' && c !== '\t') return c;
  }
  return '';
}

/** Whether some key starts with `prefix` (a cheap test before collecting flattened lists). */
export function hasKeyWithPrefix(attributes: Attributes, prefix: string): boolean {
  for (const key in attributes) if (key.startsWith(prefix)) return true;
  return false;
}
