/**
 * The port every online monitor implements: feed it observations of a pass/fail metric in arrival
 * order, read back whether it alarms. Detectors are pure state machines (no clock, no I/O), so the
 * same code runs in a worker, in a replay benchmark and in a unit test.
 */
import type { z } from 'zod';
import { EvalOpsError } from '../errors.js';

/**
 * A batch of scored traces: `passed` of `total` passed. One trace is `{ passed: 1, total: 1 }`; a
 * bucket (an hour, a day) carries its counts. A detector treats one observation as one step.
 */
export interface Observation {
  readonly passed: number;
  readonly total: number;
}

/** What a detector says after an observation. */
export interface DetectorVerdict {
  /** True when the statistic crossed its decision limit on this observation. */
  readonly alarm: boolean;
  /** The detector's monitoring statistic (0 while warming up); larger means more evidence of a drop. */
  readonly statistic: number;
  /** True while the reference level is still being learned (never alarms then). */
  readonly warmingUp: boolean;
}

export interface ChangeDetector {
  update(observation: Observation): DetectorVerdict;
  /** Restarts the statistic (after an alarm is handled); a learned reference level is kept. */
  reset(): void;
}

/**
 * One trace as an observation.
 * @example bernoulli(true) // { passed: 1, total: 1 }
 */
export function bernoulli(passed: boolean): Observation {
  return { passed: passed ? 1 : 0, total: 1 };
}

/** Rejects counts that are not whole, non-negative and consistent. */
export function checkObservation(o: Observation): void {
  if (!Number.isInteger(o.passed) || !Number.isInteger(o.total) || o.passed < 0 || o.total < o.passed) {
    throw new EvalOpsError('input', `an observation needs whole counts with 0 ≤ passed ≤ total; got ${o.passed} of ${o.total}`);
  }
}

/** Parses detector parameters with their schema; a bad value is a `config` error naming the field. */
export function parseParams<S extends z.ZodType>(schema: S, params: unknown, detector: string): z.infer<S> {
  const parsed = schema.safeParse(params ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || '(params)';
    throw new EvalOpsError('config', `${detector} detector: ${field}: ${issue?.message ?? 'invalid'}`, { details: parsed.error.issues });
  }
  return parsed.data;
}
