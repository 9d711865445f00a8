/**
 * The settled (true) label of a review item: the adjudicated label when there is one; else the label
 * every reviewer gave, once as many reviewers as the queue asks for have labelled; else none (still
 * open, or disputed and waiting for adjudication).
 * @example settledLabel(['right', 'right'], 2) // 'right'
 * @example settledLabel(['right', 'wrong'], 2) // null (disputed)
 */
export function settledLabel(labels: readonly string[], reviewersPerItem: number, adjudicated?: string | null): string | null {
  if (adjudicated) return adjudicated;
  if (labels.length < reviewersPerItem || labels.length === 0) return null;
  const first = labels[0] as string;
  return labels.every((l) => l === first) ? first : null;
}

/** An item whose reviewers disagree and that no one has adjudicated yet. */
export function isDisputed(labels: readonly string[], adjudicated?: string | null): boolean {
  return !adjudicated && new Set(labels).size > 1;
}
