import { seededRandom } from '../stats/seeded-random.js';
import { averageLinkage, cutDendrogram } from './average-linkage.js';
import { dotDense, tfidfVectors, type SparseVector } from './tfidf-vectors.js';

/**
 * Groups texts into failure modes, offline and deterministically: TF-IDF vectors (tfidf-vectors.ts),
 * average-linkage agglomerative clustering with a cosine-distance cut-off on a seeded sample (at most
 * `sampleSize` items, so the O(n²) step stays bounded), then every item assigned to the nearest
 * sample-cluster centroid and two Lloyd refinements. The same texts, options and seed give the same
 * clusters on every machine.
 */

export interface ClusterOptions {
  /** Average cosine distance up to which clusters merge (0..1; default 0.85). */
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
  /** Cluster of each text, 0..k−1 by decreasing size; −1 for a text that shares no term with any cluster. */
  readonly labels: Int32Array;
  /** Cosine similarity of each text to its cluster's centroid (0 for −1). */
  readonly similarity: Float64Array;
  /** Per cluster, its distinguishing terms, best first (bigrams as `a_b`). */
  readonly terms: readonly (readonly string[])[];
  readonly sizes: readonly number[];
}

const REFINEMENTS = 2;
const NAME_TERMS = 3;

export function clusterTexts(texts: readonly string[], options: ClusterOptions = {}): TextClusters {
  const cutoff = options.cutoff ?? 0.85;
  const maxClusters = Math.max(1, options.maxClusters ?? 20);
  const n = texts.length;
  if (n === 0) return { labels: new Int32Array(0), similarity: new Float64Array(0), terms: [], sizes: [] };
  const { terms, vectors } = tfidfVectors(texts);
  const dims = terms.length;

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
  const mean = new Float64Array(dims);
  for (const v of vectors) scatterAdd(v, mean, 1 / n);
  return {
    labels: final.labels,
    similarity: final.similarity,
    terms: finalMembers.map((g) => distinguishingTerms(g, vectors, mean, terms)),
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
