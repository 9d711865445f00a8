import { computeClusterCoverage } from '../core/coverage/cluster-coverage.js';
import { findFailureClusters } from '../core/triage/find-failure-clusters.js';

/**
 * The clustering work a server hands to a worker thread (run-clustering-off-thread.ts): pure
 * functions of structured-cloneable arguments, named so the worker can find them.
 */
export const CLUSTERING_JOBS = {
  failureClusters: findFailureClusters,
  clusterCoverage: computeClusterCoverage,
} as const;

export type ClusteringJob = keyof typeof CLUSTERING_JOBS;
export type ClusteringArgs<J extends ClusteringJob> = Parameters<(typeof CLUSTERING_JOBS)[J]>;
export type ClusteringResult<J extends ClusteringJob> = ReturnType<(typeof CLUSTERING_JOBS)[J]>;

export interface ClusteringRequest {
  readonly job: ClusteringJob;
  readonly args: readonly unknown[];
}

export type ClusteringReply = { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly message: string };
