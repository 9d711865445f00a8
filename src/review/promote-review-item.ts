import { addExamples } from '../datasets/add-examples.js';
import { EvalOpsError } from '../core/errors.js';
import type { Example } from '../core/example.js';
import type { Store } from '../store/store.js';
import { queueOf } from './review-scope.js';

export interface PromoteReviewOutcome {
  readonly dataset: string;
  readonly version: string;
  readonly created: boolean;
  readonly example: Example;
  readonly examples: number;
}

/**
 * Closes the loop: a settled review item becomes an example of a dataset's next version, with the
 * human label as the expected outcome (`expected.label`, beside the original expected values) and
 * `source: escalation` for a run result or `trace` for a production trace. The example id is the
 * item's key, so promoting it twice replaces rather than duplicates it.
 */
export async function promoteReviewItem(store: Store, projectName: string, queueRef: string, itemId: string, datasetName: string): Promise<PromoteReviewOutcome> {
  const { projectId, queue } = await queueOf(store, projectName, queueRef);
  const item = await store.reviews.getItem(queue, itemId);
  if (item.truth === null) throw new EvalOpsError('conflict', `item ${itemId} has no settled label yet: its reviewers must agree, or an owner must adjudicate it`);
  const { payload } = item;
  const original = payload.expected !== null && typeof payload.expected === 'object' && !Array.isArray(payload.expected) ? (payload.expected as Record<string, unknown>) : payload.expected === undefined ? {} : { value: payload.expected };
  const example: Example = {
    id: `review_${item.key.replace(/[^A-Za-z0-9_-]+/g, '_')}`,
    input: payload.input ?? null,
    expected: { ...original, label: item.truth, [queue.metric]: item.truth },
    metadata: {
      reviewQueue: queue.name,
      reviewItem: item.id,
      metric: queue.metric,
      humanLabel: item.truth,
      labelledBy: item.truthBy,
      reviewedOutput: payload.output,
      ...(item.runId ? { runId: item.runId } : {}),
      ...(item.exampleId ? { exampleId: item.exampleId } : {}),
      ...(item.traceId ? { traceId: item.traceId } : {}),
      ...(payload.toolCalls.length ? { toolCalls: payload.toolCalls } : {}),
    },
    slices: payload.slices.filter((s) => /^[^:\s]+:[^\s]+$/.test(s)),
    source: item.source === 'trace' ? 'trace' : item.source === 'synthetic' ? 'synthetic' : 'escalation',
  };
  const { version, created, examples } = await addExamples(store, projectId, datasetName, [example], `review:${queue.name}`);
  return { dataset: datasetName, version: version.hash, created, example, examples };
}
