import { z } from 'zod';

/**
 * A monitor (DESIGN.md §3): a signal of an online rule — the pass rate of one of its metrics, over
 * sampled traces, optionally of one release — and how to decide it moved:
 *
 * - `cusum` (default), `ewma`, `page-hinkley`, `shiryaev-roberts`: change detection on the series
 *   (src/core/monitor). They arm after `warmup` traces or `warmupDays` days of history (warmup-days.ts).
 * - `threshold`: the pass rate of the last window is below a level, given a minimum sample.
 * - `canary`: a one-sided two-proportion test of the canary release against the live one over the
 *   last window.
 * - `judge-drift`: the rule's judge metric disagrees with the reviewers' labels on production items
 *   (flagged traces sent to review carry the judge's verdict) on more than `threshold` of a bucket.
 */

const ChangeKind = z.enum(['cusum', 'ewma', 'page-hinkley', 'shiryaev-roberts']);

export const MonitorDetectorSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: ChangeKind.extract(['cusum']),
    /** The detector's parameters (shift, h, warmup, warmupDays, reference); see cusumParamsSchema. */
    params: z.record(z.string(), z.number()).default({}),
  }),
  z.strictObject({ kind: ChangeKind.extract(['ewma']), params: z.record(z.string(), z.number()).default({}) }),
  z.strictObject({ kind: ChangeKind.extract(['page-hinkley']), params: z.record(z.string(), z.number()).default({}) }),
  /** Shiryaev–Roberts (shift, h, warmup, warmupDays, reference); see shiryaevRobertsParamsSchema. */
  z.strictObject({ kind: ChangeKind.extract(['shiryaev-roberts']), params: z.record(z.string(), z.number()).default({}) }),
  z.strictObject({
    kind: z.literal('threshold'),
    /** Fires when the window's pass rate is below this. */
    threshold: z.number().gt(0).lt(1),
    minSamples: z.number().int().min(1).default(100),
    windowMinutes: z.number().int().min(1).max(60 * 24 * 31).default(60),
  }),
  z.strictObject({
    kind: z.literal('canary'),
    /** The canary's release (span `evalops.release`). */
    canary: z.string().min(1),
    /** The live release it is compared with. */
    live: z.string().min(1),
    /** One-sided significance level. Each evaluation looks again, so keep it small. */
    alpha: z.number().gt(0).lt(0.5).default(0.001),
    /** Traces each side needs before the test is run. */
    minSamples: z.number().int().min(10).default(200),
    windowMinutes: z.number().int().min(1).max(60 * 24 * 31).default(60 * 24),
  }),
  z.strictObject({
    kind: z.literal('judge-drift'),
    /** Fires when the judge disagrees with reviewers on more than this share of a bucket's settled production items. */
    threshold: z.number().gt(0).lt(1).default(0.2),
    /** Settled items a bucket needs before it counts. */
    minItems: z.number().int().min(1).default(20),
    bucketHours: z.number().int().min(1).max(24 * 31).default(24),
  }),
]);
export type MonitorDetector = z.infer<typeof MonitorDetectorSchema>;

export const MonitorSpecSchema = z.strictObject({
  name: z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'monitor names use letters, digits, ".", "_" and "-"'),
  description: z.string().max(2000).optional(),
  /** The online rule whose scores the monitor reads. */
  rule: z.string().min(1).max(64),
  /** A metric of that rule; the signal is its pass rate. */
  metric: z.string().min(1).max(64),
  /** Only traces of this release (change and threshold monitors). */
  release: z.string().min(1).optional(),
  detector: MonitorDetectorSchema.prefault({ kind: 'cusum' }),
  /** Series resolution for change detection: traces are pooled into buckets of this many minutes. */
  bucketMinutes: z.number().int().min(1).max(1440).default(10),
  /** How far back change detection replays the series. */
  lookbackHours: z.number().int().min(1).max(24 * 90).default(24 * 14),
  /**
   * A change alert resolves itself once this many sampled traces have passed since the detector's
   * last alarm without another. A sustained 5-point drop re-alarms within about 600 traces at the
   * default CUSUM settings, so 1,000 quiet traces mean the signal is back.
   */
  recoveryTraces: z.number().int().min(1).default(1000),
  severity: z.enum(['page', 'ticket']).default('page'),
  /** Resolve the alert when the signal recovers; false leaves it to a person. */
  autoResolve: z.boolean().default(true),
  owner: z.string().min(1).max(320).optional(),
});
export type MonitorSpec = z.infer<typeof MonitorSpecSchema>;
export type MonitorSpecInput = z.input<typeof MonitorSpecSchema>;
