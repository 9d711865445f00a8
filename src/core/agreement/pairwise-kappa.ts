import { cohenKappa, type CohenKappa } from './cohen-kappa.js';
import type { RatingTable } from './rating-table.js';
import { undefinedStatistic, type UndefinedStatistic } from './statistic-value.js';

/** Cohen's kappa of one pair of raters, on the items both rated. */
export interface PairKappa {
  readonly raters: readonly [string, string];
  /** Items both raters labelled. */
  readonly n: number;
  readonly unweighted: CohenKappa;
  /** Linear weights 1 − |i − j|/(K − 1); undefined for nominal labels. */
  readonly linear: CohenKappa | UndefinedStatistic;
  /** Quadratic weights 1 − (i − j)²/(K − 1)²; undefined for nominal labels. */
  readonly quadratic: CohenKappa | UndefinedStatistic;
}

const NOMINAL_REASON = 'the labels are nominal (unordered), so no weighted kappa';

/**
 * Cohen's kappa for every pair of raters in the table, raters in name order (a stable order, whatever
 * order the ratings came in): (r1, r2), (r1, r3), …, (r2, r3), …, each with its large-sample standard error and 95% interval
 * (Fleiss, Cohen & Everitt 1969; see cohenKappaFromCounts). Weighted kappas only when `ordinal`.
 * A pair with no item in common is listed, its kappas undefined with the reason.
 * @example pairwiseKappa(buildRatingTable(ratings, ['bad', 'ok', 'good']), true)[0].quadratic.value
 */
export function pairwiseKappa(table: RatingTable, ordinal: boolean): PairKappa[] {
  const out: PairKappa[] = [];
  const raters = [...table.raters].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  raters.forEach((a, i) => {
    raters.slice(i + 1).forEach((b) => {
      const raters: [string, string] = [a, b];
      const unweighted = cohenKappa(table, { raters, weights: 'none' });
      out.push({
        raters,
        n: unweighted.n,
        unweighted,
        linear: ordinal ? cohenKappa(table, { raters, weights: 'linear' }) : undefinedStatistic(NOMINAL_REASON),
        quadratic: ordinal ? cohenKappa(table, { raters, weights: 'quadratic' }) : undefinedStatistic(NOMINAL_REASON),
      });
    });
  });
  return out;
}
