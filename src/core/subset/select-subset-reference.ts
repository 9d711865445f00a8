import { EvalOpsError } from '../errors.js';
import { hashId, type SubsetCandidate, type SubsetSelection } from './select-subset.js';

/**
 * The plain version of `selectSubset`: the same method written directly (a list of members per slice
 * and per stratum, strata keyed by their joined slice names). Kept as the specification the fast
 * version is tested against — both must select exactly the same examples (select-subset.test.ts).
 * @example selectSubsetReference(examples, { size: 300, seed: 0, minPerSlice: 3 }).indices
 */
export function selectSubsetReference(examples: readonly SubsetCandidate[], options: { readonly size: number; readonly seed: number; readonly minPerSlice: number }): SubsetSelection {
  const n = examples.length;
  const { size, seed, minPerSlice } = options;
  if (!Number.isInteger(size) || size < 1) throw new EvalOpsError('input', `a subset size is a whole number ≥ 1, not ${size}`);
  if (size > n) throw new EvalOpsError('input', `a subset of ${size} examples is larger than the dataset's ${n}`);
  const order = keyOrder(examples, seed);

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

  // Slices and strata, each a list of example indices in key order (built by walking the order).
  const sliceMembers = new Map<string, number[]>();
  const strata = new Map<string, number[]>();
  for (let j = 0; j < n; j++) {
    const i = order[j] as number;
    const slices = (examples[i] as SubsetCandidate).slices;
    for (const s of slices) {
      let list = sliceMembers.get(s);
      if (!list) sliceMembers.set(s, (list = []));
      list.push(i);
    }
    const stratum = stratumOf(slices);
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
    for (let j = 0; have < need && j < members.length; j++) {
      const i = members[j] as number;
      if (selected[i]) continue;
      selected[i] = 1;
      have++;
      count++;
      forcedBySlice++;
    }
  }

  if (count < size) count += fillProportionally([...strata.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, m]) => m), selected, size - count);

  const indices = new Uint32Array(count);
  let k = 0;
  for (let i = 0; i < n; i++) if (selected[i]) indices[k++] = i;
  return { indices, critical, slices: sliceMembers.size, forcedBySlice };
}

/** An example's stratum: its slices, sorted and joined (most examples have them sorted already). */
function stratumOf(slices: readonly string[]): string {
  if (slices.length === 0) return '';
  if (slices.length === 1) return slices[0] as string;
  let sorted = true;
  for (let i = 1; i < slices.length; i++) if ((slices[i - 1] as string) > (slices[i] as string)) sorted = false;
  return (sorted ? slices : [...slices].sort()).join('\u0000');
}

/**
 * Indices ordered by (key, id): keys and indices packed into one double (32 + 21 bits) and sorted
 * natively; the rare runs of equal keys are then ordered by id, so the order does not depend on the
 * input's.
 */
function keyOrder(examples: readonly SubsetCandidate[], seed: number): Uint32Array {
  const n = examples.length;
  const keys = new Uint32Array(n);
  for (let i = 0; i < n; i++) keys[i] = hashId((examples[i] as SubsetCandidate).id, seed);
  const order = new Uint32Array(n);
  if (n <= 2 ** 21) {
    const packed = new Float64Array(n);
    for (let i = 0; i < n; i++) packed[i] = (keys[i] as number) * 2 ** 21 + i;
    packed.sort();
    for (let j = 0; j < n; j++) order[j] = (packed[j] as number) % 2 ** 21;
  } else {
    const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => (keys[a] as number) - (keys[b] as number));
    order.set(idx);
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
 * Webster's divisor method over strata: the free member at rank r of a stratum of size S (forced
 * members take its first ranks) has priority (r + ½)/S, and the `want` smallest priorities are taken.
 * Found by bisection on the threshold rather than by sorting every priority; ties at the threshold
 * go to strata in name order. Returns how many were added.
 */
function fillProportionally(strata: readonly number[][], selected: Uint8Array, want: number): number {
  const forced = strata.map((m) => m.reduce((c, i) => c + (selected[i] as number), 0));
  // Free members of a stratum with priority ≤ t.
  const upTo = (s: number, t: number): number => {
    const size = (strata[s] as number[]).length;
    const ranks = Math.floor(t * size - 0.5) + 1; // ranks r with (r + ½)/S ≤ t
    return Math.max(0, Math.min(size, ranks) - (forced[s] as number));
  };
  const total = (t: number): number => strata.reduce((c, _, s) => c + upTo(s, t), 0);
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 64 && hi - lo > 1e-15; i++) {
    const mid = (lo + hi) / 2;
    if (total(mid) >= want) hi = mid;
    else lo = mid;
  }
  const take = strata.map((_, s) => upTo(s, lo));
  let left = want - take.reduce((a, b) => a + b, 0);
  for (let s = 0; left > 0 && s < strata.length; s++) {
    const extra = Math.min(left, upTo(s, hi) - (take[s] as number));
    take[s] = (take[s] as number) + extra;
    left -= extra;
  }
  let added = 0;
  strata.forEach((members, s) => {
    let need = take[s] as number;
    for (let j = 0; need > 0 && j < members.length; j++) {
      const i = members[j] as number;
      if (selected[i]) continue;
      selected[i] = 1;
      need--;
      added++;
    }
  });
  return added;
}
