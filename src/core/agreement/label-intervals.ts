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
  const m = rows.map((row) => row.reduce((s, c) => s + c, 0));
  return table.categories.map((category, j) => {
    const specificAgreement = itemBootstrapInterval(
      rows.length,
      (w) => {
        let agree = 0;
        let pairs = 0;
        rows.forEach((row, i) => {
          const c = row[j] as number;
          agree += (w[i] as number) * c * (c - 1);
          pairs += (w[i] as number) * c * ((m[i] as number) - 1);
        });
        return pairs === 0 ? null : agree / pairs;
      },
      options,
    );
    const kappa = itemBootstrapInterval(
      rows.length,
      (w) => {
        let items = 0;
        let ratings = 0;
        let inJ = 0;
        let split = 0;
        rows.forEach((row, i) => {
          const wi = w[i] as number;
          if (wi === 0) return;
          const c = row[j] as number;
          const mi = m[i] as number;
          items += wi;
          ratings += wi * mi;
          inJ += wi * c;
          split += (wi * c * (mi - c)) / (mi * (mi - 1));
        });
        const p = inJ / ratings;
        const pq = p * (1 - p);
        return items === 0 || pq <= 1e-12 ? null : 1 - split / (items * pq);
      },
      options,
    );
    return { category, specificAgreement, kappa };
  });
}
