import { wordTokens } from './text-similarity.js';

/**
 * Near-duplicate detection for generated examples, pure: normalised token Jaccard — the share of
 * distinct lowercased word tokens (letters and digits, as the lexical scorers tokenise) two texts have
 * in common, |A ∩ B| / |A ∪ B|. Order, case, punctuation and repeated words do not count, so
 * "Can I get a refund?" and "can i get a REFUND" are identical (1), while a question about a refund
 * and one about shipping share little. Two texts are near-duplicates when their Jaccard is at least
 * the threshold (0.8 by default: at most one distinct word in five differs).
 */

/** The text of an input for comparison: a string itself, else every string and number in it, in key order. */
export function inputText(input: unknown): string {
  if (typeof input === 'string') return input;
  if (typeof input === 'number' || typeof input === 'boolean') return String(input);
  if (Array.isArray(input)) return input.map(inputText).join(' ');
  if (input !== null && typeof input === 'object') {
    return Object.keys(input)
      .sort()
      .map((k) => inputText((input as Record<string, unknown>)[k]))
      .join(' ');
  }
  return '';
}

/** The distinct tokens of a text. */
export function tokenSet(text: string): ReadonlySet<string> {
  return new Set(wordTokens(text));
}

/**
 * |A ∩ B| / |A ∪ B|; two empty sets are identical (1).
 * @example tokenJaccard(tokenSet('a b c d'), tokenSet('a b c e')) // 0.6
 */
export function tokenJaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let common = 0;
  for (const t of small) if (large.has(t)) common++;
  return common / (a.size + b.size - common);
}

export interface DuplicateFinding<T> {
  readonly item: T;
  /** `dataset`: too close to an example already there; `batch`: to a candidate kept before it. */
  readonly of: 'dataset' | 'batch';
  /** The id of the dataset example, or the index (in `candidates`) of the kept candidate. */
  readonly similarTo: string | number;
  readonly similarity: number;
}

/**
 * Keeps the candidates that are not near-duplicates of an existing text or of a candidate kept
 * before them (first come, first kept), and says why each other one was dropped.
 * @example removeNearDuplicates(['refund please', 'Refund, please!'], [], (s) => s, 0.8).kept // ['refund please']
 */
export function removeNearDuplicates<T>(
  candidates: readonly T[],
  existing: readonly { readonly id: string; readonly text: string }[],
  textOf: (item: T) => string,
  threshold: number,
): { kept: T[]; dropped: DuplicateFinding<T>[] } {
  const known = existing.map((e) => ({ id: e.id, tokens: tokenSet(e.text) }));
  const kept: { item: T; index: number; tokens: ReadonlySet<string> }[] = [];
  const dropped: DuplicateFinding<T>[] = [];
  candidates.forEach((item, index) => {
    const tokens = tokenSet(textOf(item));
    let best: { of: 'dataset' | 'batch'; similarTo: string | number; similarity: number } | undefined;
    for (const k of known) {
      const s = tokenJaccard(tokens, k.tokens);
      if (s >= threshold && (best === undefined || s > best.similarity)) best = { of: 'dataset', similarTo: k.id, similarity: s };
    }
    if (best === undefined) {
      for (const k of kept) {
        const s = tokenJaccard(tokens, k.tokens);
        if (s >= threshold && (best === undefined || s > best.similarity)) best = { of: 'batch', similarTo: k.index, similarity: s };
      }
    }
    if (best === undefined) kept.push({ item, index, tokens });
    else dropped.push({ item, ...best });
  });
  return { kept: kept.map((k) => k.item), dropped };
}
