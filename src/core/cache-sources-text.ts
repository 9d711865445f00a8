import type { RunSummary } from './run.js';

/**
 * One sentence saying how many of a run's results came from the response cache, from which earlier
 * run(s) and when — for the run output, the scorecard and the gate. Undefined when none did.
 * @example cacheSourcesText(summary) // '12 of 30 results came from the response cache: 12 from run run_abc (recorded 2026-12-06T07:00:00.000Z)'
 */
export function cacheSourcesText(summary: Pick<RunSummary, 'results'>): string | undefined {
  const { cached, total, cachedFrom } = summary.results;
  if (cached === 0) return undefined;
  const sources = (cachedFrom ?? []).map((s) => `${s.results} from ${s.runId === null ? 'an earlier run' : `run ${s.runId}`}${s.at === null ? '' : ` (recorded ${s.at})`}`);
  return `${cached} of ${total} results came from the response cache${sources.length > 0 ? `: ${sources.join(', ')}` : ''}`;
}
