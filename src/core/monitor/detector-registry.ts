/**
 * Every change detector by kind, and the default one. The record is keyed by the `DetectorKind` enum,
 * so a new kind without a factory fails to compile.
 *
 * The default is the Bernoulli CUSUM. In the replay benchmark (bench/drift, bench/RESULTS.md §9) the
 * three change detectors, each tuned to about 0.75 false alarms per 30 days at 500 traces/day, are
 * equal within Monte Carlo error (a 5-point drop caught within a day in 54–56% of replays, within two
 * days in 85%), and each catches twice as many as a fixed threshold at the same false-alarm rate.
 * CUSUM wins on the rest: its parameters say what they mean (the drop to detect; h in nats, with a
 * false-alarm run of at least e^h traces on binomial noise), it is optimal for a known shift
 * (Moustakides 1986), and unlike Page–Hinkley its reference does not drift towards the new level.
 * Shiryaev–Roberts (issue 15) sums the evidence over every change time instead of keeping the best
 * one; tuned to spend the whole budget of 1 false alarm per 30 days it meets issue 15's targets on the
 * same bench (61% of 5-point drops within a day, 90.5% within two; bench/RESULTS.md §9), and it is
 * clearly better on slow 2-point drops. At a matched false-alarm rate CUSUM is within a point of it on
 * 5-point drops. It is not the default because a stored monitor's behaviour should not change under
 * it, and after a reset it takes longer to alarm again (recoveryTraces must exceed that).
 * The fixed threshold is not a change detector: it needs a hand-picked level and is kept for
 * comparison and for simple alerts.
 */
import { z } from 'zod';
import type { ChangeDetector } from './change-detector.js';
import { cusumDetector, cusumParamsSchema } from './cusum-detector.js';
import { ewmaDetector, ewmaParamsSchema } from './ewma-detector.js';
import { pageHinkleyDetector, pageHinkleyParamsSchema } from './page-hinkley-detector.js';
import { shiryaevRobertsDetector, shiryaevRobertsParamsSchema } from './shiryaev-roberts-detector.js';

export const detectorKindSchema = z.enum(['cusum', 'ewma', 'page-hinkley', 'shiryaev-roberts']);
export type DetectorKind = z.infer<typeof detectorKindSchema>;

export const DEFAULT_DETECTOR: DetectorKind = 'cusum';

/** Factories; params are validated (and defaulted) by each detector's schema. */
export const DETECTORS: Readonly<Record<DetectorKind, (params?: unknown) => ChangeDetector>> = {
  cusum: (params) => cusumDetector(params as never),
  ewma: (params) => ewmaDetector(params as never),
  'page-hinkley': (params) => pageHinkleyDetector(params as never),
  'shiryaev-roberts': (params) => shiryaevRobertsDetector(params as never),
};

/** Each kind's parameter schema, to check a monitor's params when it is saved. */
export const DETECTOR_PARAMS: Readonly<Record<DetectorKind, z.ZodType>> = {
  cusum: cusumParamsSchema,
  ewma: ewmaParamsSchema,
  'page-hinkley': pageHinkleyParamsSchema,
  'shiryaev-roberts': shiryaevRobertsParamsSchema,
};

/**
 * The first problem with a monitor's detector params, naming the field, or null.
 * @example detectorParamsProblem('cusum', { h: -1 }) // 'h: Too small: expected number to be >0'
 */
export function detectorParamsProblem(kind: DetectorKind, params: unknown): string | null {
  const parsed = DETECTOR_PARAMS[kind].safeParse(params ?? {});
  if (parsed.success) return null;
  const issue = parsed.error.issues[0];
  const key = issue?.path.join('.') || (issue?.code === 'unrecognized_keys' ? (issue as { keys?: string[] }).keys?.join(', ') : '') || '(params)';
  return `${key}: ${issue?.message ?? 'invalid'}`;
}

/**
 * @example createDetector('cusum', { reference: 0.85 }).update({ passed: 380, total: 500 }).alarm // true
 */
export function createDetector(kind: DetectorKind = DEFAULT_DETECTOR, params?: unknown): ChangeDetector {
  return DETECTORS[kind](params);
}
