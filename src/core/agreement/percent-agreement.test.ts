import { describe, expect, it } from 'vitest';
import { seededRandom } from '../stats/seeded-random.js';
import { percentAgreement } from './percent-agreement.js';
import type { CategoryCounts } from './rating-table.js';
import { NO_PAIRABLE_ITEM_REASON } from './statistic-value.js';

function table(counts: number[][]): CategoryCounts {
  return { categories: counts[0]!.map((_, j) => `c${j}`), items: counts.map((_, i) => `i${i}`), counts };
}

/**
 * Specific agreement by enumerating every unordered pair of ratings on every item: a pair in which
 * both said k counts 2 towards the numerator and 2 towards the denominator, a pair in which one
 * said k counts 1 towards the denominator.
 */
function bruteForceSpecific(labelsPerItem: number[][], k: number): number {
  let num = 0;
  let den = 0;
  for (const labels of labelsPerItem) {
    for (let a = 0; a < labels.length; a++) {
      for (let b = a + 1; b < labels.length; b++) {
        const hits = (labels[a] === k ? 1 : 0) + (labels[b] === k ? 1 : 0);
        if (hits === 2) num += 2;
        den += hits;
      }
    }
  }
  return num / den;
}

describe('percentAgreement', () => {
  it('gives the share of agreeing items and 2·n_kk/(row_k + col_k) per label for two raters', () => {
    // The Wikipedia "Cohen's kappa" example: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no; rows 25/25,
    // columns 30/20. p_o = 35/50; specific agreement yes = 40/55, no = 30/45.
    const rows = (n: number, row: number[]): number[][] => Array.from({ length: n }, () => [...row]);
    const counts = [...rows(20, [0, 2]), ...rows(15, [2, 0]), ...rows(15, [1, 1])];
    const a = percentAgreement({ categories: ['no', 'yes'], items: counts.map((_, i) => `i${i}`), counts });
    expect(a.value).toBeCloseTo(0.7, 14);
    expect(a.nItems).toBe(50);
    expect(a.nPairs).toBe(50);
    expect(a.perCategory[1]).toMatchObject({ category: 'yes', nRatings: 55 });
    expect(a.perCategory[1]!.value).toBeCloseTo(40 / 55, 14);
    expect(a.perCategory[0]!.value).toBeCloseTo(30 / 45, 14);
  });

  it('averages the share of agreeing pairs per item for more raters, each item counting once', () => {
    // Item 1: 3 raters say c0, c0, c1: 1 of 3 pairs agree. Item 2: 2 of 2 agree → 1. Mean 2/3.
    const a = percentAgreement(table([[2, 1], [0, 2]]));
    expect(a.value).toBeCloseTo(2 / 3, 14);
    expect(a.nPairs).toBe(4);
  });

  it('matches pair-by-pair enumeration for the specific agreement of any number of raters', () => {
    const r = seededRandom(4);
    const labelsPerItem = Array.from({ length: 60 }, () => Array.from({ length: 2 + r.nextInt(4) }, () => r.nextInt(3)));
    const counts = labelsPerItem.map((labels) => [0, 1, 2].map((k) => labels.filter((l) => l === k).length));
    const a = percentAgreement(table(counts));
    for (const k of [0, 1, 2]) expect(a.perCategory[k]!.value).toBeCloseTo(bruteForceSpecific(labelsPerItem, k), 14);
  });

  it('ignores items with a single rating', () => {
    const a = percentAgreement(table([[1, 1], [1, 0], [0, 1]]));
    expect(a).toMatchObject({ value: 0, nItems: 1 });
    expect(a.perCategory[0]).toMatchObject({ nRatings: 1, value: 0 });
  });

  it('is 1 when every rating is the same label, with no specific agreement for unused labels', () => {
    const a = percentAgreement(table([[2, 0], [3, 0]]));
    expect(a.value).toBe(1);
    expect(a.perCategory[0]!.value).toBe(1);
    expect(a.perCategory[1]).toMatchObject({ value: null, reason: 'no rating of "c1" on an item with two or more ratings', nRatings: 0 });
  });

  it('is null with a reason when no item has two ratings', () => {
    expect(percentAgreement(table([[1, 0], [0, 1]]))).toMatchObject({ value: null, reason: NO_PAIRABLE_ITEM_REASON, nItems: 0, nPairs: 0 });
  });

  it('gives a reproducible bootstrap interval over items that, for two raters, is close to the Wilson interval', () => {
    // 35 of 50 items agree (the Wikipedia example): Wilson 95% interval [0.562, 0.809].
    const rows = (n: number, row: number[]): number[][] => Array.from({ length: n }, () => [...row]);
    const counts = [...rows(20, [0, 2]), ...rows(15, [2, 0]), ...rows(15, [1, 1])];
    const t = { categories: ['no', 'yes'], items: counts.map((_, i) => `i${i}`), counts };
    const a = percentAgreement(t, { seed: 3 });
    const [lo, hi] = a.bootstrap!.interval!;
    expect(lo).toBeGreaterThan(0.54);
    expect(lo).toBeLessThan(0.6);
    expect(hi).toBeGreaterThan(0.78);
    expect(hi).toBeLessThan(0.84);
    expect(percentAgreement(t, { seed: 3 }).bootstrap).toEqual(a.bootstrap);
    expect(percentAgreement(table([[1, 0]])).bootstrap).toBeNull();
  });
});
