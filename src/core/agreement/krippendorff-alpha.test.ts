import { describe, expect, it } from 'vitest';
import { EvalOpsError } from '../errors.js';
import { krippendorffAlpha, type KrippendorffAlpha } from './krippendorff-alpha.js';
import { buildRatingTable, type Rating } from './rating-table.js';
import { NO_PAIRABLE_ITEM_REASON, NO_VARIATION_REASON } from './statistic-value.js';

function defined(a: KrippendorffAlpha): Extract<KrippendorffAlpha, { value: number }> {
  if (a.value === null) throw new Error(`alpha undefined: ${a.reason}`);
  return a;
}

/** Ratings from a reliability data matrix: one row per observer, one column per unit, null = missing. */
function ratingsFromMatrix(rows: readonly (readonly (number | null)[])[]): Rating[] {
  return rows.flatMap((row, o) => row.flatMap((v, u) => (v === null ? [] : [{ item: `u${u + 1}`, rater: `obs${o + 1}`, label: String(v) }])));
}

/**
 * Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers A–D ×
 * 12 units, values 1–5, with missing values (unit 12 has a single value and is not pairable).
 * The paper gives α_nominal = 0.743, α_ordinal = 0.815, α_interval = 0.849, α_ratio = 0.797 (the
 * same values R irr::kripp.alpha prints; pyirr's tests check all four).
 */
const _ = null;
const krippendorff2011 = buildRatingTable(
  ratingsFromMatrix([
    [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
    [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
  ]),
  ['1', '2', '3', '4', '5'],
);

describe('krippendorffAlpha', () => {
  it('reproduces Krippendorff (2011) on data with missing values, for all four metrics', () => {
    expect(defined(krippendorffAlpha(krippendorff2011, { metric: 'nominal' })).value).toBeCloseTo(0.743, 3);
    expect(defined(krippendorffAlpha(krippendorff2011, { metric: 'ordinal' })).value).toBeCloseTo(0.815, 3);
    expect(defined(krippendorffAlpha(krippendorff2011, { metric: 'interval' })).value).toBeCloseTo(0.849, 3);
    expect(defined(krippendorffAlpha(krippendorff2011, { metric: 'ratio' })).value).toBeCloseTo(0.797, 3);
    const a = krippendorffAlpha(krippendorff2011);
    expect(a).toMatchObject({ metric: 'nominal', nUnits: 11, nValues: 40 }); // the paper's n.. = 40
  });

  it('gives α = 0.095 on the two-coder binary example of Krippendorff (2011), section A', () => {
    // By hand: o_00 = 10, o_01 = o_10 = 4, o_11 = 2; n_0 = 14, n_1 = 6, n.. = 20;
    // α = 1 − (n.. − 1)·o_01/(n_0·n_1) = 1 − 19·4/84 = 2/21.
    const table = buildRatingTable(
      ratingsFromMatrix([
        [0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
        [1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
      ]),
      ['0', '1'],
    );
    const a = defined(krippendorffAlpha(table));
    expect(a.value).toBeCloseTo(2 / 21, 14);
    expect(a.value).toBeCloseTo(0.095, 3);
  });

  it('uses the given values for the interval and ratio metrics, and is unchanged by rescaling them', () => {
    const base = defined(krippendorffAlpha(krippendorff2011, { metric: 'interval' })).value;
    expect(defined(krippendorffAlpha(krippendorff2011, { metric: 'interval', values: [10, 20, 30, 40, 50] })).value).toBeCloseTo(base, 12);
    expect(defined(krippendorffAlpha(krippendorff2011, { metric: 'interval', values: [-3, -1, 1, 3, 5] })).value).toBeCloseTo(base, 12);
    expect(defined(krippendorffAlpha(krippendorff2011, { metric: 'interval', values: [1, 2, 3, 4, 50] })).value).not.toBeCloseTo(base, 3);
    const ratio = defined(krippendorffAlpha(krippendorff2011, { metric: 'ratio' })).value;
    expect(defined(krippendorffAlpha(krippendorff2011, { metric: 'ratio', values: [2, 4, 6, 8, 10] })).value).toBeCloseTo(ratio, 12);
    // The nominal and ordinal metrics ignore values.
    expect(krippendorffAlpha(krippendorff2011, { metric: 'ordinal', values: [1, 2, 3, 4, 50] }).value).toBeCloseTo(0.815, 3);
  });

  it('gives a reproducible bootstrap interval over units that contains the estimate', () => {
    const a = defined(krippendorffAlpha(krippendorff2011, { metric: 'ordinal' }));
    expect(defined(krippendorffAlpha(krippendorff2011, { metric: 'ordinal' }))).toEqual(a);
    const [lo, hi] = a.bootstrap.interval!;
    expect(lo).toBeLessThan(a.value);
    expect(hi).toBeGreaterThan(a.value);
    expect(hi).toBeLessThanOrEqual(1);
    expect(a.bootstrap.seed).toBe(1);
    const other = defined(krippendorffAlpha(krippendorff2011, { metric: 'ordinal', seed: 2 }));
    expect(other.bootstrap.interval).not.toEqual(a.bootstrap.interval);
  });

  it('is null with a reason when every pairable value is the same label (D_e = 0)', () => {
    const table = buildRatingTable(ratingsFromMatrix([[2, 2, 2, _], [2, 2, _, 1]]), ['1', '2', '3']);
    for (const metric of ['nominal', 'ordinal', 'interval', 'ratio'] as const) {
      const a = krippendorffAlpha(table, { metric });
      expect(a).toMatchObject({ value: null, reason: NO_VARIATION_REASON, nUnits: 2, nValues: 4, observedDisagreement: 0, expectedDisagreement: 0, bootstrap: null });
    }
  });

  it('is null with a reason when no unit has two values, as when two raters never overlap', () => {
    const table = buildRatingTable(ratingsFromMatrix([[1, 2, _, _], [_, _, 1, 2]]), ['1', '2']);
    expect(krippendorffAlpha(table)).toMatchObject({ value: null, reason: NO_PAIRABLE_ITEM_REASON, nUnits: 0, nValues: 0, observedDisagreement: null });
  });

  it('handles one unit: two different values give α = 0', () => {
    // n.. = 2, o_12 = o_21 = 1, n_1 = n_2 = 1: α = 1 − 1·2/2 = 0.
    const a = defined(krippendorffAlpha(buildRatingTable(ratingsFromMatrix([[1], [2]]), ['1', '2'])));
    expect(a.value).toBe(0);
    expect(a.bootstrap.interval).toBeNull();
  });

  it('rejects values that do not fit the categories or the metric', () => {
    expect(() => krippendorffAlpha(krippendorff2011, { metric: 'interval', values: [1, 2, 3] })).toThrow(EvalOpsError);
    expect(() => krippendorffAlpha(krippendorff2011, { metric: 'interval', values: [1, 2, 3, 4, Number.NaN] })).toThrow(EvalOpsError);
    expect(() => krippendorffAlpha(krippendorff2011, { metric: 'ratio', values: [-1, 2, 3, 4, 5] })).toThrow(EvalOpsError);
  });
});
