import { flippedExamples } from '../core/flipped-examples.js';
import type { TriageItem } from '../core/triage/triage-cluster.js';
import type { RunRecord } from '../store/run-repository.js';
import type { Store } from '../store/store.js';
import { resultItem } from './result-item.js';
import { examplePopulation, metricOwners } from './run-failure-items.js';
import type { TriageSource } from './triage-source.js';

/**
 * The regressions of a comparison: candidate results of the examples with a metric gone from pass
 * to fail. Missing data never helps the candidate, so an example the candidate errored on (and the
 * baseline did not) and an example the candidate has no result for are regressions too.
 */
export async function regressionItems(store: Store, baseline: RunRecord, candidate: RunRecord, limit: number): Promise<TriageSource> {
  const [bRows, cRows, examples, bErrors, cErrors, bIds, cIds] = await Promise.all([
    store.runs.scoreRows(baseline.id),
    store.runs.scoreRows(candidate.id),
    store.datasets.examples(candidate.datasetVersionId),
    store.runs.errorRows(baseline.id),
    store.runs.errorRows(candidate.id),
    store.runs.exampleIds(baseline.id),
    store.runs.exampleIds(candidate.id),
  ]);
  const byId = new Map(examples.map((e) => [e.id, e]));
  const slices = new Map(examples.map((e) => [e.id, e.slices]));
  const lost = new Map<string, Set<string>>();
  const add = (exampleId: string, metric: string): void => {
    const set = lost.get(exampleId) ?? new Set<string>();
    set.add(metric);
    lost.set(exampleId, set);
  };
  for (const f of flippedExamples(bRows, cRows, slices)) for (const m of f.passToFail) add(f.exampleId, m);
  const baselineErrored = new Set(bErrors.map((e) => e.exampleId));
  for (const e of cErrors) if (!baselineErrored.has(e.exampleId)) add(e.exampleId, 'error_rate');
  const inCandidate = new Set(cIds);
  const missing = bIds.filter((id) => !inCandidate.has(id)).sort();

  const ids = [...lost.keys()].sort();
  const kept = ids.slice(0, limit);
  const results = new Map((await resultsOf(store, candidate.id, kept)).map((r) => [r.exampleId, r]));
  const items: TriageItem[] = [];
  for (const id of kept) {
    const r = results.get(id);
    if (r) items.push(resultItem(candidate.id, r, byId.get(id), [...(lost.get(id) ?? [])].sort()));
  }
  for (const id of missing.slice(0, Math.max(0, limit - items.length))) {
    const e = byId.get(id);
    items.push({
      key: `${id}#0`,
      exampleId: id,
      runId: candidate.id,
      input: e ? (typeof e.input === 'string' ? e.input : JSON.stringify(e.input)) : '',
      output: '',
      reason: 'missing: the candidate run has no result for this example',
      slices: e ? [...e.slices] : [],
      failingMetrics: ['missing_result'],
    });
  }
  return { items, total: ids.length + missing.length, population: examplePopulation(examples, 1), owners: { ...metricOwners(baseline), ...metricOwners(candidate) } };
}

async function resultsOf(store: Store, runId: string, ids: readonly string[]) {
  const out = [];
  for (let i = 0; i < ids.length; i += 500) out.push(...(await store.runs.resultsFor(runId, ids.slice(i, i + 500))));
  return out;
}
