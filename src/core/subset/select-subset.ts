import { EvalOpsError } from '../errors.js';

/**
 * Stratified, deterministic subset selection. Pure and linear (radix and counting sorts over typed
 * arrays, slices interned to integers once), so a million examples take well under a second.
 *
 * The method, in order:
 * 1. every example marked critical is in;
 * 2. every slice (`intent:refund`, `lang:es`, …) keeps at least `min(minPerSlice, its size)`
 *    examples — the smallest slices are served first, each from its own examples in key order;
 * 3. the rest of the size is filled proportionally over strata (an example's stratum is its whole
 *    set of slices): the examples of a stratum of size S are ranked by key, rank r gets the priority
 *    (r + ½)/S, and the smallest priorities are taken — Webster's divisor method, so each stratum ends
 *    within about one example of its proportional share (more only where steps 1–2 put more in).
 *
 * An example's key is a 32-bit hash of the seed and its id: the same ids and seed give the same subset
 * whatever the order of the examples, and a new dataset version keeps the examples it shares with the
 * old one in (mostly) the same subset. select-subset-reference.ts is the same method written plainly;
 * the two select exactly the same examples.
 */

export interface SubsetCandidate {
  readonly id: string;
  readonly slices: readonly string[];
  readonly critical?: boolean;
}

export interface SubsetSelection {
  /** Indices into the input, in input order. */
  readonly indices: Uint32Array;
  readonly critical: number;
  /** Distinct slices of the input (every one of which the subset keeps). */
  readonly slices: number;
  /** How many of the subset are there only because of a slice's minimum. */
  readonly forcedBySlice: number;
}

export interface SubsetOptions<T> {
  readonly size: number;
  readonly seed: number;
  readonly minPerSlice: number;
  /** Whether an example is critical (default: its `critical` field), so callers need not copy their examples. */
  readonly isCritical?: (example: T) => boolean;
}

/**
 * @example selectSubset(examples, { size: 300, seed: 0, minPerSlice: 3 }).indices.length // ≥ 300
 */
export function selectSubset<T extends SubsetCandidate>(examples: readonly T[], options: SubsetOptions<T>): SubsetSelection {
  const n = examples.length;
  const { size, seed, minPerSlice } = options;
  if (!Number.isInteger(size) || size < 1) throw new EvalOpsError('input', `a subset size is a whole number ≥ 1, not ${size}`);
  if (size > n) throw new EvalOpsError('input', `a subset of ${size} examples is larger than the dataset's ${n}`);
  const order = keyOrder(examples, seed);
  const { sliceNames, exampleStart, exampleSlices, stratumOf, strata } = internSlices(examples);

  const selected = new Uint8Array(n);
  let count = 0;
  let critical = 0;
  const isCritical = options.isCritical;
  for (let i = 0; i < n; i++) {
    const e = examples[i] as T;
    if (isCritical ? isCritical(e) : e.critical) {
      selected[i] = 1;
      count++;
      critical++;
    }
  }

  // Members of each slice (one entry per occurrence) and of each stratum, in key order: counting sorts.
  const sliceCount = sliceNames.length;
  const sliceStart = new Uint32Array(sliceCount + 1);
  for (let k = 0; k < exampleSlices.length; k++) bump(sliceStart, (exampleSlices[k] as number) + 1);
  for (let s = 0; s < sliceCount; s++) sliceStart[s + 1] = (sliceStart[s + 1] as number) + (sliceStart[s] as number);
  const sliceMembers = new Uint32Array(exampleSlices.length);
  const stratumStart = new Uint32Array(strata + 1);
  for (let i = 0; i < n; i++) bump(stratumStart, (stratumOf[i] as number) + 1);
  for (let s = 0; s < strata; s++) stratumStart[s + 1] = (stratumStart[s + 1] as number) + (stratumStart[s] as number);
  const stratumMembers = new Uint32Array(n);
  const sliceFill = sliceStart.slice(0, sliceCount);
  const stratumFill = stratumStart.slice(0, strata);
  for (let j = 0; j < n; j++) {
    const i = order[j] as number;
    for (let k = exampleStart[i] as number, end = exampleStart[i + 1] as number; k < end; k++) {
      const s = exampleSlices[k] as number;
      sliceMembers[bump(sliceFill, s)] = i;
    }
    const t = stratumOf[i] as number;
    stratumMembers[bump(stratumFill, t)] = i;
  }

  let forcedBySlice = 0;
  const sliceOrder = Array.from({ length: sliceCount }, (_, s) => s).sort((a, b) => {
    const x = (sliceStart[a + 1] as number) - (sliceStart[a] as number);
    const y = (sliceStart[b + 1] as number) - (sliceStart[b] as number);
    const p = sliceNames[a] as string;
    const q = sliceNames[b] as string;
    return x - y || (p < q ? -1 : p > q ? 1 : 0);
  });
  for (const s of sliceOrder) {
    const from = sliceStart[s] as number;
    const to = sliceStart[s + 1] as number;
    const need = Math.min(minPerSlice, to - from);
    let have = 0;
    for (let k = from; k < to; k++) have += selected[sliceMembers[k] as number] as number;
    for (let k = from; have < need && k < to; k++) {
      const i = sliceMembers[k] as number;
      if (selected[i]) continue;
      selected[i] = 1;
      have++;
      count++;
      forcedBySlice++;
    }
  }

  if (count < size) count += fillProportionally(stratumStart, stratumMembers, selected, size - count);

  const indices = new Uint32Array(count);
  let k = 0;
  for (let i = 0; i < n; i++) if (selected[i]) indices[k++] = i;
  return { indices, critical, slices: sliceCount, forcedBySlice };
}

interface TrieNode {
  next: Map<number, TrieNode> | null;
  stratum: number;
  readonly slices: readonly number[];
}

/**
 * Slices interned to integers (`exampleSlices[exampleStart[i] … exampleStart[i + 1])` are example i's,
 * duplicates kept), and each example's stratum — its set of slices — as an integer found through a
 * trie over its sorted slice numbers, so no string is built per example. Strata are numbered in the
 * order of their names (sorted slice names joined by NUL), and two sets with the same name are one
 * stratum, as when strata are keyed by that name.
 */
function internSlices(examples: readonly SubsetCandidate[]): {
  sliceNames: string[];
  exampleStart: Uint32Array;
  exampleSlices: Uint32Array;
  stratumOf: Uint32Array;
  strata: number;
} {
  const n = examples.length;
  const ids = new Map<string, number>();
  const sliceNames: string[] = [];
  const exampleStart = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) exampleStart[i + 1] = (exampleStart[i] as number) + (examples[i] as SubsetCandidate).slices.length;
  const exampleSlices = new Uint32Array(exampleStart[n] as number);
  const stratumOf = new Uint32Array(n);
  const root: TrieNode = { next: null, stratum: -1, slices: [] };
  const nodes: TrieNode[] = [];
  let sorted = new Uint32Array(16);
  for (let i = 0; i < n; i++) {
    const slices = (examples[i] as SubsetCandidate).slices;
    const m = slices.length;
    if (m > sorted.length) sorted = new Uint32Array(m * 2);
    const base = exampleStart[i] as number;
    for (let k = 0; k < m; k++) {
      const name = slices[k] as string;
      let id = ids.get(name);
      if (id === undefined) {
        id = sliceNames.length;
        ids.set(name, id);
        sliceNames.push(name);
      }
      exampleSlices[base + k] = id;
      // Insertion sort: an example has a few slices.
      let p = k;
      while (p > 0 && (sorted[p - 1] as number) > id) {
        sorted[p] = sorted[p - 1] as number;
        p--;
      }
      sorted[p] = id;
    }
    let node = root;
    for (let k = 0; k < m; k++) {
      const id = sorted[k] as number;
      node.next ??= new Map();
      let child = node.next.get(id);
      if (child === undefined) {
        child = { next: null, stratum: -1, slices: [...node.slices, id] };
        node.next.set(id, child);
      }
      node = child;
    }
    if (node.stratum < 0) {
      node.stratum = nodes.length;
      nodes.push(node);
    }
    stratumOf[i] = node.stratum;
  }
  // Name the strata, merge equal names, number them in name order.
  const byName = new Map<string, number>();
  const names: string[] = [];
  const merged = nodes.map((node) => {
    const name = node.slices.map((id) => sliceNames[id] as string).sort().join('\u0000');
    let at = byName.get(name);
    if (at === undefined) {
      at = names.length;
      byName.set(name, at);
      names.push(name);
    }
    return at;
  });
  const rank = new Uint32Array(names.length);
  Array.from(names.keys())
    .sort((a, b) => {
      const p = names[a] as string;
      const q = names[b] as string;
      return p < q ? -1 : p > q ? 1 : 0;
    })
    .forEach((at, r) => (rank[at] = r));
  const final = merged.map((at) => rank[at] as number);
  for (let i = 0; i < n; i++) stratumOf[i] = final[stratumOf[i] as number] as number;
  return { sliceNames, exampleStart, exampleSlices, stratumOf, strata: names.length };
}

/**
 * Indices ordered by (key, index) with a stable two-pass radix sort on the 32-bit keys; the rare runs
 * of equal keys are then ordered by id, so the order does not depend on the input's.
 */
function keyOrder(examples: readonly SubsetCandidate[], seed: number): Uint32Array {
  const n = examples.length;
  const keys = new Uint32Array(n);
  for (let i = 0; i < n; i++) keys[i] = hashId((examples[i] as SubsetCandidate).id, seed);
  const low = new Uint32Array(n);
  const order = new Uint32Array(n);
  const counts = new Uint32Array(65_537);
  for (let i = 0; i < n; i++) bump(counts, ((keys[i] as number) & 0xffff) + 1);
  for (let d = 0; d < 65_536; d++) counts[d + 1] = (counts[d + 1] as number) + (counts[d] as number);
  for (let i = 0; i < n; i++) low[bump(counts, (keys[i] as number) & 0xffff)] = i;
  counts.fill(0);
  for (let i = 0; i < n; i++) bump(counts, ((keys[i] as number) >>> 16) + 1);
  for (let d = 0; d < 65_536; d++) counts[d + 1] = (counts[d + 1] as number) + (counts[d] as number);
  for (let j = 0; j < n; j++) {
    const i = low[j] as number;
    order[bump(counts, (keys[i] as number) >>> 16)] = i;
  }
  for (let j = 0; j < n; ) {
    let e = j + 1;
    while (e < n && keys[order[e] as number] === keys[order[j] as number]) e++;
    if (e - j > 1) {
      const run = Array.from(order.subarray(j, e)).sort((a, b) => {
        const x = (examples[a] as SubsetCandidate).id;
        const y = (examples[b] as SubsetCandidate).id;
        return x < y ? -1 : x > y ? 1 : a - b;
      });
      order.set(run, j);
    }
    j = e;
  }
  return order;
}

/**
 * Webster's divisor method over strata (stratum s is `members[start[s] … start[s + 1])`): the free
 * member at rank r of a stratum of size S (forced members take its first ranks) has priority
 * (r + ½)/S, and the `want` smallest priorities are taken. Found by bisection on the threshold rather
 * than by sorting every priority; ties at the threshold go to strata in name order. Returns how many
 * were added.
 */
function fillProportionally(start: Uint32Array, members: Uint32Array, selected: Uint8Array, want: number): number {
  const strata = start.length - 1;
  const sizes = new Float64Array(strata);
  const forced = new Float64Array(strata);
  for (let s = 0; s < strata; s++) {
    sizes[s] = (start[s + 1] as number) - (start[s] as number);
    let f = 0;
    for (let k = start[s] as number; k < (start[s + 1] as number); k++) f += selected[members[k] as number] as number;
    forced[s] = f;
  }
  // Free members of a stratum with priority ≤ t.
  const upTo = (s: number, t: number): number => {
    const size = sizes[s] as number;
    const ranks = Math.floor(t * size - 0.5) + 1; // ranks r with (r + ½)/S ≤ t
    return Math.max(0, Math.min(size, ranks) - (forced[s] as number));
  };
  const total = (t: number): number => {
    let c = 0;
    for (let s = 0; s < strata; s++) c += upTo(s, t);
    return c;
  };
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 64 && hi - lo > 1e-15; i++) {
    const mid = (lo + hi) / 2;
    if (total(mid) >= want) hi = mid;
    else lo = mid;
  }
  const take = new Float64Array(strata);
  let left = want;
  for (let s = 0; s < strata; s++) left -= take[s] = upTo(s, lo);
  for (let s = 0; left > 0 && s < strata; s++) {
    const extra = Math.min(left, upTo(s, hi) - (take[s] as number));
    take[s] = (take[s] as number) + extra;
    left -= extra;
  }
  let added = 0;
  for (let s = 0; s < strata; s++) {
    let need = take[s] as number;
    for (let k = start[s] as number; need > 0 && k < (start[s + 1] as number); k++) {
      const i = members[k] as number;
      if (selected[i]) continue;
      selected[i] = 1;
      need--;
      added++;
    }
  }
  return added;
}

/** `a[k]++`, returning the value before. */
function bump(a: Uint32Array, k: number): number {
  const v = a[k] as number;
  a[k] = v + 1;
  return v;
}

/** FNV-1a over the id's UTF-16 code units, seeded, with a murmur3 finaliser for avalanche. */
export function hashId(id: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
