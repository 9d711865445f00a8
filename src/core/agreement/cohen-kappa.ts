import { EvalOpsError } from '../errors.js';
import { Z95 } from '../stats.js';
import { normalTwoSidedP } from '../stats/normal-cdf.js';
import type { RatingTable } from './rating-table.js';
import { NO_VARIATION_REASON } from './statistic-value.js';

/**
 * Agreement weights: 'none' (Cohen 1960), 'linear' 1 − |i − j|/(K − 1) (Cicchetti & Allison),
 * 'quadratic' 1 − (i − j)²/(K − 1)² (Fleiss & Cohen), or a K × K matrix of agreement weights in
 * [0, 1] with 1 on the diagonal (Cohen 1968). Linear and quadratic read the categories as equally
 * spaced, in their listed order.
 */
export type KappaWeights = 'none' | 'linear' | 'quadratic' | readonly (readonly number[])[];

export interface CohenKappaOptions {
  readonly weights?: KappaWeights;
  /** The two raters to compare; may be left out when the table has exactly two. */
  readonly raters?: readonly [string, string];
}

interface CohenKappaCommon {
  readonly weights: 'none' | 'linear' | 'quadratic' | 'custom';
  /** Items rated by both raters. */
  readonly n: number;
  /** p_o = Σ w_ij p_ij, or null when n = 0. */
  readonly observedAgreement: number | null;
  /** p_e = Σ w_ij p_i· p_·j, or null when n = 0. */
  readonly expectedAgreement: number | null;
}

/** Cohen's kappa, or null with a reason, plus the quantities it comes from. */
export type CohenKappa = CohenKappaCommon &
  (
    | {
        readonly value: number;
        readonly reason: null;
        /** Asymptotic standard error (Fleiss, Cohen & Everitt 1969). */
        readonly standardError: number;
        /** value ± 1.96·standardError, clipped to [−1, 1]. */
        readonly interval: readonly [number, number];
        /** Standard error under H0: κ = 0 (same source). */
        readonly nullStandardError: number;
        /** Two-sided p-value of H0: κ = 0, value / nullStandardError against the normal; null when nullStandardError is 0. */
        readonly pValue: number | null;
      }
    | {
        readonly value: null;
        readonly reason: string;
        readonly standardError: null;
        readonly interval: null;
        readonly nullStandardError: null;
        readonly pValue: null;
      }
  );

/**
 * Cohen's kappa between two raters over the items both rated: κ = (p_o − p_e)/(1 − p_e) with the
 * chosen agreement weights (unweighted: Cohen 1960; weighted: Cohen 1968).
 *
 * Degenerate cases, each `value: null` with a reason: no item rated by both; p_e = 1 — every rating
 * the same label (0/0; the observed agreement is then 1 and is still reported), or custom weights
 * that give full credit to every pair of labels used.
 * @example
 * const table = buildRatingTable(ratings, ['bad', 'ok', 'good']);
 * cohenKappa(table, { weights: 'quadratic' }).value
 */
export function cohenKappa(table: RatingTable, options: CohenKappaOptions = {}): CohenKappa {
  const [a, b] = pickRaters(table, options.raters);
  const k = table.categories.length;
  const counts = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const row of table.labels) {
    const la = row[a];
    const lb = row[b];
    if (la === null || la === undefined || lb === null || lb === undefined) continue;
    (counts[la] as number[])[lb]! += 1;
  }
  return cohenKappaFromCounts(counts, options.weights ?? 'none');
}

/**
 * Cohen's kappa from a K × K cross-table: counts[i][j] items that the first rater put in category
 * i and the second in category j. See {@link cohenKappa}.
 *
 * Standard errors are the large-sample ones of Fleiss, Cohen & Everitt (1969), for any weights:
 *   var(κ) = [Σ p_ij (w_ij − (w̄_i· + w̄_·j)(1 − κ))² − (κ − p_e(1 − κ))²] / (n (1 − p_e)²),
 *   var₀(κ) = [Σ p_i· p_·j (w_ij − (w̄_i· + w̄_·j))² − p_e²] / (n (1 − p_e)²),
 * with w̄_i· = Σ_j p_·j w_ij and w̄_·j = Σ_i p_i· w_ij (the formulas of SAS PROC FREQ and R irr).
 * @example cohenKappaFromCounts([[20, 5], [10, 15]], 'none').value // 0.4
 */
export function cohenKappaFromCounts(counts: readonly (readonly number[])[], weights: KappaWeights = 'none'): CohenKappa {
  const k = counts.length;
  counts.forEach((row, i) => {
    if (row.length !== k) throw new EvalOpsError('input', `the cross-table must be square: row ${i} has ${row.length} cells, not ${k}`);
    row.forEach((c, j) => {
      if (!(Number.isFinite(c) && c >= 0)) throw new EvalOpsError('input', `cell [${i}][${j}] is ${c}; counts must be finite and ≥ 0`);
    });
  });
  const w = weightMatrix(weights, k);
  const weightsName = typeof weights === 'string' ? weights : 'custom';
  const n = counts.reduce((s, row) => s + row.reduce((t, c) => t + c, 0), 0);
  if (n === 0) return undefinedKappa(weightsName, 0, null, null, 'no item was rated by both raters');

  const p = counts.map((row) => row.map((c) => c / n));
  const rowP = p.map((row) => row.reduce((s, v) => s + v, 0));
  const colP = Array.from({ length: k }, (_, j) => p.reduce((s, row) => s + (row[j] as number), 0));
  let po = 0;
  let pe = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const wij = at(w, i, j);
      po += wij * at(p, i, j);
      pe += wij * (rowP[i] as number) * (colP[j] as number);
    }
  }
  if (1 - pe <= 1e-12) {
    const used = rowP.map((r, i) => r + (colP[i] as number)).filter((v) => v > 0).length;
    const reason = used <= 1 ? NO_VARIATION_REASON : 'expected agreement is 1: the weights give full credit to every pair of labels used';
    return undefinedKappa(weightsName, n, po, pe, reason);
  }
  const kappa = (po - pe) / (1 - pe);

  const wRow = Array.from({ length: k }, (_, i) => colP.reduce((s, pj, j) => s + pj * at(w, i, j), 0)); // w̄_i·
  const wCol = Array.from({ length: k }, (_, j) => rowP.reduce((s, pi, i) => s + pi * at(w, i, j), 0)); // w̄_·j
  let sum = 0;
  let sum0 = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const wbar = (wRow[i] as number) + (wCol[j] as number);
      sum += at(p, i, j) * (at(w, i, j) - wbar * (1 - kappa)) ** 2;
      sum0 += (rowP[i] as number) * (colP[j] as number) * (at(w, i, j) - wbar) ** 2;
    }
  }
  const scale = n * (1 - pe) ** 2;
  // Rounding can leave a variance that is exactly 0 in theory a hair below it.
  const standardError = Math.sqrt(Math.max(0, (sum - (kappa - pe * (1 - kappa)) ** 2) / scale));
  const nullStandardError = Math.sqrt(Math.max(0, (sum0 - pe * pe) / scale));
  const interval: [number, number] = [Math.max(-1, kappa - Z95 * standardError), Math.min(1, kappa + Z95 * standardError)];
  // A zero null variance means one rater used a single category, where κ is 0 identically.
  const pValue = nullStandardError > 1e-15 ? normalTwoSidedP(kappa / nullStandardError) : null;
  return {
    weights: weightsName,
    n,
    observedAgreement: po,
    expectedAgreement: pe,
    value: kappa,
    reason: null,
    standardError,
    interval,
    nullStandardError,
    pValue,
  };
}

function pickRaters(table: RatingTable, raters: readonly [string, string] | undefined): [number, number] {
  if (raters === undefined) {
    if (table.raters.length !== 2) {
      throw new EvalOpsError('input', `Cohen's kappa compares two raters; the table has ${table.raters.length}, so name the two to compare`);
    }
    return [0, 1];
  }
  const a = table.raters.indexOf(raters[0]);
  const b = table.raters.indexOf(raters[1]);
  if (a < 0 || b < 0) throw new EvalOpsError('input', `rater "${a < 0 ? raters[0] : raters[1]}" has no rating in the table`);
  if (a === b) throw new EvalOpsError('input', `Cohen's kappa needs two different raters, not "${raters[0]}" twice`);
  return [a, b];
}

/** The K × K agreement weights; validates a custom matrix. */
function weightMatrix(weights: KappaWeights, k: number): number[][] {
  if (typeof weights !== 'string') {
    if (weights.length !== k || weights.some((row) => row.length !== k)) throw new EvalOpsError('input', `the weight matrix must be ${k} × ${k}, one row and column per category`);
    weights.forEach((row, i) =>
      row.forEach((v, j) => {
        if (!(v >= 0 && v <= 1)) throw new EvalOpsError('input', `weight [${i}][${j}] is ${v}; agreement weights lie in [0, 1]`);
        if (i === j && v !== 1) throw new EvalOpsError('input', `weight [${i}][${i}] is ${v}; full agreement has weight 1`);
      }),
    );
    return weights.map((row) => [...row]);
  }
  return Array.from({ length: k }, (_, i) =>
    Array.from({ length: k }, (_, j) => {
      if (i === j) return 1;
      if (weights === 'none') return 0;
      const d = Math.abs(i - j) / (k - 1);
      return weights === 'linear' ? 1 - d : 1 - d * d;
    }),
  );
}

function at(m: readonly (readonly number[])[], i: number, j: number): number {
  return (m[i] as readonly number[])[j] as number;
}

function undefinedKappa(weights: CohenKappa['weights'], n: number, po: number | null, pe: number | null, reason: string): CohenKappa {
  return { weights, n, observedAgreement: po, expectedAgreement: pe, value: null, reason, standardError: null, interval: null, nullStandardError: null, pValue: null };
}
