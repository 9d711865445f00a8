import { seededRandom } from '../stats/seeded-random.js';
import { averageLinkage, cutDendrogram } from './average-linkage.js';
import { dotDense, tfidfVectors, type SparseVector, type TfidfModel } from './tfidf-vectors.js';

/**
 * Groups texts into failure modes, deterministically: TF-IDF vectors (tfidf-vectors.ts) offline, or an
 * embedding model's vectors (clusterEmbeddings),
 * average-linkage agglomerative clustering with a cosine-distance cut-off on a seeded sample (at most
 * `sampleSize` items, so the O(n²) step stays bounded), then every item assigned to the nearest
 * sample-cluster centroid and two Lloyd refinements. The same texts, options and seed give the same
 * clusters on every machine.
 */

export interface ClusterOptions {
  /** Average cosine distance up to which clusters merge (0..1; default 0.85 for TF-IDF, 0.5 for embeddings). */
  readonly cutoff?: number;
  /** At most this many clusters (default 20): merging continues past the cut-off until it holds. */
  readonly maxClusters?: number;
  /** Items clustered hierarchically before assignment (default 1,000). */
  readonly sampleSize?: number;
  /** Smaller sample clusters do not become clusters; their items are assigned like the rest (default 2). */
  readonly minClusterSize?: number;
  readonly seed?: number;
}

export interface TextClusters {
  /** Cluster of each text, 0..k−1 by decreasing size; −1 for a text that shares no term with any cluster (embeddings: has no positive cosine to any). */
  readonly labels: Int32Array;
  /** Cosine similarity of each text to its cluster's centroid (0 for −1). */
  readonly similarity: Float64Array;
  /** Per cluster, its distinguishing terms, best first (bigrams as `a_b`). */
  readonly terms: readonly (readonly string[])[];
  readonly sizes: readonly number[];
}

const REFINEMENTS = 2;
const NAME_TERMS = 3;

/** Groups texts by their TF-IDF vectors (the offline method). */

export function clusterTexts(texts: readonly string[], options: ClusterOptions = {}): TextClusters {
  if (texts.length === 0) return EMPTY;
  const model = tfidfVectors(texts);
  return clusterVectors(model.vectors, model.terms.length, model, options.cutoff ?? DEFAULT_CUTOFF, options);
}

/**
 * The same method on embeddings (one vector per text, from an embedding model): the agglomerative step,
 * the assignment and the refinements measure cosine distance between the embeddings, and each
 * cluster's distinguishing terms still come from the TF-IDF of its texts (an embedding has no words to
 * name it by). Deterministic for the same texts, vectors, options and seed.
 * @throws RangeError when the vectors do not match the texts one to one, differ in length, or hold a
 *   number that is not finite.
 * @example clusterEmbeddings(['refund …', 'track …'], [[0.1, 0.9], [0.8, 0.2]], { cutoff: 0.5 })
 */
export function clusterEmbeddings(texts: readonly string[], embeddings: readonly (readonly number[])[], options: ClusterOptions = {}): TextClusters {
  if (embeddings.length !== texts.length) throw new RangeError(`${embeddings.length} embedding(s) for ${texts.length} text(s)`);
  if (texts.length === 0) return EMPTY;
  const dims = embeddings[0]?.length ?? 0;
  if (dims === 0) throw new RangeError('the embeddings are empty vectors');
  const indices = Int32Array.from({ length: dims }, (_, i) => i);
  const vectors: SparseVector[] = embeddings.map((e, i) => {
    if (e.length !== dims) throw new RangeError(`embedding ${i} has ${e.length} dimensions, the first has ${dims}`);
    let norm = 0;
    for (const x of e) {
      if (!Number.isFinite(x)) throw new RangeError(`embedding ${i} holds ${String(x)}`);
      norm += x * x;
    }
    norm = Math.sqrt(norm) || 1;
    return { indices, values: Float64Array.from(e, (x) => x / norm) };
  });
  return clusterVectors(vectors, dims, tfidfVectors(texts), options.cutoff ?? DEFAULT_EMBEDDING_CUTOFF, options);
}

/** Average cosine distance up to which clusters merge: TF-IDF vectors of unrelated failures share few terms (distance near 1); embeddings of unrelated texts sit closer. */
export const DEFAULT_CUTOFF = 0.85;
export const DEFAULT_EMBEDDING_CUTOFF = 0.5;

const EMPTY: TextClusters = { labels: new Int32Array(0), similarity: new Float64Array(0), terms: [], sizes: [] };

/** Clusters unit vectors of `dims` dimensions; `words` (the TF-IDF of the same texts) names them. */
function clusterVectors(vectors: readonly SparseVector[], dims: number, words: TfidfModel, cutoff: number, options: ClusterOptions): TextClusters {
  const maxClusters = Math.max(1, options.maxClusters ?? 20);
  const n = vectors.length;
  const sample = seededSample(n, options.sampleSize ?? 1000, options.seed ?? 0);
  const m = sample.length;
  const distances = new Float64Array(m * m);
  const dense = new Float64Array(dims);
  for (let i = 0; i < m; i++) {
    const vi = vectors[sample[i] as number] as SparseVector;
    scatter(vi, dense, 1);
    for (let j = i + 1; j < m; j++) {
      const d = Math.max(0, 1 - dotDense(vectors[sample[j] as number] as SparseVector, dense));
      distances[i * m + j] = d;
      distances[j * m + i] = d;
    }
    scatter(vi, dense, 0);
  }
  const sampleLabels = cutDendrogram(m, averageLinkage(m, distances), { cutoff, maxClusters });

  const groups = new Map<number, number[]>();
  sampleLabels.forEach((l, i) => groups.set(l, [...(groups.get(l) ?? []), sample[i] as number]));
  const minSize = options.minClusterSize ?? 2;
  let seeds = [...groups.values()].filter((g) => g.length >= minSize);
  if (seeds.length === 0) seeds = [...groups.values()];

  let centroids = seeds.map((g) => centroid(g, vectors, dims));
  let labels = assign(vectors, centroids).labels;
  for (let r = 0; r < REFINEMENTS; r++) {
    const members = membersOf(labels, centroids.length).filter((g) => g.length > 0);
    centroids = members.map((g) => centroid(g, vectors, dims));
    labels = assign(vectors, centroids).labels;
  }

  // Renumber by decreasing size (ties: the cluster whose first item comes first).
  const members = membersOf(labels, centroids.length);
  const order = members.map((g, k) => ({ g, k })).filter((x) => x.g.length > 0).sort((x, y) => y.g.length - x.g.length || (x.g[0] as number) - (y.g[0] as number));
  const finalCentroids = order.map((x) => centroids[x.k] as Float64Array);
  const final = assign(vectors, finalCentroids);
  const finalMembers = membersOf(final.labels, finalCentroids.length);
  const mean = new Float64Array(words.terms.length);
  for (const v of words.vectors) scatterAdd(v, mean, 1 / n);
  return {
    labels: final.labels,
    similarity: final.similarity,
    terms: finalMembers.map((g) => distinguishingTerms(g, words.vectors, mean, words.terms)),
    sizes: finalMembers.map((g) => g.length),
  };
}

/** `size` indices of 0..n−1 drawn without replacement by a seeded partial Fisher–Yates, ascending. */
function seededSample(n: number, size: number, seed: number): Int32Array {
  const all = Int32Array.from({ length: n }, (_, i) => i);
  if (n <= size) return all;
  const random = seededRandom(seed);
  for (let i = 0; i < size; i++) {
    const j = i + random.nextInt(n - i);
    const t = all[i] as number;
    all[i] = all[j] as number;
    all[j] = t;
  }
  return all.slice(0, size).sort();
}

function scatter(v: SparseVector, dense: Float64Array, on: 0 | 1): void {
  for (let k = 0; k < v.indices.length; k++) dense[v.indices[k] as number] = on ? (v.values[k] as number) : 0;
}

function scatterAdd(v: SparseVector, dense: Float64Array, factor: number): void {
  for (let k = 0; k < v.indices.length; k++) (dense[v.indices[k] as number] as number) += (v.values[k] as number) * factor;
}

function centroid(members: readonly number[], vectors: readonly SparseVector[], dims: number): Float64Array {
  const c = new Float64Array(dims);
  for (const i of members) scatterAdd(vectors[i] as SparseVector, c, 1);
  let norm = 0;
  for (let t = 0; t < dims; t++) norm += (c[t] as number) ** 2;
  norm = Math.sqrt(norm) || 1;
  for (let t = 0; t < dims; t++) (c[t] as number) /= norm;
  return c;
}

function assign(vectors: readonly SparseVector[], centroids: readonly Float64Array[]): { labels: Int32Array; similarity: Float64Array } {
  const labels = new Int32Array(vectors.length).fill(-1);
  const similarity = new Float64Array(vectors.length);
  vectors.forEach((v, i) => {
    let best = 0;
    centroids.forEach((c, k) => {
      const s = dotDense(v, c);
      if (s > best + 1e-12) {
        best = s;
        labels[i] = k;
      }
    });
    similarity[i] = best;
  });
  return { labels, similarity };
}

function membersOf(labels: Int32Array, k: number): number[][] {
  const out: number[][] = Array.from({ length: k }, () => []);
  labels.forEach((l, i) => {
    if (l >= 0) (out[l] as number[]).push(i);
  });
  return out;
}

/** Terms whose mean weight in the cluster most exceeds their mean weight overall (for a cluster of every item: the heaviest); a term sharing a word with a better one is skipped. */
function distinguishingTerms(members: readonly number[], vectors: readonly SparseVector[], mean: Float64Array, terms: readonly string[]): string[] {
  const inCluster = new Map<number, number>();
  for (const i of members) {
    const v = vectors[i] as SparseVector;
    for (let k = 0; k < v.indices.length; k++) inCluster.set(v.indices[k] as number, (inCluster.get(v.indices[k] as number) ?? 0) + (v.values[k] as number) / members.length);
  }
  // A cluster of (nearly) everything has no term above the mean: then its heaviest terms name it.
  const whole = members.length === vectors.length;
  const ranked = [...inCluster.entries()]
    .map(([t, w]) => ({ t, score: whole ? w : w - (mean[t] as number) }))
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score || a.t - b.t);
  const chosen: string[] = [];
  const words = new Set<string>();
  for (const { t } of ranked) {
    const term = terms[t] as string;
    const parts = term.split('_');
    if (parts.some((w) => words.has(w))) continue;
    chosen.push(term);
    for (const w of parts) words.add(w);
    if (chosen.length === NAME_TERMS) break;
  }
  return chosen;
}
