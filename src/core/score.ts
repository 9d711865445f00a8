import { z } from 'zod';

/**
 * A score for one metric on one result (DESIGN.md §3). `status` tells scored from errored (the scorer
 * could not decide, e.g. the judge was unreachable) and skipped (the metric does not apply, e.g. a judge
 * with no model configured). Errored and skipped scores never count as pass or fail.
 */
export const ScoreStatusSchema = z.enum(['scored', 'errored', 'skipped']);
export type ScoreStatus = z.infer<typeof ScoreStatusSchema>;

export const ScoreSchema = z.object({
  status: ScoreStatusSchema,
  value: z.number().min(0).max(1).nullable(),
  pass: z.boolean().nullable(),
  label: z.string().optional(),
  reason: z.string().optional(),
  scorerVersion: z.string(),
});
export type Score = z.infer<typeof ScoreSchema>;

export function scored(scorerVersion: string, pass: boolean, extra: { value?: number; reason?: string; label?: string } = {}): Score {
  return {
    status: 'scored',
    value: extra.value ?? (pass ? 1 : 0),
    pass,
    scorerVersion,
    ...(extra.label === undefined ? {} : { label: extra.label }),
    ...(extra.reason === undefined ? {} : { reason: extra.reason }),
  };
}

export function errored(scorerVersion: string, reason: string): Score {
  return { status: 'errored', value: null, pass: null, reason, scorerVersion };
}

export function skipped(scorerVersion: string, reason: string): Score {
  return { status: 'skipped', value: null, pass: null, reason, scorerVersion };
}
