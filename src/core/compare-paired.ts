import type { MetricComparison } from './comparison.js';
import { compareMetric } from './compare-metric.js';
import { compareErrors, type ErrorCell, type ErrorComparison } from './error-rate.js';
import { pairObservations, trialStats, type ScoreCell } from './impute-missing.js';
import { adjustComparisons, correctionFor, type Correction } from './stats/adjust-comparisons.js';
import type { PairedObservation } from './comparison.js';

/** One run's side of a paired comparison, as loaded from the store. */
export interface PairedSide {
  readonly rows: readonly ScoreCell[];
  /** Results whose target call errored (they have no score rows). */
  readonly errors: readonly ErrorCell[];
  /** Examples with at least one result. */
  readonly exampleIds: readonly string[];
}

export interface ComparePairedInput {
  readonly baseline: PairedSide;
  readonly candidate: PairedSide;
  /** Metrics both runs scored, in report order. */
  readonly metrics: readonly string[];
  readonly slices: ReadonlyMap<string, readonly string[]>;
  /** Baseline examples the candidate has no result for although it ran the same dataset version. */
  readonly missingInCandidate: readonly string[];
  /** Metrics marked `primary: true`: the family is corrected by the graphical procedure (stats/graphical-procedure.ts). */
  readonly primaries?: readonly string[];
  readonly seed: number;
  readonly iterations?: number;
}

/**
 * The statistics of `evalops compare` and `evalops gate`, without I/O: every metric overall and per
 * slice, missing and errored results imputed as 0 on their side (impute-missing.ts), corrected as one
 * family (adjustComparisons), and the error-rate comparison (error-rate.ts).
 * @example comparePaired({ baseline, candidate, metrics: ['ok'], slices: new Map(), missingInCandidate: [], seed: 1 })
 */
export function comparePaired(input: ComparePairedInput): { comparisons: MetricComparison[]; errors: ErrorComparison; correction: Correction } {
  const missing = new Set(input.missingInCandidate);
  const bStats = trialStats(input.baseline.rows, input.baseline.errors, input.metrics);
  const cStats = trialStats(input.candidate.rows, input.candidate.errors, input.metrics);
  const raw: MetricComparison[] = [];
  for (const metric of input.metrics) {
    const { observations, binary } = pairObservations(bStats.get(metric), cStats.get(metric), missing);
    const base = { binary, seed: input.seed, ...(input.iterations ? { iterations: input.iterations } : {}) };
    raw.push(compareMetric(metric, null, observations, base));
    const bySlice = new Map<string, PairedObservation[]>();
    for (const o of observations) {
      for (const s of input.slices.get(o.exampleId) ?? []) {
        const list = bySlice.get(s);
        if (list) list.push(o);
        else bySlice.set(s, [o]);
      }
    }
    for (const [slice, obs] of [...bySlice].sort(([a], [b]) => a.localeCompare(b))) raw.push(compareMetric(metric, slice, obs, base));
  }
  const errors = compareErrors(
    { errors: input.baseline.errors, exampleIds: input.baseline.exampleIds },
    { errors: input.candidate.errors, exampleIds: input.candidate.exampleIds, missing: input.missingInCandidate },
  );
  const primaries = input.primaries ?? [];
  return { comparisons: adjustComparisons(raw, { primaries }), errors, correction: correctionFor(raw, { primaries }) };
}
