import { z } from 'zod';

/**
 * What an alert carries for the person or coding agent who acts on it (issue 7: what moved, by how
 * much, since when, the cohort, example traces, the commands to run). The API documents it with
 * these schemas; the producers (src/monitor/evaluate-monitors.ts, src/monitor/budget-alert.ts) build
 * it through them, so the document and the data cannot drift apart. Extra keys are allowed so older
 * clients keep working when a field is added.
 */

const Counts = z.object({ passed: z.number().int(), total: z.number().int(), rate: z.number().nullable() });

export const RollbackActionSchema = z.object({
  releaseId: z.string(),
  variant: z.string(),
  action: z.enum(['rollback', 'narrow']),
  from: z.string(),
  to: z.string().nullable(),
  /**
   * Why nothing changed: the release was already rolled back, or it is outside the monitor's cohort
   * (the monitor's spec changed after the rule was bound; see src/core/monitor/monitor-cohort.ts).
   */
  skipped: z.string().nullable(),
  /** The `release.transition` audit entry of the move (`evalops audit list`); absent when skipped. */
  auditSeq: z.number().int().optional(),
});

export const MonitorAlertEvidenceSchema = z
  .object({
    monitor: z.string(),
    rule: z.string(),
    metric: z.string(),
    detector: z.string(),
    cohort: z.object({ release: z.string().nullable(), live: z.string().optional() }),
    summary: z.string(),
    /** The reference level, the threshold, or live's pass rate. */
    baseline: z.number().nullable(),
    current: Counts,
    /** Live's counts over the canary's window (canary monitors). */
    baselineCounts: Counts.optional(),
    /** current − baseline in rate units: −0.05 is a 5-point drop. */
    delta: z.number().nullable(),
    pValue: z.number().nullable(),
    since: z.string(),
    detectedAt: z.string(),
    owner: z.string().nullable(),
    exampleTraceIds: z.array(z.string()),
    commands: z.array(z.string()),
    rollbackActions: z.array(RollbackActionSchema).optional(),
  })
  .catchall(z.unknown());
export type MonitorAlertEvidence = z.infer<typeof MonitorAlertEvidenceSchema>;

export const BudgetAlertEvidenceSchema = z
  .object({ rule: z.string(), day: z.string(), spentUsd: z.number(), budgetUsdPerDay: z.number(), effect: z.string(), at: z.string() })
  .catchall(z.unknown());
export type BudgetAlertEvidence = z.infer<typeof BudgetAlertEvidenceSchema>;

export const AlertEvidenceSchema = z.union([MonitorAlertEvidenceSchema, BudgetAlertEvidenceSchema]);
