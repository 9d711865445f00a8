import type { z } from 'zod';
import { contentHash } from '../core/hash.js';
import { ExampleSchema, ExampleSourceSchema, type Example } from '../core/example.js';
import { normaliseConversation } from './normalise-conversation.js';
import { normaliseSlices } from './normalise-slices.js';
import { plainExample } from './plain-example.js';
import type { RowError } from './raw-row.js';

/** The top-level fields an example row may have; anything else is refused so typos surface. */
export const EXAMPLE_FIELDS = ['id', 'input', 'expected', 'metadata', 'slices', 'source', 'turns', 'scenario', 'conversation'] as const;

export type NormalisedExample =
  | { readonly ok: true; readonly example: Example }
  | { readonly ok: false; readonly errors: readonly RowError[] };

/**
 * One raw row (from any format) → an Example, or every problem with it, each naming `line` and field.
 * A numeric id becomes a string; a missing id is derived as `ex_` + the content hash of the input,
 * so it stays the same across imports. Slices may be a list, a separated string or an object.
 * A row with `turns` or `scenario` is a conversation (normaliseConversation): `input` is then derived,
 * and a missing id comes from the hash of the whole conversation.
 * @example normaliseExample({ input: 'hi', slices: { intent: 'greet' } }, 1)
 * // { ok: true, example: { id: 'ex_…', input: 'hi', metadata: {}, slices: ['intent:greet'], source: 'manual' } }
 */
export function normaliseExample(raw: unknown, line: number): NormalisedExample {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, errors: [{ line, message: `a row must be an object with an "input" field, got ${kind(raw)}` }] };
  }
  const row = raw as Record<string, unknown>;
  const errors: RowError[] = [];
  for (const key of Object.keys(row)) {
    if (!(EXAMPLE_FIELDS as readonly string[]).includes(key)) {
      errors.push({ line, field: key, message: `unknown field "${key}"; allowed fields: ${EXAMPLE_FIELDS.join(', ')}` });
    }
  }
  const isConversation = row.turns !== undefined || row.scenario !== undefined || row.conversation !== undefined;
  const conversation = isConversation ? normaliseConversation(row, line) : undefined;
  if (conversation !== undefined && !conversation.ok) errors.push(...conversation.errors);
  const spec = conversation?.ok === true ? conversation.conversation : undefined;
  const input = isConversation ? (conversation?.ok === true ? conversation.input : '') : row.input;
  const id = normaliseId(row.id, spec ?? input, line, errors);
  const { slices, errors: sliceErrors } = normaliseSlices(row.slices, line);
  errors.push(...sliceErrors);

  const candidate: Record<string, unknown> = { id, input, slices };
  if (spec !== undefined) candidate.conversation = spec;
  if (row.expected !== undefined) candidate.expected = row.expected;
  if (row.metadata !== undefined) candidate.metadata = row.metadata;
  if (row.source !== undefined) candidate.source = row.source;
  if (errors.length === 0) {
    // The common row without zod (the same Example); anything unusual goes through the schema.
    const plain = plainExample(candidate as { id: unknown; input: unknown; slices: string[] });
    if (plain !== null) return { ok: true, example: plain };
  }
  const parsed = ExampleSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors.push(issueToRowError(issue, candidate, line));
  }
  if (errors.length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, example: parsed.data };
}

function normaliseId(id: unknown, input: unknown, line: number, errors: RowError[]): string {
  if (id === undefined || id === null) return `ex_${contentHash(input ?? null)}`;
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  if (typeof id === 'string') {
    if (id.trim() === '') errors.push({ line, field: 'id', message: 'id must not be empty' });
    return id;
  }
  errors.push({ line, field: 'id', message: `id must be a string or a number, got ${kind(id)}` });
  return 'invalid';
}

function issueToRowError(issue: z.core.$ZodIssue, candidate: Record<string, unknown>, line: number): RowError {
  const field = issue.path.map(String).join('.');
  const [root] = issue.path;
  if (root === 'source') {
    return { line, field, message: `source must be one of ${ExampleSourceSchema.options.join(', ')}, got ${JSON.stringify(candidate.source)}` };
  }
  if (root === 'metadata' && issue.path.length === 1) {
    return { line, field, message: `metadata must be an object of key → value, got ${kind(candidate.metadata)}` };
  }
  if (root === 'slices' && typeof issue.path[1] === 'number') {
    const slice = (candidate.slices as string[])[issue.path[1]];
    return { line, field: 'slices', message: `${issue.message}, got ${JSON.stringify(slice)}` };
  }
  const named = field === '' || issue.message.includes(field);
  return { line, field, message: named ? issue.message : `${field}: ${issue.message}` };
}

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${typeof v === 'string' ? JSON.stringify(v) : String(v)}`;
}
