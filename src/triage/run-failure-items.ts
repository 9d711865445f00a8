import type { Example } from '../core/example.js';
import type { Population } from '../core/triage/describe-clusters.js';
import type { TriageItem } from '../core/triage/triage-cluster.js';
import type { RunRecord } from '../store/run-repository.js';
import type { Store } from '../store/store.js';
import { failingMetricsOf, resultItem } from './result-item.js';
import type { TriageSource } from './triage-source.js';

/**
 * The failures of a run (results with an error, or a failed or errored score), read a page at a
 * time in the database's filter, and the run's whole as the population enrichment is measured against.
 */

const PAGE = 1000;

export async function runFailureItems(store: Store, run: RunRecord, limit: number): Promise<TriageSource> {
  const examples = await store.datasets.examples(run.datasetVersionId);
  const byId = new Map(examples.map((e) => [e.id, e]));
  const total = await store.runs.countResults(run.id, { failures: true });
  const items: TriageItem[] = [];
  for (let offset = 0; offset < Math.min(total, limit); offset += PAGE) {
    const page = await store.runs.results(run.id, { filter: { failures: true }, limit: Math.min(PAGE, limit - offset), offset });
    for (const r of page) items.push(resultItem(run.id, r, byId.get(r.exampleId), failingMetricsOf(r)));
  }
  return { items, total, population: examplePopulation(examples, run.repeat), owners: metricOwners(run) };
}

/** Every example of the run's dataset version × its trials. */
export function examplePopulation(examples: readonly Example[], repeat: number): Population {
  const slices: Record<string, number> = {};
  for (const e of examples) for (const s of new Set(e.slices)) slices[s] = (slices[s] ?? 0) + repeat;
  return { total: examples.length * repeat, slices, releases: {} };
}

export function metricOwners(run: RunRecord): Record<string, string> {
  return Object.fromEntries(run.metrics.flatMap((m) => (m.owner ? [[m.name, m.owner]] : [])));
}
