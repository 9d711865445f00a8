import { ExampleSourceSchema, type Example } from '../core/example.js';

/** SliceSchema's pattern: `key:value`, no spaces. */
const SLICE_PATTERN = /^[^:\s]+:[^\s]+$/;
const SOURCES: ReadonlySet<string> = new Set(ExampleSourceSchema.options);

/**
 * The Example that `ExampleSchema.parse(candidate)` gives, built without zod for the common row: a
 * non-empty string id, an input, slices that are all `key:value`, no metadata and no conversation,
 * and a known source or none. Null for anything else, which the schema then checks (and explains).
 * Same keys in the same order as the schema's output (id, input, expected, metadata, slices, source),
 * `expected` only when given, slices copied; plain-example.test.ts compares the two. A dataset of
 * 10,000 rows spent a sixth of its load in the schema.
 * @example plainExample({ id: 'a', input: 'hi', slices: ['lang:en'] }) // { id: 'a', input: 'hi', metadata: {}, slices: ['lang:en'], source: 'manual' }
 */
export function plainExample(candidate: { readonly id: unknown; readonly input: unknown; readonly slices: readonly string[]; readonly expected?: unknown; readonly metadata?: unknown; readonly source?: unknown; readonly conversation?: unknown }): Example | null {
  const { id, input, slices, expected, metadata, source, conversation } = candidate;
  if (typeof id !== 'string' || id.length === 0 || input === undefined || metadata !== undefined || conversation !== undefined) return null;
  if (source !== undefined && (typeof source !== 'string' || !SOURCES.has(source))) return null;
  for (const s of slices) if (!SLICE_PATTERN.test(s)) return null;
  const example: Record<string, unknown> = { id, input };
  if ('expected' in candidate) example.expected = expected;
  example.metadata = {};
  example.slices = [...slices];
  example.source = source ?? 'manual';
  return example as Example;
}
