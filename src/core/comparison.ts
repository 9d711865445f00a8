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
}

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
});
export type MetricComparison = z.infer<typeof MetricComparisonSchema>;
