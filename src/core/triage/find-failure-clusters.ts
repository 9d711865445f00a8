import { clusterTexts, type ClusterOptions } from './cluster-failures.js';
import { describeClusters, type Population } from './describe-clusters.js';
import type { FailureCluster, TriageItem } from './triage-cluster.js';

/**
 * Failure clusters of triaged items with the offline method: each item's input, output and failure
 * reason as one text, clustered (cluster-failures.ts) and described (describe-clusters.ts).
 * Deterministic for the same items (in the same order), options and seed.
 * @example findFailureClusters(items, { owners: { cites_policy: 'product@example.com' } }).map((c) => c.name)
 */
export function findFailureClusters(
  items: readonly TriageItem[],
  context: { readonly owners?: Readonly<Record<string, string>>; readonly population?: Population; readonly options?: ClusterOptions } = {},
): FailureCluster[] {
  const clusters = clusterTexts(items.map(triageText), context.options ?? {});
  return describeClusters(items, clusters, { owners: context.owners ?? {}, ...(context.population ? { population: context.population } : {}) });
}

/** The text an item is clustered by: input, output and reason, the reason twice (it says most about the failure). */
export function triageText(item: TriageItem): string {
  return `${item.input}\n${item.output}\n${item.reason}\n${item.reason}`;
}
