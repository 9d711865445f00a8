import { wilsonInterval } from './stats.js';

/** A score as the breakdown reads it (a store's score row has this shape). */
export interface PassRow {
  readonly exampleId: string;
  readonly metric: string;
  readonly status: 'scored' | 'errored' | 'skipped';
  readonly pass: boolean | null;
}

/** One metric's pass rate within one slice. */
export interface SliceMetricRate {
  /** Scored pass/fail results (every trial counts). */
  readonly n: number;
  readonly passed: number;
  readonly passRate: number | null;
  /** 95% Wilson interval of the pass rate. */
  readonly ci95: [number, number] | null;
}

export interface SlicePassRates {
  readonly slice: string;
  /** Examples of the run in the slice. */
  readonly examples: number;
  readonly metrics: Record<string, SliceMetricRate>;
}

/**
 * Pass rate of every pass/fail metric in every slice of a run, slices by name. Errored, skipped and
 * value-only scores are left out of n, as in a run's scorecard.
 * @example slicePassRates(rows, new Map([['refund-es-01', ['intent:refund', 'lang:es']]]))
 */
export function slicePassRates(rows: readonly PassRow[], slices: ReadonlyMap<string, readonly string[]>): SlicePassRates[] {
  const tally = new Map<string, { examples: Set<string>; metrics: Map<string, { n: number; passed: number }> }>();
  for (const r of rows) {
    for (const slice of slices.get(r.exampleId) ?? []) {
      let t = tally.get(slice);
      if (!t) tally.set(slice, (t = { examples: new Set(), metrics: new Map() }));
      t.examples.add(r.exampleId);
      if (r.status !== 'scored' || r.pass === null) continue;
      const m = t.metrics.get(r.metric) ?? { n: 0, passed: 0 };
      m.n += 1;
      if (r.pass) m.passed += 1;
      t.metrics.set(r.metric, m);
    }
  }
  return [...tally]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([slice, t]) => ({
      slice,
      examples: t.examples.size,
      metrics: Object.fromEntries([...t.metrics].map(([metric, m]) => [metric, { n: m.n, passed: m.passed, passRate: m.n ? m.passed / m.n : null, ci95: wilsonInterval(m.passed, m.n) }])),
    }));
}
