import { EvalOpsError } from '../core/errors.js';
import type { Example } from '../core/example.js';
import type { Span } from '../core/span.js';
import { datasetVersionHash } from '../datasets/dataset-hash.js';
import type { DatasetVersionRecord } from '../store/dataset-repository.js';
import type { TraceFilter } from '../store/span-repository.js';
import type { Store } from '../store/store.js';
import { summariseTrace, type TraceSummary } from './trace-summary.js';
import { traceToExample } from './trace-to-example.js';

/** Traces of a project (by their root span), newest first, summarised. */
export async function listTraces(store: Store, projectName: string, filter: Omit<TraceFilter, 'projectId'>): Promise<TraceSummary[]> {
  const projectId = await projectIdOf(store, projectName);
  const ids = await store.spans.traceIds({ ...filter, projectId });
  const out: TraceSummary[] = [];
  for (const traceId of ids) out.push(summariseTrace(await store.spans.list({ projectId, traceId })));
  return out;
}

/** Every span of one trace, in start order. */
export async function traceSpans(store: Store, projectName: string, traceId: string): Promise<Span[]> {
  const projectId = await projectIdOf(store, projectName);
  const spans = await store.spans.list({ projectId, traceId: traceId.toLowerCase() });
  if (spans.length === 0) throw new EvalOpsError('not_found', `trace ${traceId} not found in project ${projectName}`);
  return spans;
}

export interface PromoteResult {
  readonly dataset: string;
  readonly version: DatasetVersionRecord;
  readonly created: boolean;
  readonly promoted: number;
  readonly examples: number;
}

/**
 * Promotes traces into a new version of a dataset (the first turn of the flywheel): each trace becomes
 * an example with `source: trace` (see traceToExample), added to the dataset's latest version (an
 * example of the same trace is replaced). Nothing is stored when any trace is missing.
 */
export async function promoteTraces(store: Store, projectName: string, traceIds: readonly string[], datasetName: string): Promise<PromoteResult> {
  if (traceIds.length === 0) throw new EvalOpsError('usage', 'name at least one trace to promote');
  const projectId = await projectIdOf(store, projectName);
  const promoted: Example[] = [];
  for (const id of traceIds) promoted.push(traceToExample(await traceSpans(store, projectName, id)));
  const existing = await store.datasets.getVersion(projectId, datasetName).then(
    (v) => store.datasets.examples(v.id),
    (e: unknown) => {
      if (e instanceof EvalOpsError && e.code === 'not_found') return [] as Example[];
      throw e;
    },
  );
  const byId = new Map(existing.map((e) => [e.id, e]));
  for (const e of promoted) byId.set(e.id, e);
  const examples = [...byId.values()];
  const { version, created } = await store.datasets.saveVersion(projectId, datasetName, datasetVersionHash(examples), examples, `traces:${traceIds.length}`);
  return { dataset: datasetName, version, created, promoted: promoted.length, examples: examples.length };
}

async function projectIdOf(store: Store, name: string): Promise<string> {
  const project = await store.projects.findByName(name);
  if (!project) throw new EvalOpsError('not_found', `project "${name}" not found`);
  return project.id;
}
