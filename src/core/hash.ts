import { createHash } from 'node:crypto';
import { canonicalJson } from './json.js';

/** SHA-256 hex of a string. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Short, stable content hash of any JSON-like value (canonical form, first 16 hex chars). */
export function contentHash(value: unknown, length = 16): string {
  return sha256(canonicalJson(value)).slice(0, length);
}
