import { normalTwoSidedP } from '../stats/normal-cdf.js';
import { itemBootstrapInterval, type ItemBootstrapInterval, type ItemBootstrapOptions } from './item-bootstrap.js';
import { assertCategoryCounts, type CategoryCounts } from './rating-table.js';
import { NO_PAIRABLE_ITEM_REASON, NO_VARIATION_REASON, undefinedStatistic, type StatisticValue } from './statistic-value.js';

/** Fleiss' kappa of one category against all the others. */
export type FleissCategoryKappa = {
  readonly category: string;
  /** Share of all ratings in this category (p_j). */
  readonly share: number;
  /** Standard error of this kappa under H0 (Fleiss, Nee & Landis 1979); null when raters per item vary. */
  readonly nullStandardError: number | null;
} & StatisticValue;

interface FleissKappaCommon {
  /** Items with two or more ratings (the others are left out). */
  readonly nItems: number;
  /** Ratings on those items. */
  readonly nRatings: number;
  /** The number of ratings per item when it is the same for every item, else null. */
  readonly ratersPerItem: number | null;
  /** P̄, the mean over items of the share of agreeing rater pairs; null without items. */
  readonly observedAgreement: number | null;
  /** P_e = Σ_j p_j²; null without items. */
  readonly expectedAgreement: number | null;
  readonly perCategory: readonly FleissCategoryKappa[];
}

/** Fleiss' kappa, or null with a reason. */
export type FleissKappa = FleissKappaCommon &
  (
    | {
        readonly value: number;
        readonly reason: null;
        /** Percentile bootstrap over items. */
        readonly bootstrap: ItemBootstrapInterval;
        /** Standard error under H0: κ = 0 (Fleiss, Nee & Landis 1979); null when raters per item vary. */
        readonly nullStandardError: number | null;
        /** Two-sided p-value of H0: κ = 0 from nullStandardError; null with it. */
        readonly pValue: number | null;
      }
    | { readonly value: null; readonly reason: string; readonly bootstrap: null; readonly nullStandardError: null; readonly pValue: null }
  );

/** Item statistics every resample reuses. */
interface FleissItems {
  readonly k: number;
  /** m_i per pairable item. */
  readonly m: Float64Array;
  /** P_i per pairable item. */
  readonly agreement: Float64Array;
  /** n_ij, item-major (i·k + j). */
  readonly n: Float64Array;
  /** Σ_j n_ij(m_i − n_ij)/(m_i(m_i − 1)) per item, item-major: the per-category disagreement. */
  readonly split: Float64Array;
}

/**
 * Fleiss' (1971) kappa for any number of raters: κ = (P̄ − P_e)/(1 − P_e), P_i the share of
 * agreeing rater pairs on item i, P̄ their mean, p_j the share of ratings in category j and
 * P_e = Σ p_j². Raters need not be the same people on every item.
 *
 * The number of ratings may vary between items. Then P_i = Σ_j n_ij(n_ij − 1)/(m_i(m_i − 1)) and
 * p_j = Σ_i n_ij / Σ_i m_i: if every rating were an independent draw from p, each P_i would have
 * expectation Σ p_j² whatever m_i, so P_e remains the chance level of P̄; with a constant m this is
 * exactly Fleiss (1971). Items with fewer than two ratings are left out.
 *
 * Per category j (Fleiss 1971): the kappa of "j" against "not j",
 *   κ_j = 1 − Σ_i n_ij(m_i − n_ij)/(m_i(m_i − 1)) / (N p_j q_j),
 * undefined for a category nobody, or everybody, used.
 *
 * Standard errors under H0 (Fleiss, Nee & Landis 1979), given only for a constant m because the
 * formulas assume it: se₀(κ) = √2 · √((Σ p_j q_j)² − Σ p_j q_j (q_j − p_j)) / (Σ p_j q_j · √(N m (m − 1)))
 * and se₀(κ_j) = √(2 / (N m (m − 1))). They test κ = 0; for an interval use the bootstrap, a
 * percentile bootstrap over items (see itemBootstrapInterval; seeded, so reproducible).
 *
 * Undefined (value null) without a pairable item, or when every rating is the same label (P_e = 1).
 * @example fleissKappa({ categories: ['no', 'yes'], items: ['a', 'b'], counts: [[3, 0], [1, 2]] }).value // 0.25
 */
export function fleissKappa(table: CategoryCounts, options: ItemBootstrapOptions = {}): FleissKappa {
  assertCategoryCounts(table);
  const items = fleissItems(table);
  const nItems = items.m.length;
  const k = items.k;
  const ones = new Uint32Array(nItems).fill(1);
  const est = estimate(items, ones);
  const nRatings = items.m.reduce((s, v) => s + v, 0);
  const constantM = nItems > 0 && items.m.every((v) => v === items.m[0]) ? (items.m[0] as number) : null;
  const common = { nItems, nRatings, ratersPerItem: constantM };
  const shares = Array.from({ length: k }, (_, j) => (nRatings > 0 ? est.p[j] as number : 0));

  const perCategory: FleissCategoryKappa[] = table.categories.map((category, j) => {
    const p = shares[j] as number;
    const nullStandardError = constantM === null ? null : Math.sqrt(2 / (nItems * constantM * (constantM - 1)));
    if (nItems === 0) return { category, share: 0, nullStandardError: null, ...undefinedStatistic(NO_PAIRABLE_ITEM_REASON) };
    if (p === 0) return { category, share: p, nullStandardError, ...undefinedStatistic(`no rating is "${category}"`) };
    if (p === 1) return { category, share: p, nullStandardError, ...undefinedStatistic(NO_VARIATION_REASON) };
    let split = 0;
    for (let i = 0; i < nItems; i++) split += items.split[i * k + j] as number;
    return { category, share: p, nullStandardError, value: 1 - split / (nItems * p * (1 - p)), reason: null };
  });

  if (nItems === 0) return { ...common, observedAgreement: null, expectedAgreement: null, perCategory, ...noKappa(NO_PAIRABLE_ITEM_REASON) };
  const observedAgreement = est.pBar;
  const expectedAgreement = est.pe;
  if (est.kappa === null) return { ...common, observedAgreement, expectedAgreement, perCategory, ...noKappa(NO_VARIATION_REASON) };

  let nullStandardError: number | null = null;
  if (constantM !== null) {
    let spq = 0;
    let spqqp = 0;
    for (const p of shares) {
      spq += p * (1 - p);
      spqqp += p * (1 - p) * (1 - 2 * p);
    }
    nullStandardError = (Math.SQRT2 * Math.sqrt(Math.max(0, spq * spq - spqqp))) / (spq * Math.sqrt(nItems * constantM * (constantM - 1)));
  }
  const pValue = nullStandardError !== null && nullStandardError > 0 ? normalTwoSidedP(est.kappa / nullStandardError) : null;
  const bootstrap = itemBootstrapInterval(nItems, (w) => estimate(items, w).kappa, options);
  return { ...common, observedAgreement, expectedAgreement, perCategory, value: est.kappa, reason: null, bootstrap, nullStandardError, pValue };
}

function noKappa(reason: string): { value: null; reason: string; bootstrap: null; nullStandardError: null; pValue: null } {
  return { value: null, reason, bootstrap: null, nullStandardError: null, pValue: null };
}

function fleissItems(table: CategoryCounts): FleissItems {
  const k = table.categories.length;
  const rows = table.counts.filter((row) => row.reduce((s, c) => s + c, 0) >= 2);
  const m = new Float64Array(rows.length);
  const agreement = new Float64Array(rows.length);
  const n = new Float64Array(rows.length * k);
  const split = new Float64Array(rows.length * k);
  rows.forEach((row, i) => {
    const mi = row.reduce((s, c) => s + c, 0);
    m[i] = mi;
    let agree = 0;
    row.forEach((c, j) => {
      n[i * k + j] = c;
      agree += c * (c - 1);
      split[i * k + j] = (c * (mi - c)) / (mi * (mi - 1));
    });
    agreement[i] = agree / (mi * (mi - 1));
  });
  return { k, m, agreement, n, split };
}

/** P̄, p, P_e and κ with item i counted w[i] times; κ null when P_e = 1. */
function estimate(items: FleissItems, w: Uint32Array): { pBar: number; p: Float64Array; pe: number; kappa: number | null } {
  const k = items.k;
  const p = new Float64Array(k);
  let weight = 0;
  let pBar = 0;
  let ratings = 0;
  for (let i = 0; i < w.length; i++) {
    const wi = w[i] as number;
    if (wi === 0) continue;
    weight += wi;
    pBar += wi * (items.agreement[i] as number);
    ratings += wi * (items.m[i] as number);
    for (let j = 0; j < k; j++) p[j]! += wi * (items.n[i * k + j] as number);
  }
  let pe = 0;
  for (let j = 0; j < k; j++) {
    p[j]! /= ratings;
    pe += (p[j] as number) ** 2;
  }
  pBar /= weight;
  const kappa = 1 - pe > 1e-12 ? (pBar - pe) / (1 - pe) : null;
  return { pBar, p, pe, kappa };
}
