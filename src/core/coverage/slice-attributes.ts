import { SLICE_ATTRIBUTE_PREFIX } from './coverage-config.js';

/**
 * A span's `evalops.slice.*` attributes as they are kept beside the span document (the spans
 * table's `slice_attributes` column, written at ingest): a JSON object of those attributes, keys
 * sorted so the same set is the same text, or null when the span has none. Coverage groups traces by
 * this text instead of parsing every span document. Pure.
 * @example sliceAttributesText({ 'evalops.slice.lang': 'es', 'http.route': '/chat' }) // '{"evalops.slice.lang":"es"}'
 */
export function sliceAttributesText(attributes: Readonly<Record<string, unknown>>): string | null {
  let keys: string[] | null = null;
  for (const key in attributes) {
    if (key.startsWith(SLICE_ATTRIBUTE_PREFIX) && attributes[key] !== null && attributes[key] !== undefined) (keys ??= []).push(key);
  }
  if (keys === null) return null;
  keys.sort();
  const kept: Record<string, unknown> = {};
  for (const key of keys) kept[key] = attributes[key];
  return JSON.stringify(kept);
}

/**
 * An attribute value as coverage reads it, the same on every database: text as it is, `true` and
 * `false` for booleans, numbers as JavaScript prints them, lists and maps as compact JSON; null for
 * a null.
 * @example attributeValueText(true) // 'true'
 */
export function attributeValueText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  return JSON.stringify(value);
}
