import { z } from 'zod';

/**
 * A comparison of a candidate run with a baseline run, paired by example id (DESIGN.md §3). Trials of
 * one example are averaged first, so an example is one paired observation whatever `--repeat` was.
 */
export const VerdictSchema = z.enum(['improved', 'regressed', 'unchanged', 'inconclusive']);
export type Verdict = z.infer<typeof VerdictSchema>;

/** One paired observation: an example's mean score in each run and, with repeats, its trial spread. */
export interface PairedObservation {
  readonly exampleId: string;
  /** Mean of the metric's value over the baseline's scored trials (0..1; pass → 1, fail → 0 for binary). */
  readonly baseline: number;
  readonly candidate: number;
  /** Scored trials behind each mean. */
  readonly baselineTrials: number;
  readonly candidateTrials: number;
  /** Sample variance of the trials (0 with a single trial). */
  readonly baselineTrialVariance: number;
  readonly candidateTrialVariance: number;
  /** Trials of this example imputed as 0 on each side (target or scorer error; see impute-missing.ts). */
  readonly baselineImputed?: number;
  readonly candidateImputed?: number;
}

/**
 * Paired observations in columns: entry i of every array is observation i, with the fields of
 * PairedObservation (imputed counts 0 where none). The gate's hot path builds these directly from the
 * stored score columns instead of one object per example and metric.
 */
export interface ObservationColumns {
  readonly n: number;
  readonly exampleIds: readonly string[];
  readonly baseline: Float64Array;
  readonly candidate: Float64Array;
  readonly baselineTrials: Float64Array;
  readonly candidateTrials: Float64Array;
  readonly baselineTrialVariance: Float64Array;
  readonly candidateTrialVariance: Float64Array;
  readonly baselineImputed: Float64Array;
  readonly candidateImputed: Float64Array;
}

/** The same observations as columns. */
export function observationColumns(observations: readonly PairedObservation[]): ObservationColumns {
  const n = observations.length;
  const cols = allocateObservationColumns(n);
  const exampleIds: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const o = observations[i] as PairedObservation;
    exampleIds[i] = o.exampleId;
    cols.baseline[i] = o.baseline;
    cols.candidate[i] = o.candidate;
    cols.baselineTrials[i] = o.baselineTrials;
    cols.candidateTrials[i] = o.candidateTrials;
    cols.baselineTrialVariance[i] = o.baselineTrialVariance;
    cols.candidateTrialVariance[i] = o.candidateTrialVariance;
    cols.baselineImputed[i] = o.baselineImputed ?? 0;
    cols.candidateImputed[i] = o.candidateImputed ?? 0;
  }
  return { ...cols, exampleIds };
}

/** Zero-filled columns for n observations (without their example ids): views of one buffer, one allocation. */
export function allocateObservationColumns(n: number): Omit<ObservationColumns, 'exampleIds'> {
  const buffer = new Float64Array(8 * n);
  const column = (k: number): Float64Array => buffer.subarray(k * n, (k + 1) * n);
  return {
    n,
    baseline: column(0),
    candidate: column(1),
    baselineTrials: column(2),
    candidateTrials: column(3),
    baselineTrialVariance: column(4),
    candidateTrialVariance: column(5),
    baselineImputed: column(6),
    candidateImputed: column(7),
  };
}

/** The first n rows of columns, as views of the same memory (no copy). */
function viewsOf(cols: Omit<ObservationColumns, 'exampleIds'>, n: number): Omit<ObservationColumns, 'exampleIds'> {
  return {
    n,
    baseline: cols.baseline.subarray(0, n),
    candidate: cols.candidate.subarray(0, n),
    baselineTrials: cols.baselineTrials.subarray(0, n),
    candidateTrials: cols.candidateTrials.subarray(0, n),
    baselineTrialVariance: cols.baselineTrialVariance.subarray(0, n),
    candidateTrialVariance: cols.candidateTrialVariance.subarray(0, n),
    baselineImputed: cols.baselineImputed.subarray(0, n),
    candidateImputed: cols.candidateImputed.subarray(0, n),
  };
}

/**
 * The observations at `indices` (in that order), copied into columns of their own — or, with
 * `scratch` (columns of at least as many rows), into the front of those: no allocation per slice,
 * and the result is overwritten by the next selection into the same scratch, so it must be used
 * before then (comparePaired compares each slice before selecting the next).
 */
export function selectObservations(cols: ObservationColumns, indices: Int32Array, scratch?: Omit<ObservationColumns, 'exampleIds'>): ObservationColumns {
  const n = indices.length;
  const out = scratch && scratch.n >= n ? viewsOf(scratch, n) : allocateObservationColumns(n);
  const exampleIds: string[] = new Array(n);
  for (let j = 0; j < n; j++) {
    const i = indices[j] as number;
    exampleIds[j] = cols.exampleIds[i] as string;
    out.baseline[j] = cols.baseline[i] as number;
    out.candidate[j] = cols.candidate[i] as number;
    out.baselineTrials[j] = cols.baselineTrials[i] as number;
    out.candidateTrials[j] = cols.candidateTrials[i] as number;
    out.baselineTrialVariance[j] = cols.baselineTrialVariance[i] as number;
    out.candidateTrialVariance[j] = cols.candidateTrialVariance[i] as number;
    out.baselineImputed[j] = cols.baselineImputed[i] as number;
    out.candidateImputed[j] = cols.candidateImputed[i] as number;
  }
  return { ...out, exampleIds };
}

/** Paired examples whose value on a side was imputed as 0 because its result was missing or errored. */
export const ImputedPairsSchema = z.object({ baseline: z.number().int(), candidate: z.number().int() });
export type ImputedPairs = z.infer<typeof ImputedPairsSchema>;

export const MetricComparisonSchema = z.object({
  metric: z.string(),
  /** `null` is the whole dataset; otherwise a slice such as `lang:es`. */
  slice: z.string().nullable(),
  /** binary: every trial is pass/fail with one trial per example; continuous: anything else. */
  kind: z.enum(['binary', 'continuous']),
  method: z.string(),
  n: z.number().int(),
  baseline: z.number().nullable(),
  candidate: z.number().nullable(),
  delta: z.number().nullable(),
  /** 95% interval of the paired delta (candidate − baseline). */
  ci95: z.tuple([z.number(), z.number()]).nullable(),
  pValue: z.number().nullable(),
  /**
   * One-sided p-value in the direction of the delta after the family-wise correction across every
   * metric × slice test of the comparison (weighted Holm); may be below the two-sided `pValue`.
   */
  pAdjusted: z.number().nullable(),
  /** With repeated trials: the delta that trial-to-trial noise alone produces (95%); else null. */
  noiseFloor: z.number().nullable(),
  verdict: VerdictSchema,
  /** Paired examples that got better / worse (binary: discordant pairs). */
  improvedExamples: z.number().int(),
  regressedExamples: z.number().int(),
  /**
   * Pairs whose baseline / candidate value was imputed as 0 (a target error, a scorer error, or no
   * result at all): missing results count as failures, never as gaps. Absent in documents stored
   * before imputation existed (read as none).
   */
  imputed: ImputedPairsSchema.default({ baseline: 0, candidate: 0 }),
});
export type MetricComparison = z.infer<typeof MetricComparisonSchema>;
