import { createHash } from 'node:crypto';
import type { Example } from '../core/example.js';
import { contentHash } from '../core/hash.js';
import { canonicalJson } from '../core/json.js';

/**
 * The identity of a dataset version: SHA-256 (first 16 hex chars) over the examples sorted by id, each
 * in canonical JSON. File order, key order and file format do not change it; any content change does.
 * Ids are unique within a version, so the order is total. Code-unit order, never the locale's.
 * @example datasetVersionHash([b, a]) === datasetVersionHash([a, b]) // true
 */
export function datasetVersionHash(examples: readonly Example[]): string {
  const sorted = [...examples].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const hash = createHash('sha256');
  for (const example of sorted) hash.update(canonicalJson(example)).update('\n');
  return hash.digest('hex').slice(0, 16);
}

/**
 * Content hash of one example (id included), for change detection between versions.
 * @example exampleHash({ ...e, expected: 'other' }) !== exampleHash(e) // true
 */
export function exampleHash(example: Example): string {
  return contentHash(example);
}
