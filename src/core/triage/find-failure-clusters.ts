import { clusterEmbeddings, clusterTexts, type ClusterOptions } from './cluster-failures.js';
import { describeClusters, type Population } from './describe-clusters.js';
import type { FailureCluster, TriageItem } from './triage-cluster.js';

/**
 * Failure clusters of triaged items: each item's input, output and failure reason as one text,
 * clustered (cluster-failures.ts) — on `embeddings` of those texts (triageText) when given, else by the
 * offline TF-IDF method — and described (describe-clusters.ts). Deterministic for the same items (in
 * the same order), embeddings, options and seed.
 * @example findFailureClusters(items, { owners: { cites_policy: 'product@example.com' } }).map((c) => c.name)
 */
export function findFailureClusters(
  items: readonly TriageItem[],
  context: { readonly owners?: Readonly<Record<string, string>>; readonly population?: Population; readonly options?: ClusterOptions; readonly embeddings?: readonly (readonly number[])[] } = {},
): FailureCluster[] {
  const texts = items.map(triageText);
  const clusters = context.embeddings ? clusterEmbeddings(texts, context.embeddings, context.options ?? {}) : clusterTexts(texts, context.options ?? {});
  return describeClusters(items, clusters, { owners: context.owners ?? {}, ...(context.population ? { population: context.population } : {}) });
}

/** The text an item is clustered by: input, output and reason, the reason twice (it says most about the failure). */
export function triageText(item: TriageItem): string {
  return `${item.input}\n${item.output}\n${item.reason}\n${item.reason}`;
}
