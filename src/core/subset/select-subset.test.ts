import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selectSubset, type SubsetCandidate } from './select-subset.js';
import { selectSubsetReference } from './select-subset-reference.js';

const exampleArb = fc.record({
  intent: fc.constantFrom('refund', 'billing', 'shipping', 'login', 'rare'),
  lang: fc.constantFrom('en', 'en', 'en', 'es', 'de'),
  noSlices: fc.boolean(),
  critical: fc.double({ min: 0, max: 1, noNaN: true }).map((x) => x < 0.03),
});
const datasetArb = fc.array(exampleArb, { minLength: 1, maxLength: 400 }).map((rows) =>
  rows.map((r, i): SubsetCandidate => ({ id: `ex-${i}`, slices: r.noSlices ? [] : [`intent:${r.intent}`, `lang:${r.lang}`], critical: r.critical })),
);

function ids(examples: readonly SubsetCandidate[], indices: Uint32Array): string[] {
  return [...indices].map((i) => (examples[i] as SubsetCandidate).id).sort();
}

describe('selectSubset', () => {
  it('keeps every slice (at least min(minPerSlice, its size)), every critical example, and the size asked for unless those need more', () => {
    fc.assert(
      fc.property(datasetArb, fc.double({ min: 0.01, max: 1, noNaN: true }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 6 }), (examples, share, seed, minPerSlice) => {
        const size = Math.max(1, Math.round(share * examples.length));
        const { indices, critical } = selectSubset(examples, { size, seed, minPerSlice });
        const chosen = new Set(indices);
        expect(chosen.size).toBe(indices.length);
        const bySlice = new Map<string, { all: number; kept: number }>();
        examples.forEach((e, i) => {
          if (e.critical) expect(chosen.has(i)).toBe(true);
          for (const s of e.slices) {
            const c = bySlice.get(s) ?? { all: 0, kept: 0 };
            c.all++;
            if (chosen.has(i)) c.kept++;
            bySlice.set(s, c);
          }
        });
        for (const [, c] of bySlice) expect(c.kept).toBeGreaterThanOrEqual(Math.min(minPerSlice, c.all));
        expect(critical).toBe(examples.filter((e) => e.critical).length);
        // Exactly the size, unless the critical examples and slice minimums alone need more.
        const unforced = selectSubset(examples.map((e) => ({ ...e, critical: false, slices: [] })), { size, seed, minPerSlice }).indices.length;
        expect(unforced).toBe(size);
        expect(indices.length).toBeGreaterThanOrEqual(size);
        if (indices.length > size) {
          // Every extra example is there for a reason: critical, or a slice short of its minimum without it.
          expect(critical + bySlice.size * minPerSlice).toBeGreaterThan(size);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('is deterministic for the same ids and seed, whatever the order of the examples', () => {
    fc.assert(
      fc.property(datasetArb, fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 10_000 }), (examples, seed, shuffleSeed) => {
        const size = Math.max(1, Math.floor(examples.length / 3));
        const a = selectSubset(examples, { size, seed, minPerSlice: 2 });
        const shuffled = [...examples].sort((x, y) => ((x.id.length * 7919 + shuffleSeed) % 13) - ((y.id.length * 7919 + shuffleSeed) % 13) || (x.id < y.id ? 1 : -1));
        const b = selectSubset(shuffled, { size, seed, minPerSlice: 2 });
        expect(ids(shuffled, b.indices)).toEqual(ids(examples, a.indices));
      }),
      { numRuns: 100 },
    );
  });

  it('gives each stratum with nothing forced into it about its proportional share (never more than one example above it)', () => {
    fc.assert(
      fc.property(datasetArb, fc.integer({ min: 0, max: 1000 }), (examples, seed) => {
        const plain = examples.map((e) => ({ ...e, critical: false }));
        const size = Math.max(1, Math.floor(plain.length / 4));
        const { indices } = selectSubset(plain, { size, seed, minPerSlice: 1 });
        const strata = new Map<string, { all: number; kept: number }>();
        const chosen = new Set(indices);
        plain.forEach((e, i) => {
          const k = [...e.slices].sort().join('|');
          const c = strata.get(k) ?? { all: 0, kept: 0 };
          c.all++;
          if (chosen.has(i)) c.kept++;
          strata.set(k, c);
        });
        for (const [, c] of strata) {
          // A stratum above its share by more than one example would need a minimum to put it there;
          // with minPerSlice 1 at most one of its examples is forced.
          expect(c.kept).toBeLessThanOrEqual(Math.ceil((size * c.all) / plain.length) + 1);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('draws another sample for another seed and keeps proportions on a large dataset', () => {
    const examples: SubsetCandidate[] = Array.from({ length: 10_000 }, (_, i) => ({ id: `e${i}`, slices: [`intent:${i % 10 === 0 ? 'refund' : 'other'}`] }));
    const a = selectSubset(examples, { size: 300, seed: 1, minPerSlice: 3 });
    const b = selectSubset(examples, { size: 300, seed: 2, minPerSlice: 3 });
    expect(a.indices.length).toBe(300);
    const overlap = ids(examples, a.indices).filter((id) => new Set(ids(examples, b.indices)).has(id)).length;
    expect(overlap).toBeLessThan(60); // two independent 3% samples share about 9 examples
    const refunds = [...a.indices].filter((i) => i % 10 === 0).length;
    expect(refunds).toBe(30);
  });

  it('selects exactly what the plain reference selects, on random datasets (duplicate ids and slices, unsorted and empty slice lists, names joined the same way)', () => {
    const sliceArb = fc.constantFrom('intent:refund', 'intent:billing', 'lang:en', 'lang:es', 'tier:gold', 'a', 'a\u0000b', 'b', '', 'Z:upper');
    const randomRows = fc.array(
      fc.record({ id: fc.oneof(fc.nat({ max: 30 }).map((k) => `dup-${k}`), fc.string({ maxLength: 6 })), slices: fc.array(sliceArb, { maxLength: 4 }), critical: fc.nat({ max: 9 }).map((k) => k === 0) }),
      { minLength: 1, maxLength: 300 },
    );
    // Strata of equal sizes: the proportional fill then ties at its threshold, where the order of strata decides.
    const balancedRows = fc
      .tuple(fc.integer({ min: 2, max: 8 }), fc.integer({ min: 2, max: 25 }), fc.boolean())
      .map(([strata, each, shared]) =>
        Array.from({ length: strata * each }, (_, i) => ({ id: `s${i % strata}-${Math.floor(i / strata)}`, slices: [`stratum:s${i % strata}`, ...(shared && i % 2 ? ['lang:en'] : [])], critical: false })),
      );
    const rowsArb = fc.oneof(randomRows, balancedRows);
    fc.assert(
      fc.property(rowsArb, fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 1, max: 4 }), (rows, share, seed, minPerSlice) => {
        const size = Math.max(1, Math.round(share * rows.length));
        const fast = selectSubset(rows, { size, seed, minPerSlice });
        const reference = selectSubsetReference(rows, { size, seed, minPerSlice });
        expect([...fast.indices]).toEqual([...reference.indices]);
        expect({ ...fast, indices: null }).toEqual({ ...reference, indices: null });
      }),
      { numRuns: 1000 },
    );
    // Three strata of 10, 5 to fill after the minimums: which strata get the 2 left over is decided by name.
    const tied = ['a', 'b', 'c'].flatMap((slice) => Array.from({ length: 10 }, (_, k) => ({ id: `${slice}-${k}`, slices: [slice] })));
    expect([...selectSubset(tied, { size: 8, seed: 0, minPerSlice: 1 }).indices]).toEqual([...selectSubsetReference(tied, { size: 8, seed: 0, minPerSlice: 1 }).indices]);
  });

  it('selects exactly what the reference selects on a 50,000-example dataset with many strata', () => {
    const examples: SubsetCandidate[] = Array.from({ length: 50_000 }, (_, i) => ({
      id: `case-${(i * 7919) % 50_000}`,
      slices: i % 3 === 0 ? [`lang:${['en', 'es', 'de', 'fr', 'ja'][i % 5]}`, `intent:i${(i * 13) % 97}`] : [`intent:i${(i * 13) % 97}`, `lang:${['en', 'es', 'de', 'fr', 'ja'][i % 5]}`, ...(i % 11 === 0 ? ['tier:gold'] : [])],
      critical: i % 997 === 0,
    }));
    for (const seed of [0, 1, 123_456]) {
      const fast = selectSubset(examples, { size: 2_000, seed, minPerSlice: 5 });
      expect(fast).toEqual(selectSubsetReference(examples, { size: 2_000, seed, minPerSlice: 5 }));
    }
  });

  it('reads criticality through isCritical when given, instead of a critical field', () => {
    const examples = Array.from({ length: 1_000 }, (_, i) => ({ id: `e${i}`, slices: [], metadata: { critical: i < 5 } }));
    const { indices, critical } = selectSubset(examples, { size: 10, seed: 0, minPerSlice: 1, isCritical: (e) => e.metadata.critical });
    expect(critical).toBe(5);
    expect([...indices].filter((i) => i < 5)).toEqual([0, 1, 2, 3, 4]);
    expect(indices.length).toBe(10);
  });

  it('refuses a subset larger than the dataset', () => {
    expect(() => selectSubset([{ id: 'a', slices: [] }], { size: 2, seed: 0, minPerSlice: 1 })).toThrow(/larger than the dataset's 1/);
  });
});
