import { itemBootstrapInterval, type ItemBootstrapInterval, type ItemBootstrapOptions } from './item-bootstrap.js';
import type { CategoryCounts } from './rating-table.js';

/** The 95% intervals of one label's figures: specific agreement and its kappa against the rest. */
export interface LabelIntervals {
  readonly category: string;
  readonly specificAgreement: ItemBootstrapInterval;
  readonly kappa: ItemBootstrapInterval;
}

/**
 * Percentile-bootstrap intervals over items (see itemBootstrapInterval; seeded, so reproducible) for
 * the per-label figures of an agreement report: specific agreement Σ n_ij(n_ij − 1) / Σ n_ij(m_i − 1)
 * (see percentAgreement) and Fleiss' kappa of the label against the rest,
 * κ_j = 1 − Σ_i n_ij(m_i − n_ij)/(m_i(m_i − 1)) / (N p_j q_j) (see fleissKappa). Items resample
 * whole, because the rater pairs of one item are not independent (so no binomial interval fits).
 * Items with fewer than two ratings carry no agreement and are left out.
 * @example labelIntervals({ categories: ['no', 'yes'], items: ['a', 'b'], counts: [[2, 0], [1, 1]] })[0].specificAgreement.interval
 */
export function labelIntervals(table: CategoryCounts, options: ItemBootstrapOptions = {}): LabelIntervals[] {
  const rows = table.counts.filter((row) => row.reduce((s, c) => s + c, 0) >= 2);
  const n = rows.length;
  const m = Float64Array.from(rows, (row) => row.reduce((s, c) => s + c, 0));
  return table.categories.map((category, j) => {
    // Per item: agreeing pairs in j, pairs with a j rating, ratings in j, and the split term of κ_j.
    const agree = new Float64Array(n);
    const pairs = new Float64Array(n);
    const inJ = new Float64Array(n);
    const split = new Float64Array(n);
    rows.forEach((row, i) => {
      const c = row[j] as number;
      const mi = m[i] as number;
      agree[i] = c * (c - 1);
      pairs[i] = c * (mi - 1);
      inJ[i] = c;
      split[i] = (c * (mi - c)) / (mi * (mi - 1));
    });
    const specificAgreement = itemBootstrapInterval(
      n,
      (w) => {
        let a = 0;
        let p = 0;
        for (let i = 0; i < n; i++) {
          const wi = w[i] as number;
          a += wi * (agree[i] as number);
          p += wi * (pairs[i] as number);
        }
        return p === 0 ? null : a / p;
      },
      options,
    );
    const kappa = itemBootstrapInterval(
      n,
      (w) => {
        let items = 0;
        let ratings = 0;
        let rated = 0;
        let spl = 0;
        for (let i = 0; i < n; i++) {
          const wi = w[i] as number;
          items += wi;
          ratings += wi * (m[i] as number);
          rated += wi * (inJ[i] as number);
          spl += wi * (split[i] as number);
        }
        const p = rated / ratings;
        const pq = p * (1 - p);
        return items === 0 || pq <= 1e-12 ? null : 1 - spl / (items * pq);
      },
      options,
    );
    return { category, specificAgreement, kappa };
  });
}
