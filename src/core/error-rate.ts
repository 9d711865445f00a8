import { z } from 'zod';
import { mcnemarExact } from './stats/mcnemar-exact.js';

/**
 * Target errors of two runs side by side, and the built-in error-rate test: did the candidate fail to
 * produce a result on significantly more examples than the baseline? Paired by example (an example
 * is errored on a side when any of its trials errored, or when the candidate has no result for it at
 * all); McNemar's exact test, one-sided for a rise, at α = 0.01 (ERROR_RATE_ALPHA). Pure.
 */

/**
 * Significance level of the error-rate rule (one-sided). The metrics' Holm family already spends a
 * family-wise 5%; this test is a second one, kept at 1% so that with no real change the gate as a whole
 * still blocks in at most 5% of comparisons in simulation (bench/gate-accuracy-errors.ts; the union
 * bound is 6%). A real rise of errors is far past it: 5% new errors at n = 1,000 give p < 1e-12.
 */
export const ERROR_RATE_ALPHA = 0.01;
/** How many distinct error messages a report lists, most frequent first. */
export const TOP_ERRORS = 5;
/** Error messages are grouped by their first this-many characters. */
const MESSAGE_CHARS = 200;

export const TopErrorSchema = z.object({ message: z.string(), count: z.number().int() });
export type TopError = z.infer<typeof TopErrorSchema>;

export const RunErrorsSchema = z.object({
  /** Results (example × trial) whose target call errored. */
  results: z.number().int(),
  /** Examples with at least one errored trial. */
  examples: z.number().int(),
  /** Examples of the dataset version the run has no result for at all (counted as errored examples). */
  missing: z.number().int(),
  /** Examples with a result or missing: the denominator of the error rate. */
  total: z.number().int(),
  rate: z.number().nullable(),
  top: z.array(TopErrorSchema),
});
export type RunErrors = z.infer<typeof RunErrorsSchema>;

export const ErrorComparisonSchema = z.object({
  baseline: RunErrorsSchema,
  candidate: RunErrorsSchema,
  /** Examples compared (results in both runs, or in the baseline and missing from the candidate). */
  n: z.number().int(),
  /** Examples that errored in the candidate and not in the baseline, and the reverse. */
  newErrors: z.number().int(),
  fixedErrors: z.number().int(),
  /** One-sided exact McNemar p-value for a rise of the error rate; 1 when it did not rise. */
  pValue: z.number(),
  rose: z.boolean(),
});
export type ErrorComparison = z.infer<typeof ErrorComparisonSchema>;

/** An errored result: which example and trial, and the error's message. */
export interface ErrorCell {
  readonly exampleId: string;
  readonly trial: number;
  readonly error: string;
}

/**
 * A run's target errors: counts and the most frequent messages.
 * @example runErrors([{ exampleId: 'e1', trial: 0, error: 'timed out after 100 ms' }], ['e1', 'e2']).rate // 0.5
 */
export function runErrors(errors: readonly ErrorCell[], exampleIds: readonly string[], missing: readonly string[] = []): RunErrors {
  const examples = new Set(errors.map((e) => e.exampleId));
  const counts = new Map<string, number>();
  for (const e of errors) {
    const message = e.error.length > MESSAGE_CHARS ? `${e.error.slice(0, MESSAGE_CHARS)}…` : e.error;
    counts.set(message, (counts.get(message) ?? 0) + 1);
  }
  const top = [...counts]
    .sort(([ma, a], [mb, b]) => b - a || (ma < mb ? -1 : ma > mb ? 1 : 0))
    .slice(0, TOP_ERRORS)
    .map(([message, count]) => ({ message, count }));
  const total = exampleIds.length + missing.length;
  return { results: errors.length, examples: examples.size + missing.length, missing: missing.length, total, rate: total ? (examples.size + missing.length) / total : null, top };
}

/**
 * Compares the target-error rates of two runs on the examples they share (plus those missing from
 * the candidate) with a one-sided exact McNemar test for a rise.
 * @example compareErrors(baseline, candidate).rose
 */
export function compareErrors(
  baseline: { readonly errors: readonly ErrorCell[]; readonly exampleIds: readonly string[] },
  candidate: { readonly errors: readonly ErrorCell[]; readonly exampleIds: readonly string[]; readonly missing?: readonly string[] },
): ErrorComparison {
  const missing = candidate.missing ?? [];
  const bErr = new Set(baseline.errors.map((e) => e.exampleId));
  const cErr = new Set([...candidate.errors.map((e) => e.exampleId), ...missing]);
  const cIds = new Set([...candidate.exampleIds, ...missing]);
  let n = 0;
  let newErrors = 0;
  let fixedErrors = 0;
  for (const id of baseline.exampleIds) {
    if (!cIds.has(id)) continue;
    n++;
    const b = bErr.has(id);
    const c = cErr.has(id);
    if (c && !b) newErrors++;
    else if (b && !c) fixedErrors++;
  }
  // One-sided: P(X ≥ newErrors) for X ~ Binomial(new + fixed, ½), half the two-sided exact p when new > fixed.
  const pValue = newErrors > fixedErrors ? mcnemarExact(newErrors, fixedErrors) / 2 : 1;
  return {
    baseline: runErrors(baseline.errors, baseline.exampleIds),
    candidate: runErrors(candidate.errors, candidate.exampleIds, missing),
    n,
    newErrors,
    fixedErrors,
    pValue,
    rose: pValue < ERROR_RATE_ALPHA,
  };
}
