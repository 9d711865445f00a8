import { EvalOpsError } from '../errors.js';

/**
 * Holm's (1979) sequentially rejective step-down adjustment, "A simple sequentially rejective
 * multiple test procedure", Scand. J. Statist. 6:65–70. Rejecting every hypothesis whose adjusted
 * p-value is below α keeps the family-wise error rate at α under any dependence between the tests.
 *
 * Unweighted (R's `p.adjust(p, "holm")`): sort ascending; the i-th smallest (1-based) becomes
 * max_{j ≤ i} min(1, (m − j + 1)·p_(j)).
 *
 * Weighted (Holm 1979 §4, the weighted Bonferroni–Holm test): hypothesis i carries weight w_i ≥ 0;
 * order by p_i/w_i; at step j, with W_j the total weight of the hypotheses not yet rejected, the
 * adjusted value is max over earlier steps of min(1, p_(j)·W_j/w_(j)). Equal weights give the
 * unweighted procedure; a weight of 0 gives 1 (that test can never reject). Weights need not sum to
 * 1 — only their ratios matter.
 *
 * @returns adjusted p-values in the input order
 * @example holmAdjust([0.01, 0.02, 0.03, 0.04, 0.05]) // [0.05, 0.08, 0.09, 0.09, 0.09]
 */
export function holmAdjust(pValues: readonly number[], weights?: readonly number[]): number[] {
  const m = pValues.length;
  pValues.forEach((p, i) => {
    if (!(p >= 0 && p <= 1)) throw new EvalOpsError('input', `p-value ${i} is ${p}; p-values must lie in [0, 1]`);
  });
  if (weights !== undefined) {
    if (weights.length !== m) throw new EvalOpsError('input', `holmAdjust got ${m} p-values but ${weights.length} weights`);
    weights.forEach((w, i) => {
      if (!(w >= 0 && Number.isFinite(w))) throw new EvalOpsError('input', `weight ${i} is ${w}; weights must be finite and ≥ 0`);
    });
  }
  const w = weights ?? new Array<number>(m).fill(1);

  const order = [...pValues.keys()]
    .filter((i) => (w[i] as number) > 0)
    .sort((i, j) => {
      const ri = (pValues[i] as number) / (w[i] as number);
      const rj = (pValues[j] as number) / (w[j] as number);
      return ri - rj || i - j;
    });
  const adjusted = new Array<number>(m).fill(1);
  let remaining = 0;
  for (const i of order) remaining += w[i] as number;
  let running = 0;
  for (const i of order) {
    const wi = w[i] as number;
    const value = Math.min(1, ((pValues[i] as number) * remaining) / wi);
    running = Math.max(running, value);
    adjusted[i] = running;
    remaining -= wi;
  }
  return adjusted;
}
