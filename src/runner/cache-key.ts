import { canonicalJson } from '../core/json.js';
import { sha256 } from '../core/hash.js';

/** Response-cache key: the target variant, the input and the trial (so repeats stay independent). */
export function cacheKey(targetVariant: string, input: unknown, trial: number): string {
  return sha256(`${targetVariant}\u0000${trial}\u0000${canonicalJson(input)}`);
}
