import { z } from 'zod';

/**
 * The calibration status of a judge version (DESIGN.md §3): `calibrated` when its latest calibration
 * against a gold set met the project's thresholds, `uncalibrated` when it did not or none exists, and
 * `stale` when the latest calibration was of another version (its model, prompt or rubric changed).
 */
export const JudgeStatusSchema = z.enum(['calibrated', 'uncalibrated', 'stale']);
export type JudgeStatus = z.infer<typeof JudgeStatusSchema>;

/** The thresholds a calibration must meet; the defaults: kappa ≥ 0.6 on at least 100 gold items. */
export const CalibrationThresholdsSchema = z.object({
  minKappa: z.number().min(-1).max(1).default(0.6),
  minItems: z.number().int().min(1).default(100),
});
export type CalibrationThresholds = z.infer<typeof CalibrationThresholdsSchema>;
export const DEFAULT_THRESHOLDS: CalibrationThresholds = { minKappa: 0.6, minItems: 100 };

/**
 * @example judgeStatus({ judgeVersion: 'a', status: 'calibrated' }, 'b') // 'stale'
 * @example judgeStatus(undefined, 'a') // 'uncalibrated'
 */
export function judgeStatus(latest: { readonly judgeVersion: string; readonly status: 'calibrated' | 'uncalibrated' } | undefined, currentVersion: string): JudgeStatus {
  if (latest === undefined) return 'uncalibrated';
  if (latest.judgeVersion !== currentVersion) return 'stale';
  return latest.status;
}

/** Whether a calibration's figures meet the thresholds. */
export function meetsThresholds(kappa: number | null, n: number, thresholds: CalibrationThresholds): boolean {
  return kappa !== null && kappa >= thresholds.minKappa && n >= thresholds.minItems;
}
