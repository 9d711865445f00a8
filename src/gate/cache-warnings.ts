import { cacheSourcesText } from '../core/cache-sources-text.js';
import type { RunSummary } from '../core/run.js';
import { runWithSummary } from '../runner/run-queries.js';
import type { Store } from '../store/store.js';

/**
 * The gate's notes on results served from the response cache: for the candidate and the baseline,
 * how many results came from which earlier run and when — so a reviewer knows which outputs were
 * not produced by the code under decision.
 * @example await cacheWarnings(store, { runId: 'run_c', summary }, 'run_b') // ['candidate run run_c: 2 of 2 results came from …']
 */
export async function cacheWarnings(store: Store, candidate: { runId: string; summary: RunSummary }, baselineRunId: string | null): Promise<string[]> {
  const out: string[] = [];
  const c = cacheSourcesText(candidate.summary);
  if (c) out.push(`candidate run ${candidate.runId}: ${c}`);
  if (baselineRunId) {
    const b = cacheSourcesText((await runWithSummary(store, baselineRunId)).summary);
    if (b) out.push(`baseline run ${baselineRunId}: ${b}`);
  }
  return out;
}
