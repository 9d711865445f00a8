/**
 * Shiryaev–Roberts procedure for a drop in a pass rate (Shiryaev 1963, "On optimum methods in
 * quickest detection problems", Theory Probab. Appl. 8; Roberts 1966, "A comparison of some control
 * chart procedures", Technometrics 8). The statistic R ← (1 + R)·Λ multiplies in each observation's
 * likelihood ratio Λ of "rate p1 = p0 − shift" against "rate p0"; R is the sum, over every possible
 * change time, of the likelihood ratio of "the change happened then", and the test alarms when
 * log R > h. Where CUSUM keeps only the best change time (a maximum), Shiryaev–Roberts adds them all
 * up, and it minimises the average delay over changes that come after a long stationary period
 * (Pollak & Tartakovsky 2009, "Optimality properties of the Shiryaev–Roberts procedure", Statistica
 * Sinica 19). On the drift bench (500 traces/day, weekly cycle, overdispersion; bench/RESULTS.md §9)
 * it catches more 5-point drops within one and two days than CUSUM at the same false-alarm rate.
 *
 * It runs in the log domain, log R ← log(1 + R) + log Λ, so it neither overflows nor underflows. A
 * bucket of n traces is one step with the product of their ratios (a change is then placed at a
 * bucket boundary).
 */
import { z } from 'zod';
import { type ChangeDetector, type DetectorVerdict, type Observation, checkObservation, parseParams } from './change-detector.js';
import { referenceLevel } from './reference-level.js';
import { warmupDaysSchema } from './warmup-days.js';

export const shiryaevRobertsParamsSchema = z
  .object({
    /** Drop in pass rate the likelihood ratio is built for, as a fraction. */
    shift: z.number().gt(0).lt(1).default(0.05),
    /**
     * Alarm when log R exceeds h. The false-alarm run is at least e^h traces on binomial noise
     * (R − n is a martingale); 10.4 keeps false alarms just under 1 per 30 days at 500 traces/day on
     * the drift bench's overdispersed weekly stream (0.97 over 1,000 replays; 10.2 gave 1.12).
     */
    h: z.number().gt(0).default(10.4),
    /** Traces pooled to learn the reference rate (or warmupDays, whichever comes first, in a monitor). */
    warmup: z.number().int().positive().default(7000),
    warmupDays: warmupDaysSchema,
    /** A known reference pass rate; skips the warm-up. */
    reference: z.number().gt(0).lt(1).optional(),
  })
  .strict();

export type ShiryaevRobertsParams = z.input<typeof shiryaevRobertsParamsSchema>;

/**
 * @example
 * const d = shiryaevRobertsDetector({ reference: 0.85 });
 * d.update({ passed: 380, total: 500 }).alarm // true
 */
export function shiryaevRobertsDetector(params: ShiryaevRobertsParams = {}): ChangeDetector {
  const p = parseParams(shiryaevRobertsParamsSchema, params, 'shiryaev-roberts');
  const ref = referenceLevel(p.reference, p.warmup);
  let logR = Number.NEGATIVE_INFINITY;
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
      if (o.total > 0) logR = Math.log1p(Math.exp(logR)) + o.passed * llrPass + (o.total - o.passed) * llrFail;
      // The statistic reads like CUSUM's: 0 while R ≤ 1 (no change time is more likely than not).
      return { alarm: logR > p.h, statistic: Math.max(0, logR), warmingUp: false };
    },
    reset() {
      logR = Number.NEGATIVE_INFINITY;
    },
  };
}
