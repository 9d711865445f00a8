import { z } from 'zod';
import { JudgeStatusSchema } from './judge-status.js';

/** An interval-bearing statistic; `value` null (with a reason) when it is undefined for the data. */
export const StatisticSchema = z.object({
  value: z.number().nullable(),
  ci95: z.tuple([z.number(), z.number()]).nullable(),
  reason: z.string().optional(),
});
export type Statistic = z.infer<typeof StatisticSchema>;

const Interval95 = z.tuple([z.number(), z.number()]).nullable();

/** One gold item the judge and the humans labelled differently. */
export const CalibrationDisagreementSchema = z.object({
  key: z.string(),
  human: z.string(),
  judge: z.string().nullable(),
  judgeReason: z.string().nullable(),
  input: z.unknown(),
  output: z.unknown(),
  slices: z.array(z.string()),
});

export const SliceAgreementSchema = z.object({
  slice: z.string(),
  n: z.number().int(),
  percentAgreement: z.number().nullable(),
  /** Wilson 95% interval of the slice's percent agreement (absent in reports made before it). */
  percentAgreementCi95: Interval95.optional(),
  kappa: z.number().nullable(),
});

/**
 * What `evalops calibrate` reports and stores: the judge against the gold set's human labels.
 * Rows of the confusion matrix are the human labels, columns the judge's. True-positive and
 * true-negative rates read the rubric's pass labels as positive.
 */
export const CalibrationReportSchema = z.object({
  metric: z.string(),
  judgeVersion: z.string(),
  goldSet: z.object({ id: z.string(), version: z.number().int(), items: z.number().int() }),
  /** Gold items the judge labelled (errored or skipped judge calls are counted apart). */
  n: z.number().int(),
  errored: z.number().int(),
  kappa: StatisticSchema,
  /** Quadratic-weighted kappa, for an ordinal rubric. */
  weightedKappa: StatisticSchema.nullable(),
  percentAgreement: z.number().nullable(),
  confusion: z.object({ labels: z.array(z.string()), matrix: z.array(z.array(z.number().int())) }),
  truePositiveRate: z.number().nullable(),
  trueNegativeRate: z.number().nullable(),
  /**
   * Wilson 95% intervals (Wilson 1927) of the proportions above: percent agreement over the n gold
   * items, TPR over the human passes, TNR over the human fails. Absent in reports made before them.
   */
  intervals: z.object({ percentAgreement: Interval95, truePositiveRate: Interval95, trueNegativeRate: Interval95 }).optional(),
  slices: z.array(SliceAgreementSchema),
  disagreements: z.array(CalibrationDisagreementSchema),
  thresholds: z.object({ minKappa: z.number(), minItems: z.number().int() }),
  /** calibrated or uncalibrated when made; stale is read later off the judge's version. */
  status: JudgeStatusSchema,
  /** Why it is not calibrated, in plain words. */
  why: z.array(z.string()),
});
export type CalibrationReport = z.infer<typeof CalibrationReportSchema>;
