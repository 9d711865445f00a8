/**
 * The fixed-threshold alert the peers offer: the pass rate over a tumbling window of observations
 * (e.g. one daily bucket) alarms when it is below `threshold`, provided the window holds at least
 * `minSamples` traces. Evaluated when each window closes; the statistic is the window's shortfall
 * below the threshold (threshold − rate), so larger means worse, as for the other detectors.
 */
import { z } from 'zod';
import { type ChangeDetector, type DetectorVerdict, type Observation, checkObservation, parseParams } from './change-detector.js';

export const thresholdParamsSchema = z
  .object({
    /** Alarm when the window's pass rate is below this (no default: it depends on the metric). */
    threshold: z.number().gt(0).lt(1),
    /** Observations per window: 1 with daily buckets is the "daily pass rate" alert. */
    window: z.number().int().positive().default(1),
    /** Traces a window needs before it may alarm, so a quiet night does not page anyone. */
    minSamples: z.number().int().nonnegative().default(100),
  })
  .strict();

export type ThresholdParams = z.input<typeof thresholdParamsSchema>;

/**
 * @example
 * const d = thresholdDetector({ threshold: 0.8 });
 * d.update({ passed: 390, total: 500 }) // { alarm: true, statistic: 0.02, warmingUp: false }
 */
export function thresholdDetector(params: ThresholdParams): ChangeDetector {
  const p = parseParams(thresholdParamsSchema, params, 'threshold');
  let count = 0;
  let passed = 0;
  let total = 0;
  let last = 0;
  return {
    update(o: Observation): DetectorVerdict {
      checkObservation(o);
      count += 1;
      passed += o.passed;
      total += o.total;
      if (count < p.window) return { alarm: false, statistic: last, warmingUp: false };
      const enough = total >= p.minSamples && total > 0;
      last = enough ? p.threshold - passed / total : 0;
      count = 0;
      passed = 0;
      total = 0;
      return { alarm: enough && last > 0, statistic: last, warmingUp: false };
    },
    reset() {
      count = 0;
      passed = 0;
      total = 0;
      last = 0;
    },
  };
}
