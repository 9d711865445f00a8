import { describe, expect, it } from 'vitest';
import { labelIntervals } from './label-intervals.js';
import { pairwiseKappa } from './pairwise-kappa.js';
import { buildRatingTable, type Rating } from './rating-table.js';

// The anxiety ratings of R's irr package (Gamer et al.): 20 subjects, 3 raters, scores 1–6; the R
// outputs below are those recorded in statsmodels' test_inter_rater.py (test_cohens_kappa_irr) and
// pyirr's tests, as in cohen-kappa.test.ts.
const anxiety: Record<string, number[]> = {
  r1: [3, 3, 3, 4, 5, 5, 2, 3, 5, 2, 2, 6, 1, 5, 2, 2, 1, 2, 4, 3],
  r2: [3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4],
  r3: [2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2],
};
const ratings = (raters: readonly string[]): Rating[] => raters.flatMap((r) => (anxiety[r] as number[]).map((v, i) => ({ item: `s${i}`, rater: r, label: String(v) })));

describe('pairwiseKappa', () => {
  it('gives every pair of three raters, each matching R irr::kappa2 on that pair', () => {
    const pairs = pairwiseKappa(buildRatingTable(ratings(['r1', 'r2', 'r3']), ['1', '2', '3', '4', '5', '6']), true);
    expect(pairs.map((p) => p.raters.join('×'))).toEqual(['r1×r2', 'r1×r3', 'r2×r3']);
    expect(pairs.every((p) => p.n === 20)).toBe(true);
    // irr::kappa2(anxiety[, 2:3]): κ = −0.006289308 (unweighted κ does not depend on unused levels).
    expect(pairs[2]?.unweighted.value).toBeCloseTo(-0.006289308, 7);
    // irr::kappa2(anxiety[, 1:2], "squared"): κ = 0.297.
    expect(pairs[0]?.quadratic.value).toBeCloseTo(0.297, 3);
    for (const p of pairs) {
      for (const k of [p.unweighted, p.linear, p.quadratic]) {
        expect(k.value).not.toBeNull();
        if (!('interval' in k) || k.interval === null || k.value === null) throw new Error('no interval');
        expect(k.interval[0]).toBeLessThan(k.value);
        expect(k.interval[1]).toBeGreaterThan(k.value);
      }
    }
  });

  it('gives the linear-weighted kappa of irr::kappa2(…, "equal") on raters 2 and 3', () => {
    // irr builds the table from the levels present (1, 2, 3, 4, 6): κ = 0.1459075.
    const [pair] = pairwiseKappa(buildRatingTable(ratings(['r2', 'r3']), ['1', '2', '3', '4', '6']), true);
    expect(pair?.linear.value).toBeCloseTo(0.1459075, 7);
    expect(pair?.quadratic.value).toBeCloseTo(0.2520325, 7);
  });

  it('gives no weighted kappa for nominal labels, and says why', () => {
    const [pair] = pairwiseKappa(buildRatingTable(ratings(['r2', 'r3']), ['1', '2', '3', '4', '6']), false);
    expect(pair?.unweighted.value).toBeCloseTo(-0.006289308, 7);
    expect(pair?.linear).toEqual({ value: null, reason: expect.stringContaining('nominal') });
    expect(pair?.quadratic.value).toBeNull();
  });

  it('lists a pair with no item in common, its kappa undefined', () => {
    const table = buildRatingTable(
      [
        { item: 'a', rater: 'ann', label: 'x' },
        { item: 'a', rater: 'bo', label: 'y' },
        { item: 'b', rater: 'cy', label: 'x' },
        { item: 'b', rater: 'bo', label: 'x' },
      ],
      ['x', 'y'],
    );
    const pairs = pairwiseKappa(table, false);
    const annCy = pairs.find((p) => p.raters.join() === 'ann,cy');
    expect(annCy?.n).toBe(0);
    expect(annCy?.unweighted.value).toBeNull();
  });
});

describe('labelIntervals', () => {
  it('gives a seeded interval around each label figure, the same on a second call', () => {
    const table = buildRatingTable(ratings(['r1', 'r2', 'r3']), ['1', '2', '3', '4', '5', '6']);
    const a = labelIntervals(table, { seed: 3, iterations: 500 });
    const b = labelIntervals(table, { seed: 3, iterations: 500 });
    expect(a).toEqual(b);
    const three = a.find((l) => l.category === '3');
    const [lo, hi] = three?.specificAgreement.interval ?? [NaN, NaN];
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(1);
    expect(hi).toBeGreaterThan(lo);
    expect(three?.kappa.interval).not.toBeNull();
  });
});
