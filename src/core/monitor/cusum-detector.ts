/**
 * Bernoulli CUSUM for a drop in a pass rate (Page 1954; the Bernoulli form of Reynolds & Stoumbos
 * 1999, "A CUSUM chart for monitoring a proportion when inspecting continuously", J. Quality
 * Technology 31(1)). Each trace adds its log-likelihood ratio of "rate p1 = p0 − shift" against "rate
 * p0"; the sum is floored at 0 and alarms above h. Among detectors with the same false-alarm rate it
 * minimises the worst-case delay to detect a drop of exactly `shift` (Moustakides 1986).
 */
import { z } from 'zod';
import { type ChangeDetector, type DetectorVerdict, type Observation, checkObservation, parseParams } from './change-detector.js';
import { referenceLevel } from './reference-level.js';
import { warmupDaysSchema } from './warmup-days.js';

export const cusumParamsSchema = z
  .object({
    /** Drop in pass rate to detect fastest, as a fraction: 0.05 is the 5-point drop worth paging for. */
    shift: z.number().gt(0).lt(1).default(0.05),
    /**
     * Decision interval in nats of evidence. By Wald's bound the false-alarm run is at least e^h
     * traces on binomial noise; real streams are noisier (overdispersed, weekly cycle), and 6 is what
     * keeps false alarms at about 0.7 per 30 days at 500 traces/day in bench/drift (5.5 gave 1.1).
     */
    h: z.number().gt(0).default(6),
    /** Traces pooled to learn the reference rate: two weeks at 500/day, so weekdays average out. */
    warmup: z.number().int().positive().default(7000),
    /** Days of traces that also arm it, whichever comes first (src/core/monitor/warmup-days.ts). */
    warmupDays: warmupDaysSchema,
    /** A known reference pass rate; skips the warm-up. */
    reference: z.number().gt(0).lt(1).optional(),
  })
  .strict();

export type CusumParams = z.input<typeof cusumParamsSchema>;

/**
 * @example
 * const d = cusumDetector({ reference: 0.85 });
 * d.update({ passed: 380, total: 500 }) // { alarm: true, statistic: 11.5…, warmingUp: false }
 */
export function cusumDetector(params: CusumParams = {}): ChangeDetector {
  const p = parseParams(cusumParamsSchema, params, 'cusum');
  const ref = referenceLevel(p.reference, p.warmup);
  let s = 0;
  let llrPass = 0;
  let llrFail = 0;
  const fix = (p0: number): void => {
    const p1 = Math.max(p0 - p.shift, 1e-6);
    llrPass = Math.log(p1 / p0);
    llrFail = Math.log((1 - p1) / (1 - p0));
  };
  if (p.reference !== undefined) fix(p.reference);
  return {
    update(o: Observation): DetectorVerdict {
      checkObservation(o);
      if (ref.rate() === undefined) {
        if (ref.learn(o)) fix(ref.rate() as number);
        return { alarm: false, statistic: 0, warmingUp: true };
      }
      s = Math.max(0, s + o.passed * llrPass + (o.total - o.passed) * llrFail);
      return { alarm: s > p.h, statistic: s, warmingUp: false };
    },
    reset() {
      s = 0;
    },
  };
}
