import { distance } from 'fastest-levenshtein';

/**
 * Lexical text similarity, 0..1, with no model: token-frequency cosine and normalised Levenshtein.
 * Used by the `levenshtein` scorer and by `similarity` when no embedding model is configured.
 */

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;

/** Lowercased word tokens (letters and digits, inner apostrophes kept). */
export function wordTokens(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/**
 * Cosine similarity of the two texts' word-frequency vectors (lowercased word tokens), 0..1.
 * Two texts without any word are identical (1); one empty and one not share nothing (0).
 * @example lexicalCosine('The cat sat', 'the CAT sat') // 1
 */
export function lexicalCosine(a: string, b: string): number {
  const fa = frequencies(wordTokens(a));
  const fb = frequencies(wordTokens(b));
  if (fa.size === 0 && fb.size === 0) return 1;
  if (fa.size === 0 || fb.size === 0) return 0;
  let dot = 0;
  for (const [token, count] of fa) dot += count * (fb.get(token) ?? 0);
  const cos = dot / (norm(fa) * norm(fb));
  return Math.min(1, Math.max(0, cos));
}

/**
 * `1 - editDistance / maxLength` over UTF-16 code units, 0..1 (1 when identical, both empty included).
 * Case and whitespace count.
 * @example normalisedLevenshtein('kitten', 'sitting') // 1 - 3/7
 */
export function normalisedLevenshtein(a: string, b: string): number {
  const max = Math.max(a.length, b.length);
  if (max === 0) return 1;
  return 1 - distance(a, b) / max;
}

function frequencies(tokens: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of tokens) out.set(t, (out.get(t) ?? 0) + 1);
  return out;
}

function norm(f: ReadonlyMap<string, number>): number {
  let sum = 0;
  for (const c of f.values()) sum += c * c;
  return Math.sqrt(sum);
}
