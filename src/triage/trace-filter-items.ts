import type { Store } from '../store/store.js';
import { selectTraceIds } from '../traces/trace-service.js';
import type { TraceListParams } from '../traces/trace-query.js';
import { populationOf } from '../core/triage/describe-clusters.js';
import { traceItems } from './trace-items.js';
import type { TriageSource } from './triage-source.js';

/**
 * The traces a trace-list filter selects (`--errors`, `--release`, `--since`, `--attr` …), as
 * triage items, oldest first: the filter says what counts as failing here.
 */
export async function traceFilterItems(store: Store, projectName: string, projectId: string, params: TraceListParams): Promise<TriageSource> {
  const ids = await selectTraceIds(store, projectName, params);
  const items = (await traceItems(store, projectId, ids)).sort((a, b) => (a.timeMs ?? 0) - (b.timeMs ?? 0) || (a.key < b.key ? -1 : 1));
  return { items, total: items.length, population: populationOf(items), owners: {} };
}
