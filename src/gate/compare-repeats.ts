import { z } from 'zod';
import { RepeatStatsSchema } from '../core/repeat-stats.js';
import { runWithSummary } from '../runner/run-queries.js';
import type { Store } from '../store/store.js';

/** Per metric, the repeat statistics (pass^k, pass@k, flaky examples) of each side of a comparison. */
export const RepeatComparisonSchema = z.object({
  baselineRepeat: z.number().int(),
  candidateRepeat: z.number().int(),
  metrics: z.array(z.object({ metric: z.string(), baseline: RepeatStatsSchema.nullable(), candidate: RepeatStatsSchema.nullable() })),
});
export type RepeatComparison = z.infer<typeof RepeatComparisonSchema>;

/**
 * The repeat statistics of both runs, side by side, for `evalops compare`; null when neither run
 * repeated its examples. Read from the runs' summaries (computed when each run finished).
 * @example await compareRepeats(store, 'run_a', 'run_b', ['cites_policy'])
 */
export async function compareRepeats(store: Store, baselineRunId: string, candidateRunId: string, metrics: readonly string[]): Promise<RepeatComparison | null> {
  const [b, c] = await Promise.all([runWithSummary(store, baselineRunId), runWithSummary(store, candidateRunId)]);
  if (b.run.repeat <= 1 && c.run.repeat <= 1) return null;
  return {
    baselineRepeat: b.run.repeat,
    candidateRepeat: c.run.repeat,
    metrics: metrics.map((metric) => ({ metric, baseline: b.summary.metrics[metric]?.repeats ?? null, candidate: c.summary.metrics[metric]?.repeats ?? null })),
  };
}
