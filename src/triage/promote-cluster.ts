import { EvalOpsError } from '../core/errors.js';
import type { Example } from '../core/example.js';
import type { FailureCluster, TriageItem } from '../core/triage/triage-cluster.js';
import { addExamples } from '../datasets/add-examples.js';
import type { DatasetVersionRecord } from '../store/dataset-repository.js';
import type { Store } from '../store/store.js';
import { traceToExample } from '../traces/trace-to-example.js';
import type { Triage } from './triage-service.js';

/**
 * From cluster to regression set: the cluster's items become examples of a new version of a dataset,
 * each in the cluster's slice (`cluster:<name>`) and with its provenance in `metadata.triage` — the
 * source run or trace, the failure reason, the cluster and its owners — so a gate rule with
 * `slicePrefix: 'cluster:'` can demand that the failure mode does not come back. Run items keep their
 * dataset example (id, input, expected); trace items become examples as `traces promote` makes them.
 * One version, written in one transaction by the dataset repository.
 */

export interface PromoteClusterResult {
  readonly dataset: string;
  readonly version: DatasetVersionRecord;
  readonly created: boolean;
  readonly promoted: number;
  readonly examples: number;
}

export async function promoteCluster(store: Store, result: Triage, cluster: FailureCluster, datasetName: string): Promise<PromoteClusterResult> {
  const keys = new Set(cluster.itemKeys);
  const items = result.items.filter((it) => keys.has(it.key));
  const promoted = new Map<string, Example>();
  const runExamples = await examplesOfRuns(store, items);
  for (const it of items) {
    const base = it.traceId !== undefined ? traceToExample(await store.spans.list({ projectId: result.projectId, traceId: it.traceId })) : it.exampleId !== undefined ? runExamples.get(`${it.runId}\u0000${it.exampleId}`) : undefined;
    if (!base || promoted.has(base.id)) continue; // a missing result has no example to copy; trials of one example promote it once
    promoted.set(base.id, {
      ...base,
      slices: [...new Set([...base.slices, cluster.slice])].sort(),
      metadata: {
        ...base.metadata,
        triage: {
          source: it.traceId !== undefined ? { trace: it.traceId } : { run: it.runId },
          failureReason: it.reason,
          failingMetrics: it.failingMetrics,
          cluster: { id: cluster.id, name: cluster.name, slice: cluster.slice },
          owners: cluster.owners,
        },
      },
    });
  }
  if (promoted.size === 0) throw new EvalOpsError('usage', `cluster ${cluster.id} has no item with an example or a trace to promote`);
  const saved = await addExamples(store, result.projectId, datasetName, [...promoted.values()], `triage:${cluster.slice}`);
  return { dataset: datasetName, version: saved.version, created: saved.created, promoted: promoted.size, examples: saved.examples };
}

/** The dataset examples of the run items, by run and example id. */
async function examplesOfRuns(store: Store, items: readonly TriageItem[]): Promise<Map<string, Example>> {
  const out = new Map<string, Example>();
  const byRun = new Map<string, Set<string>>();
  for (const it of items) {
    if (it.runId === undefined || it.exampleId === undefined || it.traceId !== undefined) continue;
    byRun.set(it.runId, (byRun.get(it.runId) ?? new Set()).add(it.exampleId));
  }
  for (const [runId, ids] of byRun) {
    const run = await store.runs.get(runId);
    const list = [...ids];
    for (let i = 0; i < list.length; i += 500) {
      for (const e of await store.datasets.examples(run.datasetVersionId, list.slice(i, i + 500))) out.set(`${runId}\u0000${e.id}`, e);
    }
  }
  return out;
}
