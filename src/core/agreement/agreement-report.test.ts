import { describe, expect, it } from 'vitest';
import { EvalOpsError } from '../errors.js';
import { agreementReport, type AgreementReport } from './agreement-report.js';
import { cohenKappa } from './cohen-kappa.js';
import { fleissKappa } from './fleiss-kappa.js';
import { krippendorffAlpha } from './krippendorff-alpha.js';
import { buildRatingTable, type Rating } from './rating-table.js';
import { NO_PAIRABLE_ITEM_REASON, NO_VARIATION_REASON } from './statistic-value.js';

/** Ratings from one row per rater and one column per item, null = missing. */
function ratingsFrom(byRater: Record<string, readonly (string | null)[]>): Rating[] {
  return Object.entries(byRater).flatMap(([rater, labels]) => labels.flatMap((label, i) => (label === null ? [] : [{ item: `q${i + 1}`, rater, label }])));
}

/** Every number in a JSON-ready value, to check none is NaN or infinite. */
function numbersIn(v: unknown): number[] {
  if (typeof v === 'number') return [v];
  if (Array.isArray(v)) return v.flatMap(numbersIn);
  if (v !== null && typeof v === 'object') return Object.values(v).flatMap(numbersIn);
  return [];
}

function expectJsonSafe(r: AgreementReport): void {
  expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  expect(numbersIn(r).every(Number.isFinite)).toBe(true);
}

const scale = ['1', '2', '3', '4', '5'];
const twoRaters = ratingsFrom({
  ann: ['1', '2', '3', '3', '2', '1', '4', '1', '2', '5', '4', '3'],
  bo: ['1', '2', '3', '3', '2', '2', '4', '1', '2', '5', '5', null],
});

describe('agreementReport', () => {
  it('reports every statistic for two raters on an ordinal scale, as the underlying functions compute them', () => {
    const r = agreementReport(twoRaters, { categories: scale, ordinal: true });
    const table = buildRatingTable(twoRaters, scale);
    expect(r).toMatchObject({ nItems: 12, nRatings: 23, raters: ['ann', 'bo'], nPairableItems: 11 });
    expect(r.percentAgreement.value).toBeCloseTo(9 / 11, 14);
    expect(r.cohenKappa).toEqual(cohenKappa(table));
    expect(r.weightedCohenKappa).toEqual(cohenKappa(table, { weights: 'quadratic' }));
    expect(r.fleissKappa).toEqual(fleissKappa(table));
    expect(r.krippendorffAlpha).toEqual(krippendorffAlpha(table, { metric: 'ordinal' }));
    expect(r.krippendorffAlpha.metric).toBe('ordinal');
    expect(r.disagreements).toEqual([
      { item: 'q6', labels: [{ rater: 'ann', label: '1' }, { rater: 'bo', label: '2' }] },
      { item: 'q11', labels: [{ rater: 'ann', label: '4' }, { rater: 'bo', label: '5' }] },
    ]);
    expect(r.perLabel.map((l) => l.category)).toEqual(scale);
    // Label '1': ann on q1, q6, q8 and bo on q1, q8; pairs with a '1': q1 (2), q6 (1), q8 (2), agreeing 2 + 2.
    expect(r.perLabel[0]).toMatchObject({ nRatings: 5, specificAgreement: { value: 4 / 5, reason: null } });
    expectJsonSafe(r);
  });

  it('gives no Cohen kappa for three raters and uses the nominal alpha for unordered labels', () => {
    const ratings = ratingsFrom({ a: ['x', 'y', 'z', 'x'], b: ['x', 'y', 'y', 'x'], c: ['x', 'z', 'z', null] });
    const r = agreementReport(ratings, { categories: ['x', 'y', 'z'], ordinal: false });
    expect(r.cohenKappa).toEqual({ value: null, reason: "Cohen's kappa compares exactly two raters; this queue has 3" });
    expect(r.weightedCohenKappa).toEqual({ value: null, reason: 'the categories are not ordinal, so no weighted kappa' });
    expect(r.fleissKappa.value).not.toBeNull();
    expect(r.krippendorffAlpha.metric).toBe('nominal');
    expect(r.disagreements.map((d) => d.item)).toEqual(['q2', 'q3']);
    expectJsonSafe(r);
  });

  it('reports agreement 1 and null kappas and alpha with a reason when every rating is the same label', () => {
    const r = agreementReport(ratingsFrom({ a: ['ok', 'ok', 'ok'], b: ['ok', 'ok', 'ok'] }), { categories: ['bad', 'ok', 'good'], ordinal: true });
    expect(r.percentAgreement.value).toBe(1);
    expect(r.cohenKappa).toMatchObject({ value: null, reason: NO_VARIATION_REASON });
    expect(r.weightedCohenKappa).toMatchObject({ value: null, reason: NO_VARIATION_REASON });
    expect(r.fleissKappa).toMatchObject({ value: null, reason: NO_VARIATION_REASON });
    expect(r.krippendorffAlpha).toMatchObject({ value: null, reason: NO_VARIATION_REASON });
    expect(r.perLabel[1]).toMatchObject({ nRatings: 6, specificAgreement: { value: 1 }, kappa: { value: null, reason: NO_VARIATION_REASON } });
    expect(r.disagreements).toEqual([]);
    expectJsonSafe(r);
  });

  it('reports nulls with reasons for no ratings at all', () => {
    const r = agreementReport([], { categories: ['a', 'b'], ordinal: false });
    expect(r).toMatchObject({ nItems: 0, nRatings: 0, raters: [], nPairableItems: 0, disagreements: [] });
    expect(r.percentAgreement).toMatchObject({ value: null, reason: NO_PAIRABLE_ITEM_REASON });
    expect(r.cohenKappa.value).toBeNull();
    expect(r.fleissKappa).toEqual({ value: null, reason: 'fewer than two raters (0)' });
    expect(r.krippendorffAlpha).toMatchObject({ value: null, reason: NO_PAIRABLE_ITEM_REASON });
    expectJsonSafe(r);
  });

  it('reports nulls with reasons for one rater, and for two raters who never rated the same item', () => {
    const one = agreementReport(ratingsFrom({ a: ['a', 'b'] }), { categories: ['a', 'b'], ordinal: false });
    expect(one.fleissKappa).toEqual({ value: null, reason: 'fewer than two raters (1)' });
    expect(one.cohenKappa.value).toBeNull();
    expectJsonSafe(one);
    const apart = agreementReport(ratingsFrom({ a: ['a', 'b', null, null], b: [null, null, 'a', 'b'] }), { categories: ['a', 'b'], ordinal: true });
    expect(apart.cohenKappa).toMatchObject({ value: null, reason: 'no item was rated by both raters' });
    expect(apart.weightedCohenKappa).toMatchObject({ value: null, reason: 'no item was rated by both raters' });
    expect(apart.fleissKappa).toMatchObject({ value: null, reason: NO_PAIRABLE_ITEM_REASON });
    expect(apart.krippendorffAlpha).toMatchObject({ value: null, reason: NO_PAIRABLE_ITEM_REASON });
    expect(apart.percentAgreement.value).toBeNull();
    expect(apart.disagreements).toEqual([]);
    expectJsonSafe(apart);
  });

  it('reports one item: kappa 0 and alpha 0 when its two raters differ, no bootstrap interval', () => {
    const r = agreementReport(ratingsFrom({ a: ['a'], b: ['b'] }), { categories: ['a', 'b'], ordinal: false });
    expect(r.cohenKappa.value).toBe(0);
    expect(r.krippendorffAlpha.value).toBe(0);
    expect(r.fleissKappa.value).toBe(-1);
    expect(r.disagreements).toHaveLength(1);
    expectJsonSafe(r);
  });

  it('is reproducible, and the seed and iterations options reach the bootstrap', () => {
    const options = { categories: scale, ordinal: true } as const;
    expect(agreementReport(twoRaters, options)).toEqual(agreementReport(twoRaters, options));
    const seeded = agreementReport(twoRaters, { ...options, seed: 5, bootstrapIterations: 300 });
    expect(seeded.krippendorffAlpha.bootstrap).toMatchObject({ seed: 5, iterations: 300 });
    expect(seeded.fleissKappa).toMatchObject({ bootstrap: { seed: 5, iterations: 300 } });
  });

  it('rejects a label outside the categories and a rater rating an item twice', () => {
    expect(() => agreementReport(ratingsFrom({ a: ['a', 'c'] }), { categories: ['a', 'b'], ordinal: false })).toThrow(EvalOpsError);
    const twice = [...ratingsFrom({ a: ['a'] }), ...ratingsFrom({ a: ['b'] })];
    expect(() => agreementReport(twice, { categories: ['a', 'b'], ordinal: false })).toThrow(EvalOpsError);
  });
});
