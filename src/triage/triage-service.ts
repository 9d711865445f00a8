import { runClusteringOffThread } from '../clustering/run-clustering-off-thread.js';
import { EvalOpsError } from '../core/errors.js';
import type { ClusterOptions } from '../core/triage/cluster-failures.js';
import { clusterSlug } from '../core/triage/describe-clusters.js';
import { triageText } from '../core/triage/find-failure-clusters.js';
import type { FailureCluster, TriageItem } from '../core/triage/triage-cluster.js';
import type { MonitorAlertEvidence } from '../core/monitor/alert-evidence.js';
import type { ProjectScope } from '../store/project-scope.js';
import type { Store } from '../store/store.js';
import type { TraceListParams } from '../traces/trace-query.js';
import { alertWindowItems } from './alert-window-items.js';
import type { EmbeddingUsage, TriageEmbedder } from './model-embedder.js';
import { regressionItems } from './regression-items.js';
import { runFailureItems } from './run-failure-items.js';
import { traceFilterItems } from './trace-filter-items.js';
import type { TriageSource } from './triage-source.js';

/**
 * Triage: the failing items of a source — a run's failures, a comparison's regressions, an alert's
 * evidence window, or a trace filter — grouped into failure clusters. Every lookup by id takes the
 * caller's project scope, so another project's run or alert answers like an unknown one.
 */

export type TriageRequest =
  | { readonly kind: 'run'; readonly runId: string }
  | { readonly kind: 'compare'; readonly baselineRunId: string; readonly candidateRunId: string }
  | { readonly kind: 'alert'; readonly project: string; readonly alertId: string }
  | { readonly kind: 'traces'; readonly project: string; readonly filter: TraceListParams };

/** Names a cluster from its terms and representatives (a model, when one is configured); undefined keeps the terms. */
export type ClusterNamer = (cluster: FailureCluster) => Promise<string | undefined>;

export interface TriageOptions extends ClusterOptions {
  /** Items clustered at most (default 10,000); the rest are counted in `total`. */
  readonly limit?: number;
  readonly namer?: ClusterNamer;
  /** Cluster on this model's embeddings of the items; without it, the offline TF-IDF method. */
  readonly embedder?: TriageEmbedder;
}

/** How the clusters were made: offline (TF-IDF), or on an embedding model's vectors and what they cost. */
export type ClusterMethod = { readonly kind: 'tfidf' } | ({ readonly kind: 'embeddings' } & EmbeddingUsage);

export interface Triage {
  readonly projectId: string;
  readonly request: TriageRequest;
  readonly items: readonly TriageItem[];
  readonly total: number;
  readonly clusters: readonly FailureCluster[];
  readonly method: ClusterMethod;
  /** For an alert: its evidence (what moved). */
  readonly evidence?: MonitorAlertEvidence;
}

export const DEFAULT_TRIAGE_LIMIT = 10_000;

export async function triage(store: Store, scope: ProjectScope, request: TriageRequest, options: TriageOptions = {}): Promise<Triage> {
  const limit = options.limit ?? DEFAULT_TRIAGE_LIMIT;
  const { projectId, source, evidence } = await collect(store, scope, request, limit);
  const embedded = options.embedder && source.items.length > 0 ? await options.embedder.embed(source.items.map(triageText)) : undefined;
  // Off the event loop (run-clustering-off-thread.ts); only the clustering options cross to the worker.
  const clusterOptions: ClusterOptions = pick(options);
  let clusters: FailureCluster[] = await runClusteringOffThread('failureClusters', source.items, { owners: source.owners, population: source.population, options: clusterOptions, ...(embedded ? { embeddings: embedded.vectors } : {}) });
  if (options.namer) clusters = await nameClusters(clusters, options.namer);
  const method: ClusterMethod = options.embedder ? { kind: 'embeddings', ...(embedded?.usage ?? { model: options.embedder.model, embedded: 0, cached: 0, calls: 0, tokens: null, costUsd: null }) } : { kind: 'tfidf' };
  return { projectId, request, items: source.items, total: source.total, clusters, method, ...(evidence ? { evidence } : {}) };
}

function pick(o: ClusterOptions): ClusterOptions {
  return {
    ...(o.cutoff === undefined ? {} : { cutoff: o.cutoff }),
    ...(o.maxClusters === undefined ? {} : { maxClusters: o.maxClusters }),
    ...(o.sampleSize === undefined ? {} : { sampleSize: o.sampleSize }),
    ...(o.minClusterSize === undefined ? {} : { minClusterSize: o.minClusterSize }),
    ...(o.seed === undefined ? {} : { seed: o.seed }),
  };
}

/** The cluster with this id (c1, c2 …) or slice (cluster:…); an unknown one is a usage error naming it and the known ones. */
export function clusterById(result: Triage, id: string): FailureCluster {
  const found = result.clusters.find((c) => c.id === id || c.slice === id || c.slice === `cluster:${id}`);
  if (!found) {
    const known = result.clusters.map((c) => c.id).join(', ') || 'none';
    throw new EvalOpsError('usage', `cluster "${id}" does not exist in this triage (clusters: ${known})`, { location: '--promote' });
  }
  return found;
}

async function collect(store: Store, scope: ProjectScope, request: TriageRequest, limit: number): Promise<{ projectId: string; source: TriageSource; evidence?: MonitorAlertEvidence }> {
  switch (request.kind) {
    case 'run': {
      const run = await store.runs.getInProject(scope, request.runId);
      return { projectId: run.projectId, source: await runFailureItems(store, run, limit) };
    }
    case 'compare': {
      const baseline = await store.runs.getInProject(scope, request.baselineRunId);
      const candidate = await store.runs.getInProject(scope, request.candidateRunId);
      if (baseline.projectId !== candidate.projectId) throw new EvalOpsError('usage', 'the baseline and candidate runs belong to different projects');
      return { projectId: candidate.projectId, source: await regressionItems(store, baseline, candidate, limit) };
    }
    case 'alert': {
      const projectId = await projectIdOf(store, scope, request.project);
      const alert = await store.alerts.getInProject(projectId, request.alertId);
      const { evidence, ...source } = await alertWindowItems(store, alert, limit);
      return { projectId, source, evidence };
    }
    case 'traces': {
      const projectId = await projectIdOf(store, scope, request.project);
      return { projectId, source: await traceFilterItems(store, request.project, projectId, request.filter) };
    }
  }
}

async function projectIdOf(store: Store, scope: ProjectScope, name: string): Promise<string> {
  const project = await store.projects.findByName(name);
  if (!project || (scope !== null && project.id !== scope)) throw new EvalOpsError('not_found', `project "${name}" not found`);
  return project.id;
}

async function nameClusters(clusters: readonly FailureCluster[], namer: ClusterNamer): Promise<FailureCluster[]> {
  const out: FailureCluster[] = [];
  const seen = new Set<string>();
  for (const c of clusters) {
    const name = c.id === 'noise' ? undefined : await namer(c);
    if (name === undefined || name.trim() === '') {
      out.push(c);
      seen.add(c.slice);
      continue;
    }
    let slice = `cluster:${clusterSlug(name)}`;
    if (seen.has(slice)) slice = `${slice}-${c.id}`;
    seen.add(slice);
    out.push({ ...c, name: name.trim(), slice });
  }
  return out;
}
