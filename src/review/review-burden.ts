import type { Store } from '../store/store.js';

export interface ReviewBurden {
  /** Run results routed to review ÷ results of the runs they came from; null without any. */
  readonly routedShare: number | null;
  readonly routedResults: number;
  readonly resultsInRoutedRuns: number;
  readonly traceItems: number;
  readonly labels: number;
  /** Mean minutes a reviewer spent per label, over labels with a time; null without any. */
  readonly minutesPerLabel: number | null;
  readonly settled: number;
}

/**
 * What human review costs: the share of results sent to people and the minutes each label takes.
 * Shown on the scorecard, because evaluation that works only by shifting cost to humans is not working.
 */
export async function reviewBurden(store: Store, projectId: string): Promise<ReviewBurden> {
  const counts = await store.reviews.burden(projectId);
  let results = 0;
  for (const runId of counts.runIds) results += await store.runs.countResults(runId);
  return {
    routedShare: results === 0 ? null : counts.resultItems / results,
    routedResults: counts.resultItems,
    resultsInRoutedRuns: results,
    traceItems: counts.traceItems,
    labels: counts.labels,
    minutesPerLabel: counts.timedLabels === 0 ? null : counts.seconds / counts.timedLabels / 60,
    settled: counts.settled,
  };
}
