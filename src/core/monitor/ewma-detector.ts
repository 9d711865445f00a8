/**
 * EWMA chart for a drop in a pass rate (Roberts 1959; limits as in Montgomery, Introduction to
 * Statistical Quality Control, §9.2). The smoothed rate z ← λ·x + (1 − λ)·z runs per trace; it alarms
 * when z falls L asymptotic standard deviations σ_z = √(p0(1 − p0)·λ/(2 − λ)) below the reference p0.
 * The statistic is that distance in σ_z.
 */
import { z } from 'zod';
import { type ChangeDetector, type DetectorVerdict, type Observation, checkObservation, parseParams } from './change-detector.js';
import { referenceLevel } from './reference-level.js';
import { warmupDaysSchema } from './warmup-days.js';

export const ewmaParamsSchema = z
  .object({
    /**
     * Weight of each trace. 0.004 gives a memory of about 2/λ = 500 traces (a day at 500/day), which
     * matches the 5-point drop to detect: smaller λ is slower, larger λ is noisier (bench/drift).
     */
    lambda: z.number().gt(0).lt(1).default(0.004),
    /** Control limit in σ_z below the reference: 3.4 gives about 0.8 false alarms per 30 days at 500/day (bench/drift; 3.2 gave 1.2). */
    limit: z.number().gt(0).default(3.4),
    /** Traces pooled to learn the reference rate: two weeks at 500/day. */
    warmup: z.number().int().positive().default(7000),
    /** Days of traces that also arm it, whichever comes first (src/core/monitor/warmup-days.ts). */
    warmupDays: warmupDaysSchema,
    /** The drop the monitor is expected to catch, as a fraction: used for its detectability figures (detectability.ts). */
    shift: z.number().gt(0).lt(1).default(0.05),
    /** A known reference pass rate; skips the warm-up. */
    reference: z.number().gt(0).lt(1).optional(),
  })
  .strict();

export type EwmaParams = z.input<typeof ewmaParamsSchema>;

/**
 * @example
 * const d = ewmaDetector({ reference: 0.85 });
 * d.update({ passed: 380, total: 500 }).alarm // true
 */
export function ewmaDetector(params: EwmaParams = {}): ChangeDetector {
  const p = parseParams(ewmaParamsSchema, params, 'ewma');
  const ref = referenceLevel(p.reference, p.warmup);
  let smoothed = Number.NaN;
  const start = (): void => {
    smoothed = ref.rate() ?? Number.NaN;
  };
  start();
  return {
    update(o: Observation): DetectorVerdict {
      checkObservation(o);
      const p0 = ref.rate();
      if (p0 === undefined) {
        if (ref.learn(o)) start();
        return { alarm: false, statistic: 0, warmingUp: true };
      }
      if (o.total > 0) {
        // n traces at once: the same as n per-trace steps at the bucket's mean rate.
        const keep = (1 - p.lambda) ** o.total;
        smoothed = keep * smoothed + (1 - keep) * (o.passed / o.total);
      }
      const sigma = Math.sqrt((p0 * (1 - p0) * p.lambda) / (2 - p.lambda));
      const statistic = (p0 - smoothed) / sigma;
      return { alarm: statistic > p.limit, statistic, warmingUp: false };
    },
    reset() {
      start();
    },
  };
}
