import { triageTokens } from './triage-tokens.js';

/**
 * TF-IDF vectors of texts, sparse and L2-normalised, for cosine similarity by dot product.
 * tf = 1 + ln(count) (sublinear), idf = ln((1 + n) / (1 + df)) + 1 (smoothed, as scikit-learn's
 * TfidfVectorizer). Terms in fewer than `minDf` texts are dropped: they cannot relate two items.
 */

/** A sparse vector: term indices ascending, their weights. */
export interface SparseVector {
  readonly indices: Int32Array;
  readonly values: Float64Array;
}

export interface TfidfModel {
  /** The vocabulary, by index. */
  readonly terms: readonly string[];
  readonly vectors: readonly SparseVector[];
}

export function tfidfVectors(texts: readonly string[], options: { readonly minDf?: number } = {}): TfidfModel {
  const minDf = options.minDf ?? (texts.length >= 10 ? 2 : 1);
  const counts = texts.map((t) => {
    const m = new Map<string, number>();
    for (const token of triageTokens(t)) m.set(token, (m.get(token) ?? 0) + 1);
    return m;
  });
  const df = new Map<string, number>();
  for (const m of counts) for (const term of m.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  // Sorted vocabulary: indices do not depend on the order terms were first met.
  const terms = [...df.entries()].filter(([, d]) => d >= minDf).map(([t]) => t).sort();
  const index = new Map(terms.map((t, i) => [t, i]));
  const n = texts.length;
  const idf = terms.map((t) => Math.log((1 + n) / (1 + (df.get(t) ?? 0))) + 1);
  const vectors = counts.map((m) => {
    const entries: [number, number][] = [];
    for (const [term, c] of m) {
      const i = index.get(term);
      if (i !== undefined) entries.push([i, (1 + Math.log(c)) * (idf[i] as number)]);
    }
    entries.sort((a, b) => a[0] - b[0]);
    let norm = 0;
    for (const [, w] of entries) norm += w * w;
    norm = Math.sqrt(norm) || 1;
    return { indices: Int32Array.from(entries, (e) => e[0]), values: Float64Array.from(entries, (e) => e[1] / norm) };
  });
  return { terms, vectors };
}

/** Dot product of a sparse vector with a dense one. */
export function dotDense(v: SparseVector, dense: Float64Array): number {
  let s = 0;
  for (let k = 0; k < v.indices.length; k++) s += (v.values[k] as number) * (dense[v.indices[k] as number] as number);
  return s;
}
