import { z } from 'zod';
import { runClusteringOffThread } from '../clustering/run-clustering-off-thread.js';
import { ClusterCoverageSchema, type ClusterCoverage } from '../core/coverage/cluster-coverage.js';
import { CoverageConfigSchema } from '../core/coverage/coverage-config.js';
import { computeCoverage, CoverageFiguresSchema } from '../core/coverage/compute-coverage.js';
import { inputText } from '../core/coverage/input-text.js';
import { EvalOpsError } from '../core/errors.js';
import { sampleWindowTraceIds, traceSliceGroups } from '../store/coverage-queries.js';
import { SpanQueries } from '../store/span-queries.js';
import type { Store } from '../store/store.js';

export const CoverageRequestSchema = CoverageConfigSchema.extend({
  version: z.string().min(1).max(64).optional().describe('dataset version (hash or prefix; default the newest)'),
  top: z.number().int().min(1).max(100).default(10).describe('uncovered slices listed with example traces'),
  clusters: z
    .strictObject({
      maxTraces: z.number().int().min(10).max(5_000).default(2_000).describe('traces of the window sampled and clustered'),
      seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
      maxClusters: z.number().int().min(2).max(100).default(50).describe('at most this many clusters (merging stops earlier at the cut-off)'),
    })
    .optional()
    .describe('also measure coverage by clusters of what users ask (the offline method of `evalops triage`)'),
});
export type CoverageRequest = z.input<typeof CoverageRequestSchema>;

export const CoverageReportSchema = CoverageFiguresSchema.extend({
  project: z.string(),
  dataset: z.object({ name: z.string(), version: z.string(), examples: z.number().int() }),
  window: z.object({ from: z.string(), to: z.string(), days: z.number().int() }),
  minExamples: z.number().int(),
  /** Configured span attribute → slice key, besides `evalops.slice.*`. */
  attributes: z.record(z.string(), z.string()),
  /** `evalops traces promote …` for the top uncovered slices' example traces. */
  promote: z.array(z.object({ slice: z.string(), command: z.string() })),
  /** With `clusters` in the request: coverage by clusters of the traces' inputs and the examples'. */
  clusters: ClusterCoverageSchema.extend({ promote: z.array(z.object({ cluster: z.string(), command: z.string() })) }).optional(),
  notes: z.array(z.string()),
});
export type CoverageReport = z.infer<typeof CoverageReportSchema>;

/**
 * `evalops datasets coverage DATASET`: the production traffic of the last `days` days against the
 * dataset's slices — the share of traffic in slices with fewer than `minExamples` examples, the top
 * uncovered slices with example traces and the command to promote them, and per slice its share of
 * each day's traffic and the age of its newest example (staleness).
 * @example await datasetCoverage(store, 'support-bot', 'cases', { attributes: { intent: 'app.intent' } })
 */
export async function datasetCoverage(store: Store, projectName: string, datasetName: string, request: z.output<typeof CoverageRequestSchema>, now: number = Date.now()): Promise<CoverageReport> {
  const project = await store.projects.findByName(projectName);
  if (!project) throw new EvalOpsError('not_found', `project "${projectName}" does not exist`);
  const version = await store.datasets.getVersion(project.id, datasetName, request.version);
  const [sliceLists, firstSeen] = await Promise.all([store.datasets.exampleSlices(version.id), store.datasets.exampleFirstSeen(version.id)]);
  const counts = new Map<string, number>();
  const newest = new Map<string, string>();
  for (const [id, slices] of sliceLists) {
    const seen = firstSeen.get(id);
    for (const s of slices) {
      counts.set(s, (counts.get(s) ?? 0) + 1);
      if (seen !== undefined && (newest.get(s) ?? '') < seen) newest.set(s, seen);
    }
  }
  const keys = new Set([...counts.keys()].map((s) => s.slice(0, s.indexOf(':'))));
  for (const key of Object.keys(request.attributes)) {
    if (!keys.has(key)) {
      throw new EvalOpsError('config', `dataset ${datasetName} has no slice key "${key}"; its slice keys: ${[...keys].sort().join(', ') || 'none'}`, { location: `coverage.attributes.${key}` });
    }
  }
  const mapped = new Map(Object.entries(request.attributes).map(([key, attribute]) => [attribute, key]));
  const window = { fromMs: now - request.days * 86_400_000, toMs: now };
  const { total, groups } = await traceSliceGroups(store.db, store.dialect, project.id, window, [...mapped.keys()]);
  const figures = computeCoverage({ totalTraces: total, groups, datasetSlices: counts, datasetSize: sliceLists.size, attributes: mapped, k: request.minExamples, newestExampleAt: newest });
  const notes: string[] = [];
  if (total === 0) notes.unshift(`no traces between ${new Date(window.fromMs).toISOString()} and ${new Date(window.toMs).toISOString()}: nothing to compare the dataset with`);
  else if (figures.sliced === 0) notes.unshift(`none of the ${total} traces carries a slice attribute (evalops.slice.KEY${mapped.size ? ` or ${[...mapped.keys()].join(', ')}` : ''}): set one on your spans or map an attribute under coverage.attributes`);
  const top = figures.uncovered.slice(0, request.top);
  const clusters = request.clusters && total > 0 ? await clusterCoverage(store, project.id, version.id, datasetName, window, total, request.minExamples, request.clusters, request.top, notes) : undefined;
  return {
    project: projectName,
    dataset: { name: datasetName, version: version.hash, examples: sliceLists.size },
    window: { from: new Date(window.fromMs).toISOString(), to: new Date(window.toMs).toISOString(), days: request.days },
    minExamples: request.minExamples,
    attributes: { ...request.attributes },
    ...figures,
    uncovered: top,
    promote: top.filter((s) => s.exampleTraceIds.length > 0).map((s) => ({ slice: s.slice, command: `evalops traces promote ${s.exampleTraceIds.join(' ')} --dataset ${datasetName}` })),
    ...(clusters ? { clusters } : {}),
    notes,
  };
}

/**
 * Examples clustered at most; a larger dataset is clustered on an even sample and its counts scaled.
 * With 5,000 traces, 5,000 examples and texts clipped to CLUSTER_TEXT characters, the clustering
 * costs the server at most about 2 s of CPU and 400 MiB (measured on random 300-word texts); 20,000
 * of each at 2,000 characters took 23 s and 1.5 GiB — a viewer's request must not buy that.
 */
const MAX_CLUSTERED_EXAMPLES = 5_000;
const CLUSTER_TEXT = 500;

async function clusterCoverage(
  store: Store,
  projectId: string,
  versionId: string,
  datasetName: string,
  window: { readonly fromMs: number; readonly toMs: number },
  windowTraces: number,
  k: number,
  options: { readonly maxTraces: number; readonly seed: number; readonly maxClusters: number },
  top: number,
  notes: string[],
): Promise<ClusterCoverage & { promote: { cluster: string; command: string }[] }> {
  const ids = await sampleWindowTraceIds(store.db, projectId, window, options.maxTraces, options.seed);
  const io = await new SpanQueries(store.db, store.dialect).rootIo(projectId, ids);
  const production = ids.flatMap((traceId) => {
    const text = inputText(io.get(traceId)?.input, CLUSTER_TEXT);
    return text.trim() === '' ? [] : [{ traceId, text }];
  });
  if (production.length < ids.length) notes.push(`coverage by clusters: ${ids.length - production.length} of ${ids.length} sampled traces have no input on a root span in the window and were left out`);
  const all = await store.datasets.examples(versionId);
  const stride = Math.ceil(all.length / MAX_CLUSTERED_EXAMPLES);
  const chosen = stride > 1 ? all.filter((_, i) => i % stride === 0) : all;
  if (stride > 1) notes.push(`coverage by clusters: ${chosen.length} of the dataset's ${all.length} examples were clustered (one in ${stride}); their counts are scaled by ${stride}`);
  const result = await runClusteringOffThread('clusterCoverage', { production, dataset: chosen.map((e) => ({ exampleId: e.id, text: inputText(e.input, CLUSTER_TEXT) })), windowTraces, k: Math.ceil(k / stride), seed: options.seed, maxClusters: options.maxClusters });
  const clusters = stride > 1 ? result.clusters.map((c) => ({ ...c, examples: c.examples * stride })) : result.clusters;
  const promote = clusters
    .filter((c) => !c.covered && c.exampleTraceIds.length > 0)
    .slice(0, top)
    .map((c) => ({ cluster: c.id, command: `evalops traces promote ${c.exampleTraceIds.join(' ')} --dataset ${datasetName}` }));
  return { ...result, clusters, promote };
}
