import { describe, expect, it } from 'vitest';
import { EvalOpsError } from '../errors.js';
import { seededRandom } from '../stats/seeded-random.js';
import { cohenKappa, cohenKappaFromCounts, type CohenKappa, type KappaWeights } from './cohen-kappa.js';
import { buildRatingTable, type Rating } from './rating-table.js';
import { NO_VARIATION_REASON } from './statistic-value.js';

/** Ratings of two raters from their label sequences (null = missing). */
function ratingsOf(a: readonly (string | null)[], b: readonly (string | null)[]): Rating[] {
  const out: Rating[] = [];
  a.forEach((l, i) => l !== null && out.push({ item: `i${i}`, rater: 'A', label: l }));
  b.forEach((l, i) => l !== null && out.push({ item: `i${i}`, rater: 'B', label: l }));
  return out;
}

function defined(k: CohenKappa): Extract<CohenKappa, { value: number }> {
  if (k.value === null) throw new Error(`kappa undefined: ${k.reason}`);
  return k;
}

// The anxiety ratings of R's irr package (Gamer et al.): 20 subjects, 3 raters, scores 1–6;
// the same table is in statsmodels' test_inter_rater.py.
const anxiety = {
  rater1: [3, 3, 3, 4, 5, 5, 2, 3, 5, 2, 2, 6, 1, 5, 2, 2, 1, 2, 4, 3],
  rater2: [3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4],
  rater3: [2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2],
};
const str = (xs: readonly number[]): string[] => xs.map(String);

/** Brute-force κ of an arbitrary non-negative table: the function the delta method differentiates. */
function kappaOf(p: readonly number[][], w: readonly number[][]): number {
  const k = p.length;
  const total = p.flat().reduce((s, v) => s + v, 0);
  let po = 0;
  let pe = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const row = p[i]!.reduce((s, v) => s + v, 0) / total;
      const col = p.reduce((s, r) => s + r[j]!, 0) / total;
      po += (w[i]![j]! * p[i]![j]!) / total;
      pe += w[i]![j]! * row * col;
    }
  }
  return (po - pe) / (1 - pe);
}

/**
 * Multinomial delta-method standard error of κ̂ at cell proportions p, by central differences:
 * var = (Σ p_ij g_ij² − (Σ p_ij g_ij)²)/n with g = ∇κ. Independent of the closed form under test.
 */
function deltaMethodSe(p: readonly number[][], w: readonly number[][], n: number): number {
  const h = 1e-6;
  let s1 = 0;
  let s2 = 0;
  p.forEach((row, i) =>
    row.forEach((pij, j) => {
      const up = p.map((r) => [...r]);
      const down = p.map((r) => [...r]);
      up[i]![j]! += h;
      down[i]![j]! -= h;
      const g = (kappaOf(up, w) - kappaOf(down, w)) / (2 * h);
      s1 += pij * g * g;
      s2 += pij * g;
    }),
  );
  return Math.sqrt((s1 - s2 * s2) / n);
}

function weightsFor(kind: 'none' | 'linear' | 'quadratic', k: number): number[][] {
  return Array.from({ length: k }, (_, i) =>
    Array.from({ length: k }, (_, j) => (kind === 'none' ? (i === j ? 1 : 0) : kind === 'linear' ? 1 - Math.abs(i - j) / (k - 1) : 1 - ((i - j) / (k - 1)) ** 2)),
  );
}

describe('cohenKappa', () => {
  it('gives κ = 0.4 on the Wikipedia worked example (50 items: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no)', () => {
    // Wikipedia, "Cohen's kappa", Examples: p_o = 0.7, p_e = 0.5, κ = 0.4.
    const a = [...Array(25).fill('yes'), ...Array(25).fill('no')] as string[];
    const b = [...Array(20).fill('yes'), ...Array(5).fill('no'), ...Array(10).fill('yes'), ...Array(15).fill('no')] as string[];
    const k = defined(cohenKappa(buildRatingTable(ratingsOf(a, b), ['no', 'yes'])));
    expect(k.value).toBeCloseTo(0.4, 12);
    expect(k.observedAgreement).toBeCloseTo(0.7, 12);
    expect(k.expectedAgreement).toBeCloseTo(0.5, 12);
    expect(k.n).toBe(50);
    expect(cohenKappaFromCounts([[20, 5], [10, 15]]).value).toBeCloseTo(0.4, 12);
  });

  it('matches the SAS PROC FREQ printout for a 3 × 3 table, unweighted and Cicchetti–Allison (linear) weighted', () => {
    // SAS output recorded in statsmodels' test_inter_rater.py (UnweightedCohens, TestWeightedCohens):
    // simple kappa 0.4842, ASE 0.1380, 95% CI 0.2137–0.7547, ASE under H0 0.1484, two-sided p 0.0011;
    // weighted kappa 0.4701, ASE 0.1457, 95% CI 0.1845–0.7558, ASE under H0 0.1426, two-sided p 0.0010.
    const table = [
      [0, 4, 1],
      [0, 8, 0],
      [0, 1, 5],
    ];
    const u = defined(cohenKappaFromCounts(table, 'none'));
    expect(u.value).toBeCloseTo(0.4842, 4);
    expect(u.standardError).toBeCloseTo(0.138, 4);
    expect(u.interval[0]).toBeCloseTo(0.2137, 4);
    expect(u.interval[1]).toBeCloseTo(0.7547, 4);
    expect(u.nullStandardError).toBeCloseTo(0.1484, 4);
    expect(u.pValue).toBeCloseTo(0.0011, 4);
    const w = defined(cohenKappaFromCounts(table, 'linear'));
    expect(w.weights).toBe('linear');
    expect(w.value).toBeCloseTo(0.4701, 4);
    expect(w.standardError).toBeCloseTo(0.1457, 4);
    expect(w.interval[0]).toBeCloseTo(0.1845, 4);
    expect(w.interval[1]).toBeCloseTo(0.7558, 4);
    expect(w.nullStandardError).toBeCloseTo(0.1426, 4);
    expect(w.pValue).toBeCloseTo(0.001, 4);
  });

  it('matches R irr::kappa2 on the anxiety data, unweighted, "equal" and "squared"', () => {
    // R output recorded in statsmodels' test_inter_rater.py (test_cohens_kappa_irr), raters 2 and 3.
    // irr builds the table from the levels present (1, 2, 3, 4, 6: nobody used 5), so those are the
    // categories here. irr's z is κ / (standard error under H0).
    const table = buildRatingTable(ratingsOf(str(anxiety.rater2), str(anxiety.rater3)), ['1', '2', '3', '4', '6']);
    const cases: [KappaWeights, number, number, number][] = [
      ['none', -0.006289308, -0.0604067, 0.9518317],
      ['linear', 0.1459075, 1.282472, 0.1996772],
      ['quadratic', 0.2520325, 1.437451, 0.1505898],
    ];
    for (const [weights, value, z, p] of cases) {
      const k = defined(cohenKappa(table, { weights }));
      expect(k.value).toBeCloseTo(value, 7);
      expect(k.value / k.nullStandardError).toBeCloseTo(z, 5);
      expect(k.pValue).toBeCloseTo(p, 6);
    }
    // irr::kappa2(anxiety[, 1:2], "squared"): κ = 0.297, z = 1.34 (as reproduced by pyirr's tests).
    const k12 = defined(cohenKappa(buildRatingTable(ratingsOf(str(anxiety.rater1), str(anxiety.rater2)), ['1', '2', '3', '4', '5', '6']), { weights: 'quadratic' }));
    expect(k12.value).toBeCloseTo(0.297, 3);
    expect(k12.value / k12.nullStandardError).toBeCloseTo(1.34, 2);
  });

  it("reproduces Cohen's (1968) Table 1 with his disagreement weights: κ = .492, κ_w = .348", () => {
    // Cohen (1968), Psychological Bulletin 70:213–220, Table 1 (200 cases; rows judge B, columns
    // judge A; personality disorder, neurosis, psychosis), as in the example of R psych::cohen.kappa.
    // Disagreement weights v: 1 PD–N, 3 PD–P, 6 N–P; κ_w depends only on ratios of v, so agreement
    // weights w = 1 − v/6 give the same coefficient. By hand: p_o = .70, p_e = .41, κ = .29/.59;
    // Σ v p_o = .90, Σ v p_e = 1.38, κ_w = 1 − .90/1.38.
    const table = [
      [88, 14, 18],
      [10, 40, 10],
      [2, 6, 12],
    ];
    const v = [
      [0, 1, 3],
      [1, 0, 6],
      [3, 6, 0],
    ];
    expect(cohenKappaFromCounts(table).value).toBeCloseTo(0.29 / 0.59, 12);
    expect(cohenKappaFromCounts(table).value).toBeCloseTo(0.492, 3);
    const weighted = cohenKappaFromCounts(table, v.map((row) => row.map((x) => 1 - x / 6)));
    expect(weighted.weights).toBe('custom');
    expect(weighted.value).toBeCloseTo(1 - 0.9 / 1.38, 12);
    expect(weighted.value).toBeCloseTo(0.348, 3);
  });

  it('gives standard errors equal to the multinomial delta method, for every weighting', () => {
    const r = seededRandom(3);
    for (let trial = 0; trial < 6; trial++) {
      const k = 2 + (trial % 4);
      const counts = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => r.nextInt(i === j ? 30 : 10) + 1));
      const n = counts.flat().reduce((s, v) => s + v, 0);
      const p = counts.map((row) => row.map((c) => c / n));
      for (const kind of ['none', 'linear', 'quadratic'] as const) {
        const w = weightsFor(kind, k);
        const got = defined(cohenKappaFromCounts(counts, kind));
        expect(got.value).toBeCloseTo(kappaOf(p, w), 12);
        expect(got.standardError).toBeCloseTo(deltaMethodSe(p, w, n), 7);
        // The null variance is the same delta method at the independence table p_i· p_·j.
        const rows = p.map((row) => row.reduce((s, v) => s + v, 0));
        const cols = p[0]!.map((_, j) => p.reduce((s, row) => s + row[j]!, 0));
        const independent = rows.map((ri) => cols.map((cj) => ri * cj));
        expect(got.nullStandardError).toBeCloseTo(deltaMethodSe(independent, w, n), 7);
      }
    }
  });

  it('gives quadratic-weighted κ equal to 2·s_xy / (s_x² + s_y² + (x̄ − ȳ)²) with 1/n moments', () => {
    // The identity follows from Σ p_ij (i − j)² = E(X − Y)² and its value under independence.
    const r = seededRandom(11);
    for (let trial = 0; trial < 5; trial++) {
      const x = Array.from({ length: 40 }, () => r.nextInt(5));
      const y = x.map((v) => Math.min(4, Math.max(0, v + r.nextInt(3) - 1)));
      const mean = (a: number[]): number => a.reduce((s, v) => s + v, 0) / a.length;
      const mx = mean(x);
      const my = mean(y);
      const sxy = mean(x.map((v, i) => (v - mx) * (y[i]! - my)));
      const sxx = mean(x.map((v) => (v - mx) ** 2));
      const syy = mean(y.map((v) => (v - my) ** 2));
      const k = cohenKappa(buildRatingTable(ratingsOf(str(x), str(y)), ['0', '1', '2', '3', '4']), { weights: 'quadratic' });
      expect(k.value).toBeCloseTo((2 * sxy) / (sxx + syy + (mx - my) ** 2), 12);
    }
  });

  it('clips the interval to [−1, 1]', () => {
    const k = defined(cohenKappaFromCounts([[5, 1], [0, 5]]));
    expect(k.value + 1.959963984540054 * k.standardError).toBeGreaterThan(1);
    expect(k.interval[1]).toBe(1);
    expect(k.interval[0]).toBeCloseTo(k.value - 1.959963984540054 * k.standardError, 12);
    expect(defined(cohenKappaFromCounts([[0, 5], [5, 0]])).interval[0]).toBeGreaterThanOrEqual(-1);
  });

  it('uses only the items both raters rated', () => {
    const k = cohenKappa(buildRatingTable(ratingsOf(['yes', 'no', 'yes', null], ['yes', 'no', null, 'no']), ['no', 'yes']));
    expect(k.n).toBe(2);
    expect(k.value).toBe(1);
  });

  it('is null with a reason when every rating is the same label, and still reports agreement 1', () => {
    const k = cohenKappa(buildRatingTable(ratingsOf(['ok', 'ok', 'ok'], ['ok', 'ok', 'ok']), ['bad', 'ok']), { weights: 'quadratic' });
    expect(k).toMatchObject({ value: null, reason: NO_VARIATION_REASON, observedAgreement: 1, expectedAgreement: 1, n: 3, standardError: null, interval: null });
  });

  it('is null with a reason when custom weights give full credit to every pair of labels used', () => {
    const k = cohenKappaFromCounts([[1, 2], [3, 4]], [[1, 1], [1, 1]]);
    expect(k).toMatchObject({ value: null, reason: 'expected agreement is 1: the weights give full credit to every pair of labels used', expectedAgreement: 1 });
  });

  it('handles one item: agreement is 0/0, disagreement is κ = 0', () => {
    expect(cohenKappa(buildRatingTable(ratingsOf(['a'], ['a']), ['a', 'b'])).value).toBeNull();
    const k = defined(cohenKappa(buildRatingTable(ratingsOf(['a'], ['b']), ['a', 'b'])));
    expect(k.value).toBe(0);
    expect(k.pValue).toBeNull(); // null SE is 0: each rater used one category
    expect(Number.isFinite(k.standardError)).toBe(true);
  });

  it('is null with a reason when the two raters never rated the same item', () => {
    const k = cohenKappa(buildRatingTable(ratingsOf(['a', 'b', null, null], [null, null, 'a', 'b']), ['a', 'b']));
    expect(k).toMatchObject({ value: null, reason: 'no item was rated by both raters', n: 0, observedAgreement: null });
  });

  it('names the raters to compare when there are more than two, and rejects bad requests', () => {
    const ratings = [...ratingsOf(['a', 'b', 'a'], ['a', 'b', 'b']), { item: 'i0', rater: 'C', label: 'b' }];
    const table = buildRatingTable(ratings, ['a', 'b']);
    expect(() => cohenKappa(table)).toThrow(EvalOpsError);
    expect(cohenKappa(table, { raters: ['A', 'B'] }).n).toBe(3);
    expect(cohenKappa(table, { raters: ['A', 'C'] }).n).toBe(1);
    expect(() => cohenKappa(table, { raters: ['A', 'Z'] })).toThrow(EvalOpsError);
    expect(() => cohenKappa(table, { raters: ['A', 'A'] })).toThrow(EvalOpsError);
  });

  it('rejects a malformed table or weight matrix', () => {
    expect(() => cohenKappaFromCounts([[1, 2]])).toThrow(EvalOpsError);
    expect(() => cohenKappaFromCounts([[1, -2], [0, 1]])).toThrow(EvalOpsError);
    expect(() => cohenKappaFromCounts([[1, 2], [0, 1]], [[1, 0.5]])).toThrow(EvalOpsError);
    expect(() => cohenKappaFromCounts([[1, 2], [0, 1]], [[0.9, 0.5], [0.5, 1]])).toThrow(EvalOpsError);
    expect(() => cohenKappaFromCounts([[1, 2], [0, 1]], [[1, 2], [0, 1]])).toThrow(EvalOpsError);
  });
});
