import { EvalOpsError } from '../errors.js';
import { itemBootstrapInterval, type ItemBootstrapInterval, type ItemBootstrapOptions } from './item-bootstrap.js';
import { assertCategoryCounts, type CategoryCounts } from './rating-table.js';
import { NO_PAIRABLE_ITEM_REASON, NO_VARIATION_REASON } from './statistic-value.js';

/** Level of measurement: which differences between labels count as disagreement, and how much. */
export type AlphaMetric = 'nominal' | 'ordinal' | 'interval' | 'ratio';

export interface KrippendorffAlphaOptions extends ItemBootstrapOptions {
  /** Default 'nominal'. */
  readonly metric?: AlphaMetric;
  /**
   * The number each category stands for, for the interval and ratio metrics; default 1, 2, …, K in
   * category order (equally spaced). Ignored by the nominal and ordinal metrics.
   */
  readonly values?: readonly number[];
}

interface KrippendorffAlphaCommon {
  readonly metric: AlphaMetric;
  /** Units (items) with two or more ratings: the only pairable ones. */
  readonly nUnits: number;
  /** n.., the number of pairable values. */
  readonly nValues: number;
  /** D_o = Σ o_ck δ²_ck / n..; null without pairable values. */
  readonly observedDisagreement: number | null;
  /** D_e = Σ n_c n_k δ²_ck / (n..(n.. − 1)); null without pairable values. */
  readonly expectedDisagreement: number | null;
}

/** Krippendorff's alpha, or null with a reason. */
export type KrippendorffAlpha = KrippendorffAlphaCommon &
  (
    | { readonly value: number; readonly reason: null; readonly bootstrap: ItemBootstrapInterval }
    | { readonly value: null; readonly reason: string; readonly bootstrap: null }
  );

/** Coincidences of each unit as sparse (c, k, o) triples, and their running totals. */
interface Coincidences {
  readonly k: number;
  /** Entries of unit u are start[u] … start[u + 1] − 1. */
  readonly start: Int32Array;
  readonly cell: Int32Array; // c·k + k'
  readonly value: Float64Array;
}

/**
 * Krippendorff's alpha, computed from the coincidence matrix as in Krippendorff (2011), "Computing
 * Krippendorff's Alpha-Reliability": every unit with m_u ≥ 2 values adds, for each ordered pair of
 * its values (c, k) from different raters, 1/(m_u − 1) to o_ck; n_c = Σ_k o_ck, n.. = Σ n_c, and
 *   α = 1 − D_o/D_e = 1 − (n.. − 1) Σ o_ck δ²_ck / Σ n_c n_k δ²_ck.
 * Missing ratings are simply absent; units with fewer than two values are not pairable and drop out.
 *
 * Metrics δ²_ck: nominal 1 if c ≠ k; ordinal (Σ_{g=c..k} n_g − (n_c + n_k)/2)², over the categories in
 * order; interval (v_c − v_k)²; ratio ((v_c − v_k)/(v_c + v_k))², with v from `values`.
 *
 * The interval is a percentile bootstrap over units (seeded, so reproducible; see
 * itemBootstrapInterval) — not Krippendorff's own bootstrap, which resamples pairs of values.
 *
 * Undefined (value null) without pairable values, or when D_e = 0: every pairable value the same
 * label (reason {@link NO_VARIATION_REASON}), or a metric that sees no difference between the labels used.
 * @example krippendorffAlpha({ categories: ['0', '1'], items: ['a', 'b', 'c'], counts: [[2, 0], [0, 2], [1, 1]] }).value // 1 − 5·2/18 = 0.444…
 */
export function krippendorffAlpha(table: CategoryCounts, options: KrippendorffAlphaOptions = {}): KrippendorffAlpha {
  assertCategoryCounts(table);
  const metric = options.metric ?? 'nominal';
  const k = table.categories.length;
  const values = scaleValues(options.values, k, metric);
  const co = coincidences(table);
  const nUnits = co.start.length - 1;
  const full = totals(co, new Uint32Array(nUnits).fill(1));
  const nValues = full.marginals.reduce((s, v) => s + v, 0);
  const common = { metric, nUnits, nValues: Math.round(nValues) };
  if (nUnits === 0) return { ...common, observedDisagreement: null, expectedDisagreement: null, value: null, reason: NO_PAIRABLE_ITEM_REASON, bootstrap: null };

  const est = alphaFrom(full.o, full.marginals, metric, values);
  const disagreement = { observedDisagreement: est.observed, expectedDisagreement: est.expected };
  if (est.alpha === null) {
    const used = full.marginals.filter((v) => v > 0).length;
    const reason = used <= 1 ? NO_VARIATION_REASON : `expected disagreement is 0: the ${metric} metric sees no difference between the labels used`;
    return { ...common, ...disagreement, value: null, reason, bootstrap: null };
  }
  const bootstrap = itemBootstrapInterval(
    nUnits,
    (w) => {
      const t = totals(co, w);
      return alphaFrom(t.o, t.marginals, metric, values).alpha;
    },
    options,
  );
  return { ...common, ...disagreement, value: est.alpha, reason: null, bootstrap };
}

function scaleValues(values: readonly number[] | undefined, k: number, metric: AlphaMetric): readonly number[] {
  if (values === undefined) return Array.from({ length: k }, (_, i) => i + 1);
  if (values.length !== k) throw new EvalOpsError('input', `values has ${values.length} numbers; it needs one per category (${k})`);
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new EvalOpsError('input', `values[${i}] is ${v}; it must be a finite number`);
    if (metric === 'ratio' && v < 0) throw new EvalOpsError('input', `values[${i}] is ${v}; the ratio metric needs values ≥ 0`);
  });
  return values;
}

function coincidences(table: CategoryCounts): Coincidences {
  const k = table.categories.length;
  const start: number[] = [0];
  const cell: number[] = [];
  const value: number[] = [];
  for (const row of table.counts) {
    const m = row.reduce((s, c) => s + c, 0);
    if (m < 2) continue;
    for (let c = 0; c < k; c++) {
      const nc = row[c] as number;
      if (nc === 0) continue;
      for (let d = 0; d < k; d++) {
        const nd = row[d] as number;
        const pairs = c === d ? nc * (nc - 1) : nc * nd;
        if (pairs === 0) continue;
        cell.push(c * k + d);
        value.push(pairs / (m - 1));
      }
    }
    start.push(cell.length);
  }
  return { k, start: Int32Array.from(start), cell: Int32Array.from(cell), value: Float64Array.from(value) };
}

/** The coincidence matrix and its marginals with unit u counted w[u] times. */
function totals(co: Coincidences, w: Uint32Array): { o: Float64Array; marginals: Float64Array } {
  const k = co.k;
  const o = new Float64Array(k * k);
  for (let u = 0; u < w.length; u++) {
    const wu = w[u] as number;
    if (wu === 0) continue;
    for (let e = co.start[u] as number; e < (co.start[u + 1] as number); e++) o[co.cell[e] as number]! += wu * (co.value[e] as number);
  }
  const marginals = new Float64Array(k);
  for (let c = 0; c < k; c++) for (let d = 0; d < k; d++) marginals[c]! += o[c * k + d] as number;
  return { o, marginals };
}

function alphaFrom(o: Float64Array, n: Float64Array, metric: AlphaMetric, values: readonly number[]): { observed: number; expected: number; alpha: number | null } {
  const k = n.length;
  const total = n.reduce((s, v) => s + v, 0);
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < k; c++) {
    for (let d = 0; d < k; d++) {
      if (c === d) continue;
      const delta = deltaSquared(metric, c, d, n, values);
      observed += (o[c * k + d] as number) * delta;
      expected += (n[c] as number) * (n[d] as number) * delta;
    }
  }
  observed /= total;
  expected /= total * (total - 1);
  const alpha = expected > 0 ? 1 - observed / expected : null;
  return { observed, expected, alpha };
}

function deltaSquared(metric: AlphaMetric, c: number, d: number, n: Float64Array, values: readonly number[]): number {
  switch (metric) {
    case 'nominal':
      return 1;
    case 'ordinal': {
      const lo = Math.min(c, d);
      const hi = Math.max(c, d);
      let between = 0;
      for (let g = lo; g <= hi; g++) between += n[g] as number;
      return (between - ((n[c] as number) + (n[d] as number)) / 2) ** 2;
    }
    case 'interval':
      return ((values[c] as number) - (values[d] as number)) ** 2;
    case 'ratio': {
      const sum = (values[c] as number) + (values[d] as number);
      return sum === 0 ? 0 : (((values[c] as number) - (values[d] as number)) / sum) ** 2;
    }
  }
}
