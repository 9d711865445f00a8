import type { Example } from '../core/example.js';
import { jsonEqual } from '../core/json.js';

export type ExampleField = 'input' | 'expected' | 'metadata' | 'slices' | 'source' | 'conversation';

export interface ChangedExample {
  readonly id: string;
  /** The fields that differ, in the order input, expected, metadata, slices, source, conversation. */
  readonly fields: readonly ExampleField[];
  readonly before: Example;
  readonly after: Example;
}

export interface DatasetDiff {
  /** In `after` only, in `after`'s order. */
  readonly added: readonly Example[];
  /** In `before` only, in `before`'s order. */
  readonly removed: readonly Example[];
  /** Same id, different content, in `after`'s order. */
  readonly changed: readonly ChangedExample[];
  readonly unchangedCount: number;
}

const FIELDS: readonly ExampleField[] = ['input', 'expected', 'metadata', 'slices', 'source', 'conversation'];

/**
 * Differences between two dataset versions, pairing examples by id (ids are unique in a version).
 * Values are compared as JSON, so key order never counts as a change.
 * @example diffDatasets(v1, v2).changed // [{ id: 'a', fields: ['expected'], before, after }]
 */
export function diffDatasets(before: readonly Example[], after: readonly Example[]): DatasetDiff {
  const beforeById = new Map(before.map((e) => [e.id, e]));
  const afterIds = new Set(after.map((e) => e.id));
  const added: Example[] = [];
  const changed: ChangedExample[] = [];
  let unchangedCount = 0;
  for (const next of after) {
    const prev = beforeById.get(next.id);
    if (prev === undefined) {
      added.push(next);
      continue;
    }
    const fields = FIELDS.filter((f) => !jsonEqual(prev[f], next[f]));
    if (fields.length === 0) unchangedCount++;
    else changed.push({ id: next.id, fields, before: prev, after: next });
  }
  const removed = before.filter((e) => !afterIds.has(e.id));
  return { added, removed, changed, unchangedCount };
}
