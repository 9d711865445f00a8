import { allocateObservationColumns, selectObservations, type MetricComparison } from './comparison.js';
import { compareObservationColumns } from './compare-metric.js';
import { compareErrors, type ErrorCell, type ErrorComparison } from './error-rate.js';
import type { ScoreCell } from './impute-missing.js';
import { pairScoreColumns, type PairedMetricColumns } from './pair-score-columns.js';
import { isScoreColumns, scoreColumnsFromRows, type ScoreColumns } from './score-columns.js';
import { adjustComparisons, correctionFor, type Correction } from './stats/adjust-comparisons.js';

/** One run's side of a paired comparison, as loaded from the store. */
export interface PairedSide {
  /** The run's scores: rows, or the same in columns (what the gate reads from the store). */
  readonly rows: readonly ScoreCell[] | ScoreColumns;
  /** Results whose target call errored (they have no score rows). */
  readonly errors: readonly ErrorCell[];
  /** Examples with at least one result. */
  readonly exampleIds: readonly string[];
}

/** A side given as score rows (tests and simulations build these). */
export type PairedRowsSide = PairedSide & { readonly rows: readonly ScoreCell[] };

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
 *
 * Works on columns throughout (pair-score-columns.ts, compareObservationColumns): a gate over 10,000
 * examples × 6 metrics × 40 slices builds no object per example, only typed arrays per metric and
 * slice.
 * @example comparePaired({ baseline, candidate, metrics: ['ok'], slices: new Map(), missingInCandidate: [], seed: 1 })
 */
export function comparePaired(input: ComparePairedInput): { comparisons: MetricComparison[]; errors: ErrorComparison; correction: Correction } {
  const columns = (rows: PairedSide['rows']): ScoreColumns => (isScoreColumns(rows) ? rows : scoreColumnsFromRows(rows));
  const paired = pairScoreColumns(
    { scores: columns(input.baseline.rows), errors: input.baseline.errors },
    { scores: columns(input.candidate.rows), errors: input.candidate.errors },
    input.metrics,
    input.missingInCandidate,
  );
  const sliceIndex = sliceMembership(paired.exampleIds, input.slices);
  const raw: MetricComparison[] = [];
  for (const pm of paired.metrics) {
    const base = { binary: pm.binary, seed: input.seed, ...(input.iterations ? { iterations: input.iterations } : {}) };
    raw.push(compareObservationColumns(pm.metric, null, pm.observations, base));
    // One scratch per metric for its slices' columns: compareObservationColumns keeps none of them,
    // so each slice is copied over the previous one instead of into columns of its own (240 buffers
    // on a 6-metric, 40-slice gate).
    const scratch = allocateObservationColumns(pm.observations.n);
    for (const [slice, indices] of slicesOf(pm, sliceIndex)) raw.push(compareObservationColumns(pm.metric, slice, selectObservations(pm.observations, indices, scratch), base));
  }
  const errors = compareErrors(
    { errors: input.baseline.errors, exampleIds: input.baseline.exampleIds },
    { errors: input.candidate.errors, exampleIds: input.candidate.exampleIds, missing: input.missingInCandidate },
  );
  const primaries = input.primaries ?? [];
  return { comparisons: adjustComparisons(raw, { primaries }), errors, correction: correctionFor(raw, { primaries }) };
}

/** Slice codes of every example (compressed rows: example e's codes are codes[start[e] … start[e + 1]]). */
interface SliceMembership {
  readonly names: readonly string[];
  readonly start: Int32Array;
  readonly codes: Int32Array;
}

function sliceMembership(exampleIds: readonly string[], slices: ReadonlyMap<string, readonly string[]>): SliceMembership {
  const codeOf = new Map<string, number>();
  const start = new Int32Array(exampleIds.length + 1);
  const codes: number[] = [];
  exampleIds.forEach((id, e) => {
    for (const s of slices.get(id) ?? []) {
      let code = codeOf.get(s);
      if (code === undefined) codeOf.set(s, (code = codeOf.size));
      codes.push(code);
    }
    start[e + 1] = codes.length;
  });
  return { names: [...codeOf.keys()], start, codes: Int32Array.from(codes) };
}

/** A metric's observations per slice (positions in its observation columns, in order), slices sorted by name. */
function slicesOf(pm: PairedMetricColumns, membership: SliceMembership): [string, Int32Array][] {
  const { names, start, codes } = membership;
  const counts = new Int32Array(names.length);
  for (let i = 0; i < pm.example.length; i++) {
    const e = pm.example[i] as number;
    for (let j = start[e] as number; j < (start[e + 1] as number); j++) {
      const code = codes[j] as number;
      counts[code] = (counts[code] as number) + 1;
    }
  }
  const lists = Array.from(counts, (n) => new Int32Array(n));
  const filled = new Int32Array(names.length);
  for (let i = 0; i < pm.example.length; i++) {
    const e = pm.example[i] as number;
    for (let j = start[e] as number; j < (start[e + 1] as number); j++) {
      const code = codes[j] as number;
      const at = filled[code] as number;
      (lists[code] as Int32Array)[at] = i;
      filled[code] = at + 1;
    }
  }
  return names
    .map((name, code): [string, Int32Array] => [name, lists[code] as Int32Array])
    .filter(([, list]) => list.length > 0)
    .sort(([a], [b]) => a.localeCompare(b));
}
