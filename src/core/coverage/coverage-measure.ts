import { z } from 'zod';

/**
 * What a gate knows of its dataset's coverage of production: the headline figures of
 * `evalops datasets coverage` for one window. `coveredShare` is null when no trace of the window
 * carries a slice attribute (or there is no trace at all): coverage cannot be judged then.
 */
export const CoverageMeasureSchema = z.object({
  days: z.number().int(),
  from: z.string(),
  to: z.string(),
  traces: z.number().int().describe('traces in the window'),
  sliced: z.number().int().describe('traces with at least one slice attribute'),
  covered: z.number().int().describe('sliced traces whose every slice has at least minExamples examples'),
  coveredShare: z.number().nullable(),
  minExamples: z.number().int(),
  /** The top uncovered slices, most traffic first (for the report). */
  uncovered: z.array(z.object({ slice: z.string(), share: z.number(), examples: z.number().int() })),
});
export type CoverageMeasure = z.infer<typeof CoverageMeasureSchema>;

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/**
 * The scorecard's line, e.g. "dataset covers 82.0% of the last 7 days' traffic (slices with at least
 * 5 examples)"; null when there is nothing to say it of (no sliced traffic in the window).
 */
export function coverageLine(m: CoverageMeasure): string | null {
  if (m.coveredShare === null) return null;
  return `dataset covers ${pct(m.coveredShare)} of the last ${m.days} days' traffic (${m.sliced} traces in slices; slices with at least ${m.minExamples} examples count as covered)`;
}

/** Why a window's coverage cannot be judged, or null when it can. */
export function coverageGap(m: CoverageMeasure): string | null {
  if (m.traces === 0) return `no production traffic in the last ${m.days} days: the dataset's coverage cannot be judged`;
  if (m.sliced === 0) return `none of the ${m.traces} traces of the last ${m.days} days carries a slice attribute (evalops.slice.KEY or one mapped under coverage.attributes): the dataset's coverage cannot be judged`;
  return null;
}
