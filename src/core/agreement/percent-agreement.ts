import { itemBootstrapInterval, type ItemBootstrapInterval, type ItemBootstrapOptions } from './item-bootstrap.js';
import { assertCategoryCounts, type CategoryCounts } from './rating-table.js';
import { NO_PAIRABLE_ITEM_REASON, statisticValue, undefinedStatistic, type StatisticValue } from './statistic-value.js';

/** Specific agreement on one category. */
export type CategoryAgreement = {
  readonly category: string;
  /** Ratings in this category on items with two or more ratings. */
  readonly nRatings: number;
} & StatisticValue;

/** Observed (chance-uncorrected) agreement. */
export type PercentAgreement = {
  /** Items with two or more ratings; the others carry no agreement information. */
  readonly nItems: number;
  /** Rater pairs on those items: Σ m_i(m_i − 1)/2. */
  readonly nPairs: number;
  /** Specific agreement per category, in category order. */
  readonly perCategory: readonly CategoryAgreement[];
  /** Percentile bootstrap over items of the overall agreement; null when it is undefined. */
  readonly bootstrap: ItemBootstrapInterval | null;
} & StatisticValue;

/**
 * Observed agreement: for each item with m_i ≥ 2 ratings, the share of its m_i(m_i − 1)/2 rater
 * pairs that gave the same label, Σ_k n_ik(n_ik − 1) / (m_i(m_i − 1)); then the mean over those
 * items, each item counting once (Fleiss' P̄). For two raters this is the share of items on which
 * they agree. Items with a single rating are ignored.
 *
 * Specific agreement per category k, in its pairwise form for any number of raters (J. Uebersax,
 * "Raw agreement indices"): of the rater pairs in which at least one member said k, the share in
 * which both did,
 *   ps_k = Σ_i n_ik(n_ik − 1) / Σ_i n_ik(m_i − 1),
 * which for two raters is 2·n_kk / (row_k + col_k) — positive and negative agreement for a yes/no
 * label. Undefined (null with a reason) for a category no pairable rating used.
 *
 * Undefined when no item has two ratings. With every rating the same label, agreement is 1.
 * @example percentAgreement({ categories: ['no', 'yes'], items: ['a', 'b'], counts: [[2, 0], [1, 1]] }).value // 0.5
 */
export function percentAgreement(table: CategoryCounts, options: ItemBootstrapOptions = {}): PercentAgreement {
  assertCategoryCounts(table);
  const k = table.categories.length;
  const agreeingPairs = new Array<number>(k).fill(0); // Σ_i n_ik(n_ik − 1)
  const pairsWith = new Array<number>(k).fill(0); // Σ_i n_ik(m_i − 1)
  const ratingsIn = new Array<number>(k).fill(0);
  let nItems = 0;
  let nPairs = 0;
  let sumItemAgreement = 0;
  const itemAgreement: number[] = [];
  for (const row of table.counts) {
    const m = row.reduce((s, c) => s + c, 0);
    if (m < 2) continue;
    nItems += 1;
    nPairs += (m * (m - 1)) / 2;
    let agree = 0;
    row.forEach((c, j) => {
      agree += c * (c - 1);
      agreeingPairs[j]! += c * (c - 1);
      pairsWith[j]! += c * (m - 1);
      ratingsIn[j]! += c;
    });
    sumItemAgreement += agree / (m * (m - 1));
    itemAgreement.push(agree / (m * (m - 1)));
  }
  const perCategory: CategoryAgreement[] = table.categories.map((category, j) => {
    const nRatings = ratingsIn[j] as number;
    const den = pairsWith[j] as number;
    if (den === 0) return { category, nRatings, ...undefinedStatistic(`no rating of "${category}" on an item with two or more ratings`) };
    return { category, nRatings, ...statisticValue((agreeingPairs[j] as number) / den, 'not finite') };
  });
  const overall = nItems === 0 ? undefinedStatistic(NO_PAIRABLE_ITEM_REASON) : statisticValue(sumItemAgreement / nItems, 'not finite');
  const bootstrap =
    overall.value === null
      ? null
      : itemBootstrapInterval(
          nItems,
          (w) => {
            let sum = 0;
            let n = 0;
            for (let i = 0; i < nItems; i++) {
              sum += (w[i] as number) * (itemAgreement[i] as number);
              n += w[i] as number;
            }
            return n === 0 ? null : sum / n;
          },
          options,
        );
  return { nItems, nPairs, perCategory, bootstrap, ...overall };
}
