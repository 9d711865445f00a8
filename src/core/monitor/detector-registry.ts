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
 * The fixed threshold is not a change detector: it needs a hand-picked level and is kept for
 * comparison and for simple alerts.
 */
import { z } from 'zod';
import type { ChangeDetector } from './change-detector.js';
import { cusumDetector } from './cusum-detector.js';
import { ewmaDetector } from './ewma-detector.js';
import { pageHinkleyDetector } from './page-hinkley-detector.js';

export const detectorKindSchema = z.enum(['cusum', 'ewma', 'page-hinkley']);
export type DetectorKind = z.infer<typeof detectorKindSchema>;

export const DEFAULT_DETECTOR: DetectorKind = 'cusum';

/** Factories; params are validated (and defaulted) by each detector's schema. */
export const DETECTORS: Readonly<Record<DetectorKind, (params?: unknown) => ChangeDetector>> = {
  cusum: (params) => cusumDetector(params as never),
  ewma: (params) => ewmaDetector(params as never),
  'page-hinkley': (params) => pageHinkleyDetector(params as never),
};

/**
 * @example createDetector('cusum', { reference: 0.85 }).update({ passed: 380, total: 500 }).alarm // true
 */
export function createDetector(kind: DetectorKind = DEFAULT_DETECTOR, params?: unknown): ChangeDetector {
  return DETECTORS[kind](params);
}
