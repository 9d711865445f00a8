import { describe, expect, it } from 'vitest';
import { fleissKappa, type FleissKappa } from './fleiss-kappa.js';
import type { CategoryCounts } from './rating-table.js';
import { NO_PAIRABLE_ITEM_REASON, NO_VARIATION_REASON } from './statistic-value.js';

function defined(k: FleissKappa): Extract<FleissKappa, { value: number }> {
  if (k.value === null) throw new Error(`kappa undefined: ${k.reason}`);
  return k;
}

function table(counts: number[][], categories?: string[]): CategoryCounts {
  return { categories: categories ?? counts[0]!.map((_, j) => `c${j + 1}`), items: counts.map((_, i) => `s${i + 1}`), counts };
}

/**
 * Fleiss (1971), "Measuring nominal scale agreement among many raters", Psychological Bulletin
 * 76:378–382, Table 1: 30 patients, 6 psychiatrists each, 5 diagnoses. These are R irr's `diagnoses`
 * (one row per patient, each rater's diagnosis 1–5) as printed in statsmodels' test_inter_rater.py;
 * counted here per category.
 */
const diagnosesByRater = [
  [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5], [2, 2, 2, 4, 4, 4],
  [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4], [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5],
  [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4], [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5],
  [3, 3, 3, 3, 3, 5], [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
  [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4], [1, 4, 4, 4, 4, 5],
  [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4], [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
];
const diagnoses = table(
  diagnosesByRater.map((row) => [1, 2, 3, 4, 5].map((c) => row.filter((v) => v === c).length)),
  ['depression', 'personality disorder', 'schizophrenia', 'neurosis', 'other'],
);

/** Wikipedia, "Fleiss' kappa", Worked example: 10 subjects, 14 raters, 5 categories. */
const wikipedia = table([
  [0, 0, 0, 0, 14],
  [0, 2, 6, 4, 2],
  [0, 0, 3, 5, 6],
  [0, 3, 9, 2, 0],
  [2, 2, 8, 1, 1],
  [7, 7, 0, 0, 0],
  [3, 2, 6, 3, 0],
  [2, 5, 3, 2, 2],
  [6, 5, 2, 1, 0],
  [0, 2, 2, 3, 7],
]);

describe('fleissKappa', () => {
  it('gives κ = 0.430 on Fleiss (1971) Table 1, with the z and per-category kappas of R irr', () => {
    // statsmodels' test_fleiss_kappa_irr and test_aggregate_raters record R's kappam.fleiss(diagnoses):
    // Kappa = 0.4302445, z = 17.65183, and the category totals 26, 26, 30, 55, 43. The per-category
    // kappas of kappam.fleiss(diagnoses, detail = TRUE), 0.245 0.245 0.520 0.471 0.566, are as
    // reproduced in pyirr's tests. Fleiss (1971) reports κ = .430.
    expect([0, 1, 2, 3, 4].map((j) => diagnoses.counts.reduce((s, row) => s + row[j]!, 0))).toEqual([26, 26, 30, 55, 43]);
    const k = defined(fleissKappa(diagnoses));
    expect(k.value).toBeCloseTo(0.4302445, 7);
    expect(k.value).toBeCloseTo(0.43, 3);
    expect(k.value / k.nullStandardError!).toBeCloseTo(17.65183, 4);
    expect(k.pValue).toBeLessThan(1e-60);
    expect(k.perCategory.map((c) => c.value)).toEqual([0.245, 0.245, 0.52, 0.471, 0.566].map((v) => expect.closeTo(v, 3)));
    expect(k).toMatchObject({ nItems: 30, nRatings: 180, ratersPerItem: 6 });
    // Per category, se₀ = √(2 / (N m (m − 1))) = √(2/900).
    for (const c of k.perCategory) expect(c.nullStandardError).toBeCloseTo(Math.sqrt(2 / 900), 14);
  });

  it('gives κ ≈ 0.210, P̄ ≈ 0.378 and P_e ≈ 0.213 on the Wikipedia worked example', () => {
    const k = defined(fleissKappa(wikipedia));
    expect(k.value).toBeCloseTo(0.21, 3);
    expect(k.observedAgreement).toBeCloseTo(0.378, 3);
    expect(k.expectedAgreement).toBeCloseTo(0.213, 3);
    expect(k.perCategory.map((c) => c.share)).toEqual([0.143, 0.2, 0.279, 0.15, 0.229].map((v) => expect.closeTo(v, 3)));
  });

  it('gives a reproducible bootstrap interval that contains the estimate', () => {
    const a = defined(fleissKappa(diagnoses));
    expect(defined(fleissKappa(diagnoses))).toEqual(a);
    const [lo, hi] = a.bootstrap.interval!;
    expect(lo).toBeLessThan(a.value);
    expect(hi).toBeGreaterThan(a.value);
    // Rough check of width: the bootstrap SE is of the order of the asymptotic one (not the null one).
    expect(hi - lo).toBeGreaterThan(0.1);
    expect(hi - lo).toBeLessThan(0.4);
    const b = defined(fleissKappa(diagnoses, { seed: 99, iterations: 500 }));
    expect(b.bootstrap.interval).not.toEqual(a.bootstrap.interval);
    expect(b.bootstrap).toMatchObject({ seed: 99, iterations: 500, confidence: 0.95 });
  });

  it('accepts a varying number of ratings per item, and then gives no null standard error', () => {
    // By hand: P_i = 1, 0, 1 → P̄ = 2/3; p = (3/7, 4/7), P_e = 25/49; κ = (2/3 − 25/49)/(24/49) = 23/72.
    const k = defined(fleissKappa(table([[2, 0], [1, 1], [0, 3]])));
    expect(k.value).toBeCloseTo(23 / 72, 14);
    expect(k.ratersPerItem).toBeNull();
    expect(k.nullStandardError).toBeNull();
    expect(k.pValue).toBeNull();
    expect(k.perCategory.every((c) => c.nullStandardError === null)).toBe(true);
  });

  it('equals Fleiss (1971) with a constant number of raters, and each category kappa equals κ for two categories', () => {
    // With two categories "j against the rest" is the whole table, so κ_1 = κ_2 = κ (for any m_i).
    for (const counts of [[[3, 0], [1, 2], [2, 1], [0, 3]], [[2, 0], [1, 3], [0, 2], [4, 1]]]) {
      const k = defined(fleissKappa(table(counts)));
      expect(k.perCategory[0]!.value).toBeCloseTo(k.value, 14);
      expect(k.perCategory[1]!.value).toBeCloseTo(k.value, 14);
    }
  });

  it('leaves out items with fewer than two ratings', () => {
    const with1 = defined(fleissKappa(table([[3, 0], [1, 2], [0, 1], [1, 0]])));
    const without = defined(fleissKappa(table([[3, 0], [1, 2]])));
    expect(with1.value).toBe(without.value);
    expect(with1.nItems).toBe(2);
  });

  it('is null with a reason when every rating is the same label', () => {
    const k = fleissKappa(table([[3, 0], [2, 0], [4, 0]]));
    expect(k).toMatchObject({ value: null, reason: NO_VARIATION_REASON, observedAgreement: 1, expectedAgreement: 1, bootstrap: null });
    expect(k.perCategory[0]).toMatchObject({ value: null, reason: NO_VARIATION_REASON });
    expect(k.perCategory[1]).toMatchObject({ value: null, reason: 'no rating is "c2"' });
  });

  it('handles one item: κ is defined (and negative) if its raters differ, with no bootstrap interval', () => {
    // P̄ = 0 (no agreeing pair); p = (½, ½), P_e = ½; κ = −1.
    const k = defined(fleissKappa(table([[1, 1]])));
    expect(k.value).toBe(-1);
    expect(k.bootstrap.interval).toBeNull();
    expect(k.bootstrap.reason).toBe('fewer than two items to resample');
  });

  it('is null with a reason when no item has two ratings', () => {
    const k = fleissKappa(table([[1, 0], [0, 1]]));
    expect(k).toMatchObject({ value: null, reason: NO_PAIRABLE_ITEM_REASON, nItems: 0, observedAgreement: null });
    expect(fleissKappa({ categories: ['a'], items: [], counts: [] }).value).toBeNull();
  });
});
