/**
 * Agglomerative clustering with average linkage (UPGMA) by the nearest-neighbour chain algorithm
 * (Murtagh 1983; Müllner 2011, "Modern hierarchical, agglomerative clustering algorithms"): O(n²)
 * time and one n×n distance matrix, updated in place by the Lance–Williams formula. Average linkage
 * is reducible, so the chain's merges sorted by distance form the same dendrogram as the naive
 * O(n³) method.
 */

/** One merge of the dendrogram: two original points, one from each side, and the distance. */
export interface Merge {
  readonly a: number;
  readonly b: number;
  readonly distance: number;
}

/**
 * The dendrogram of n points, merges by increasing distance (ties keep the order they were found).
 * @param distances the n×n symmetric matrix, row-major; it is overwritten
 */
export function averageLinkage(n: number, distances: Float64Array): Merge[] {
  const size = new Int32Array(n).fill(1);
  const active = new Uint8Array(n).fill(1);
  const merges: Merge[] = [];
  const chain: number[] = [];
  let remaining = n;
  while (remaining > 1) {
    if (chain.length === 0) chain.push(active.indexOf(1));
    const a = chain[chain.length - 1] as number;
    const prev = chain.length >= 2 ? (chain[chain.length - 2] as number) : -1;
    // The nearest active neighbour of a; on a tie the previous element of the chain wins (so the chain ends), then the lowest index.
    let b = prev;
    let best = prev >= 0 ? (distances[a * n + prev] as number) : Infinity;
    for (let c = 0; c < n; c++) {
      if (c === a || active[c] === 0) continue;
      const d = distances[a * n + c] as number;
      if (d < best) {
        best = d;
        b = c;
      }
    }
    if (b !== prev) {
      chain.push(b);
      continue;
    }
    chain.pop();
    chain.pop();
    const [keep, drop] = a < b ? [a, b] : [b, a];
    merges.push({ a: keep, b: drop, distance: best });
    const sk = size[keep] as number;
    const sd = size[drop] as number;
    for (let c = 0; c < n; c++) {
      if (active[c] === 0 || c === keep || c === drop) continue;
      const d = ((sk * (distances[keep * n + c] as number)) + sd * (distances[drop * n + c] as number)) / (sk + sd);
      distances[keep * n + c] = d;
      distances[c * n + keep] = d;
    }
    size[keep] = sk + sd;
    active[drop] = 0;
    remaining--;
  }
  return merges.map((m, i) => ({ m, i })).sort((x, y) => x.m.distance - y.m.distance || x.i - y.i).map((x) => x.m);
}

/**
 * Flat clusters from a dendrogram: merges are applied while their distance is at most `cutoff`, and
 * beyond it while more than `maxClusters` clusters remain. Returns a label per point, 0..k−1,
 * numbered by first appearance.
 */
export function cutDendrogram(n: number, merges: readonly Merge[], options: { readonly cutoff: number; readonly maxClusters: number }): Int32Array {
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => {
    let r = x;
    while (parent[r] !== r) r = parent[r] as number;
    while (parent[x] !== r) {
      const next = parent[x] as number;
      parent[x] = r;
      x = next;
    }
    return r;
  };
  let clusters = n;
  for (const m of merges) {
    if (m.distance > options.cutoff && clusters <= options.maxClusters) break;
    const ra = find(m.a);
    const rb = find(m.b);
    if (ra === rb) continue;
    parent[Math.max(ra, rb)] = Math.min(ra, rb);
    clusters--;
  }
  const labels = new Int32Array(n);
  const ids = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const r = find(i);
    let id = ids.get(r);
    if (id === undefined) {
      id = ids.size;
      ids.set(r, id);
    }
    labels[i] = id;
  }
  return labels;
}
