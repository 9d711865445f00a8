import { EvalOpsError } from '../errors.js';

/**
 * Stratified, deterministic subset selection. Pure and linear-ish (one sort), so a million examples
 * take well under a second.
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
 * old one in (mostly) the same subset.
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

/**
 * @example selectSubset(examples, { size: 300, seed: 0, minPerSlice: 3 }).indices.length // ≥ 300
 */
export function selectSubset(examples: readonly SubsetCandidate[], options: { readonly size: number; readonly seed: number; readonly minPerSlice: number }): SubsetSelection {
  const n = examples.length;
  const { size, seed, minPerSlice } = options;
  if (!Number.isInteger(size) || size < 1) throw new EvalOpsError('input', `a subset size is a whole number ≥ 1, not ${size}`);
  if (size > n) throw new EvalOpsError('input', `a subset of ${size} examples is larger than the dataset's ${n}`);
  const keys = new Uint32Array(n);
  for (let i = 0; i < n; i++) keys[i] = hashId((examples[i] as SubsetCandidate).id, seed);
  // Ties of the 32-bit key are broken by id, then index, so the order is total and input-independent.
  const byKey = (a: number, b: number): number => (keys[a] as number) - (keys[b] as number) || compareIds(a, b);
  const compareIds = (a: number, b: number): number => {
    const x = (examples[a] as SubsetCandidate).id;
    const y = (examples[b] as SubsetCandidate).id;
    return x < y ? -1 : x > y ? 1 : a - b;
  };

  const selected = new Uint8Array(n);
  let count = 0;
  let critical = 0;
  for (let i = 0; i < n; i++) {
    if ((examples[i] as SubsetCandidate).critical) {
      selected[i] = 1;
      count++;
      critical++;
    }
  }

  // Slices and strata, each a list of example indices.
  const sliceMembers = new Map<string, number[]>();
  const strata = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const slices = (examples[i] as SubsetCandidate).slices;
    for (const s of slices) {
      let list = sliceMembers.get(s);
      if (!list) sliceMembers.set(s, (list = []));
      list.push(i);
    }
    const stratum = slices.length === 0 ? '' : slices.length === 1 ? (slices[0] as string) : [...slices].sort().join('\u0000');
    let list = strata.get(stratum);
    if (!list) strata.set(stratum, (list = []));
    list.push(i);
  }

  let forcedBySlice = 0;
  const sliceOrder = [...sliceMembers.entries()].sort(([a, x], [b, y]) => x.length - y.length || (a < b ? -1 : a > b ? 1 : 0));
  for (const [, members] of sliceOrder) {
    const need = Math.min(minPerSlice, members.length);
    let have = 0;
    for (const i of members) have += selected[i] as number;
    if (have >= need) continue;
    members.sort(byKey);
    for (const i of members) {
      if (have >= need) break;
      if (selected[i]) continue;
      selected[i] = 1;
      have++;
      count++;
      forcedBySlice++;
    }
  }

  if (count < size) {
    // Webster priorities: the stratum's forced members take its first ranks (they count towards its share).
    const free: number[] = [];
    const priority = new Float64Array(n);
    for (const members of strata.values()) {
      members.sort(byKey);
      let rank = 0;
      for (const i of members) if (selected[i]) rank++;
      for (const i of members) {
        if (selected[i]) continue;
        priority[i] = (rank + 0.5) / members.length;
        rank++;
        free.push(i);
      }
    }
    free.sort((a, b) => (priority[a] as number) - (priority[b] as number) || byKey(a, b));
    for (let j = 0; count < size && j < free.length; j++) {
      selected[free[j] as number] = 1;
      count++;
    }
  }

  const indices = new Uint32Array(count);
  let k = 0;
  for (let i = 0; i < n; i++) if (selected[i]) indices[k++] = i;
  return { indices, critical, slices: sliceMembers.size, forcedBySlice };
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
