import type { MetricComparison } from '../comparison.js';
import { EvalOpsError } from '../errors.js';
import { familyWeights, OVERALL_SHARE } from './family-weights.js';

/**
 * The graphical approach to multiple testing of Bretz, Maurer, Brannath & Posch (2009), "A graphical
 * approach to sequentially rejective multiple test procedures", Statistics in Medicine 28:586–604.
 *
 * Each hypothesis H_i carries a weight w_i (Σ w ≤ 1) and a transition g_ij ≥ 0 to every other
 * hypothesis (g_ii = 0, Σ_j g_ij ≤ 1): when H_i is rejected, its weight passes to the others in those
 * proportions and the graph is updated (Algorithm 1 of the paper). Any such graph defines a
 * consonant closed test procedure whose intersection tests are weighted Bonferroni tests, so it
 * controls the family-wise error rate at α in the strong sense under ANY dependence between the
 * tests (the paper's Theorem 1). Weighted Holm is the special graph g_ij = w_j / Σ_{k≠i} w_k.
 */

/** A graph of weights and transitions, one row of `transitions` per hypothesis. */
export interface TestGraph {
  readonly weights: readonly number[];
  readonly transitions: readonly (readonly number[])[];
}

/**
 * Adjusted p-values of the graphical procedure (Bretz et al. 2009, §3 and the R package gMCP): at
 * each step the hypothesis with the smallest p_j / w_j (current weights) is taken, its adjusted value
 * is the running maximum of min(1, p_j / w_j), and its weight is passed on along the graph. H_i is
 * rejected at level α exactly when its adjusted p-value is ≤ α. Hypotheses left with weight 0 get 1.
 * @example graphicalAdjust([0.01, 0.04], { weights: [0.5, 0.5], transitions: [[0, 1], [1, 0]] }) // [0.02, 0.04] (Holm)
 */
export function graphicalAdjust(pValues: readonly number[], graph: TestGraph): number[] {
  const m = pValues.length;
  if (graph.weights.length !== m || graph.transitions.length !== m) throw new EvalOpsError('input', `graphicalAdjust got ${m} p-values but ${graph.weights.length} weights and ${graph.transitions.length} transition rows`);
  const total = graph.weights.reduce((s, w) => s + w, 0);
  if (total > 1 + 1e-9) throw new EvalOpsError('input', `the weights of a test graph sum to at most 1, not ${total}`);
  const w = Float64Array.from(graph.weights);
  const g = graph.transitions.map((row, i) => {
    const s = row.reduce((a, b) => a + b, 0);
    if (row.length !== m || row[i] !== 0 || s > 1 + 1e-9 || row.some((x) => x < 0)) throw new EvalOpsError('input', `transition row ${i} must have ${m} non-negative entries, 0 on the diagonal, summing to at most 1`);
    return Float64Array.from(row);
  });
  const open = new Set<number>(pValues.keys());
  const adjusted = new Array<number>(m).fill(1);
  let running = 0;
  while (open.size > 0) {
    let j = -1;
    let best = Infinity;
    for (const i of open) {
      if ((w[i] as number) <= 0) continue;
      const r = (pValues[i] as number) / (w[i] as number);
      if (r < best || (r === best && i < j)) {
        best = r;
        j = i;
      }
    }
    if (j < 0) break;
    running = Math.max(running, Math.min(1, best));
    adjusted[j] = running;
    open.delete(j);
    const gj = g[j] as Float64Array;
    for (const l of open) w[l] = (w[l] as number) + (w[j] as number) * (gj[l] as number);
    for (const l of open) {
      const gl = g[l] as Float64Array;
      const glj = gl[j] as number;
      const next = new Float64Array(m);
      for (const k of open) {
        if (k === l) continue;
        const denominator = 1 - glj * (gj[l] as number);
        next[k] = denominator > 1e-12 ? ((gl[k] as number) + glj * (gj[k] as number)) / denominator : 0;
      }
      g[l] = next;
    }
    w[j] = 0;
  }
  return adjusted;
}

/**
 * Share of α the primary metrics' whole-dataset tests start with; the rest starts on everything else.
 * Half: with one primary metric its test runs at one-sided 2.5%, the most a verdict can use (it also
 * needs the 95% interval below 0), so a larger share would buy the primary nothing and cost the rest.
 */
export const PRIMARY_SHARE = 0.5;

/**
 * The gate's graph when some metrics are `primary: true`. Primary hypotheses are the primary metrics'
 * whole-dataset tests; secondary ones are every other test (other metrics overall, every slice).
 *
 * - Weights: the primaries share {@link PRIMARY_SHARE} equally; the secondaries share the rest in the
 *   proportions of {@link familyWeights} computed over the secondaries alone (so among themselves
 *   they keep today's weighted-Holm profile).
 * - Transitions: a rejected primary passes its weight half to the other primaries (equally) and half
 *   to the secondaries (in their profile) — all of it to the secondaries when it is the only primary,
 *   all to the other primaries when there is no secondary. A rejected secondary passes its weight to
 *   the other secondaries in their profile (weighted Holm among them); the last one passes it to the
 *   primaries.
 *
 * Returns null when no primary whole-dataset test has a p-value (the caller falls back to weighted Holm).
 * @example primaryGraph(comparisons, ['answer_correct'])?.weights
 */
export function primaryGraph(comparisons: readonly Pick<MetricComparison, 'metric' | 'slice' | 'pValue'>[], primaries: readonly string[], overallShare: number = OVERALL_SHARE): TestGraph | null {
  const isPrimary = new Set(primaries);
  const primary = comparisons.map((c) => c.slice === null && c.pValue !== null && isPrimary.has(c.metric));
  const P = [...primary.keys()].filter((i) => primary[i]);
  if (P.length === 0) return null;
  const profile = familyWeights(comparisons.map((c, i) => (primary[i] ? { ...c, pValue: null } : c)), overallShare);
  const S = [...profile.keys()].filter((i) => (profile[i] as number) > 0);
  const sTotal = S.reduce((s, i) => s + (profile[i] as number), 0);
  const m = comparisons.length;
  const weights = new Array<number>(m).fill(0);
  const primaryShare = S.length > 0 ? PRIMARY_SHARE : 1;
  for (const i of P) weights[i] = primaryShare / P.length;
  for (const i of S) weights[i] = ((1 - primaryShare) * (profile[i] as number)) / sTotal;

  const transitions = comparisons.map(() => new Array<number>(m).fill(0));
  for (const i of P) {
    const row = transitions[i] as number[];
    const toPrimaries = P.length > 1 ? (S.length > 0 ? 0.5 : 1) : 0;
    for (const k of P) if (k !== i) row[k] = toPrimaries / (P.length - 1);
    for (const k of S) row[k] = ((1 - toPrimaries) * (profile[k] as number)) / sTotal;
  }
  for (const i of S) {
    const row = transitions[i] as number[];
    const others = sTotal - (profile[i] as number);
    if (others > 1e-15) {
      for (const k of S) if (k !== i) row[k] = (profile[k] as number) / others;
    } else {
      for (const k of P) row[k] = 1 / P.length;
    }
  }
  return { weights, transitions };
}
