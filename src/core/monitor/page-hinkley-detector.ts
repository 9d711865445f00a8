/**
 * Page–Hinkley test for a drop in a pass rate (Page 1954; the streaming form of Gama et al. 2013, "On
 * evaluating stream learning algorithms", Machine Learning 90). It sums g ← g + (x̄ − x − δ) per trace,
 * with x̄ the running mean of everything seen since the start (warm-up included), and alarms when g
 * rises more than λ above its running minimum. Unlike CUSUM it needs no post-change rate, only a
 * tolerance δ; the running mean slowly absorbs a change, so it favours abrupt drops.
 */
import { z } from 'zod';
import { type ChangeDetector, type DetectorVerdict, type Observation, checkObservation, parseParams } from './change-detector.js';
import { warmupDaysSchema } from './warmup-days.js';

export const pageHinkleyParamsSchema = z
  .object({
    /** Tolerated drop per trace, as a fraction: half the 5-point drop to detect, as for a CUSUM allowance. */
    delta: z.number().gt(0).lt(1).default(0.025),
    /**
     * Threshold on the accumulated drop, in traces' worth of pass rate: 16 gives about 0.8 false
     * alarms per 30 days at 500 traces/day in bench/drift (14 gave 1.3).
     */
    lambda: z.number().gt(0).default(16),
    /** Traces seen before the test may alarm, so the running mean is settled: two weeks at 500/day. */
    warmup: z.number().int().positive().default(7000),
    /** Days of traces that also arm it, whichever comes first (src/core/monitor/warmup-days.ts). */
    warmupDays: warmupDaysSchema,
    /** The drop the monitor is expected to catch, as a fraction: used for its detectability figures (detectability.ts). */
    shift: z.number().gt(0).lt(1).default(0.05),
  })
  .strict();

export type PageHinkleyParams = z.input<typeof pageHinkleyParamsSchema>;

/**
 * @example
 * const d = pageHinkleyDetector({ warmup: 1000 });
 * d.update({ passed: 850, total: 1000 });
 * d.update({ passed: 400, total: 500 }).alarm // true
 */
export function pageHinkleyDetector(params: PageHinkleyParams = {}): ChangeDetector {
  const p = parseParams(pageHinkleyParamsSchema, params, 'page-hinkley');
  let seen = 0;
  let passedSeen = 0;
  let g = 0;
  let gMin = 0;
  return {
    update(o: Observation): DetectorVerdict {
      checkObservation(o);
      seen += o.total;
      passedSeen += o.passed;
      if (seen - o.total < p.warmup) return { alarm: false, statistic: 0, warmingUp: true };
      const mean = passedSeen / seen;
      g += o.total * (mean - p.delta) - o.passed;
      gMin = Math.min(gMin, g);
      const statistic = g - gMin;
      return { alarm: statistic > p.lambda, statistic, warmingUp: false };
    },
    reset() {
      g = 0;
      gMin = 0;
    },
  };
}
