import { z } from 'zod';

/**
 * Staleness of a dataset's slices: per slice, the age of its newest example and its share of the
 * production traffic week by week, so a slice drifting out of coverage shows — its traffic rising
 * while its examples age or stay too few. Pure: the caller measures each week's coverage.
 */

/** One week of production (`from` inclusive, `to` exclusive), oldest first. */
export const StalenessWeekSchema = z.object({ from: z.string(), to: z.string(), traces: z.number().int(), sliced: z.number().int() });
export type StalenessWeek = z.infer<typeof StalenessWeekSchema>;

/** A slice's direction over the weeks: its share moved by at least DRIFT_POINTS between the first and last week with traffic. */
export const SliceDriftSchema = z.enum(['rising', 'falling', 'steady', 'no_traffic']);
export type SliceDrift = z.infer<typeof SliceDriftSchema>;

export const SliceStalenessSchema = z.object({
  slice: z.string(),
  examples: z.number().int(),
  covered: z.boolean().describe('at least minExamples examples'),
  newestExampleAt: z.string().nullable(),
  newestExampleAgeDays: z.number().int().nullable(),
  /** The slice's share of each week's sliced traffic, oldest first; null for a week without sliced traffic. */
  weekly: z.array(z.number().nullable()),
  drift: SliceDriftSchema,
});
export type SliceStaleness = z.infer<typeof SliceStalenessSchema>;

/** A move of the weekly share this large (5 points) counts as drift. */
export const DRIFT_POINTS = 0.05;

export interface WeekFigures {
  readonly week: StalenessWeek;
  /** Traces per slice in the week. */
  readonly slices: ReadonlyMap<string, number>;
}

export interface StalenessInput {
  readonly weeks: readonly WeekFigures[];
  /** Examples per slice of the dataset version. */
  readonly examples: ReadonlyMap<string, number>;
  readonly newestExampleAt: ReadonlyMap<string, string | null>;
  readonly minExamples: number;
  readonly now: number;
}

/**
 * Every slice of the dataset or of the weeks' traffic, the uncovered ones rising first, then by the
 * latest week's share.
 * @example sliceStaleness({ weeks, examples, newestExampleAt, minExamples: 5, now: Date.now() })
 */
export function sliceStaleness(input: StalenessInput): SliceStaleness[] {
  const names = new Set<string>(input.examples.keys());
  for (const w of input.weeks) for (const [s, n] of w.slices) if (n > 0) names.add(s);
  const rows = [...names].map((slice): SliceStaleness => {
    const weekly = input.weeks.map((w) => (w.week.sliced > 0 ? (w.slices.get(slice) ?? 0) / w.week.sliced : null));
    const seen = weekly.filter((x): x is number => x !== null);
    const first = seen[0];
    const last = seen.at(-1);
    let drift: SliceDrift = 'no_traffic';
    if (first !== undefined && last !== undefined && seen.some((x) => x > 0)) drift = last - first >= DRIFT_POINTS ? 'rising' : first - last >= DRIFT_POINTS ? 'falling' : 'steady';
    const examples = input.examples.get(slice) ?? 0;
    const at = input.newestExampleAt.get(slice) ?? null;
    return {
      slice,
      examples,
      covered: examples >= input.minExamples,
      newestExampleAt: at,
      newestExampleAgeDays: at === null ? null : Math.max(0, Math.floor((input.now - Date.parse(at)) / 86_400_000)),
      weekly,
      drift,
    };
  });
  const latest = (r: SliceStaleness): number => r.weekly.filter((x): x is number => x !== null).at(-1) ?? 0;
  const alarm = (r: SliceStaleness): number => (!r.covered && r.drift === 'rising' ? 0 : !r.covered && latest(r) > 0 ? 1 : 2);
  return rows.sort((a, b) => alarm(a) - alarm(b) || latest(b) - latest(a) || b.examples - a.examples || (a.slice < b.slice ? -1 : 1));
}
