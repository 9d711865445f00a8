import { addExamples } from '../datasets/add-examples.js';
import { EvalOpsError } from '../core/errors.js';
import type { Example } from '../core/example.js';
import { contentHash } from '../core/hash.js';
import { inputText } from '../core/near-duplicates.js';
import { queueOf } from '../review/review-scope.js';
import type { Store } from '../store/store.js';
import { ACCEPT } from './queue-candidates.js';

export interface CommitOutcome {
  readonly dataset: string;
  readonly version: string;
  readonly created: boolean;
  /** Accepted items that are now examples. */
  readonly committed: number;
  readonly rejected: number;
  /** Items not settled yet (unlabelled, or reviewers disagreeing). */
  readonly pending: number;
  readonly examples: number;
}

/**
 * The accepted items of a generation queue become examples of the dataset's next version, in one
 * version: `source: synthetic`, the queue's slice, and provenance in metadata (model, what they were
 * generated around, rationale, queue, item, who accepted). Rejected and unsettled items stay out. The
 * example id is the input's content hash, so committing again replaces rather than duplicates.
 */
export async function commitAccepted(store: Store, project: string, queueRef: string, datasetName: string): Promise<CommitOutcome> {
  const { projectId, queue } = await queueOf(store, project, queueRef);
  const items = (await store.reviews.items(queue.id, { reviewersPerItem: queue.reviewersPerItem })).filter((i) => i.source === 'synthetic');
  const accepted = items.filter((i) => i.truth === ACCEPT);
  const rejected = items.filter((i) => i.truth !== null && i.truth !== ACCEPT).length;
  const pending = items.filter((i) => i.truth === null).length;
  if (accepted.length === 0) throw new EvalOpsError('conflict', `review queue "${queue.name}" has no accepted generated items yet (${pending} pending, ${rejected} rejected): label them with \`evalops review\` first`);
  const labels = await store.reviews.labelsFor(accepted.map((i) => i.id));
  const acceptors = (itemId: string): string[] => labels.filter((l) => l.itemId === itemId && l.label === ACCEPT).map((l) => l.reviewer);
  const examples: Example[] = accepted.map((item) => {
    const note = (item.payload.output ?? {}) as { rationale?: string; generatedBy?: string; around?: string };
    return {
      id: `synthetic_${contentHash(inputText(item.payload.input), 12)}`,
      input: item.payload.input ?? null,
      ...(item.payload.expected === undefined ? {} : { expected: item.payload.expected }),
      metadata: { generatedBy: note.generatedBy ?? null, generatedAround: note.around ?? null, rationale: note.rationale ?? null, reviewQueue: queue.name, reviewItem: item.id, acceptedBy: item.truthBy === 'consensus' || item.truthBy === null ? acceptors(item.id) : [item.truthBy] },
      slices: item.payload.slices.filter((s) => /^[^:\s]+:[^\s]+$/.test(s)),
      source: 'synthetic',
    };
  });
  const saved = await addExamples(store, projectId, datasetName, examples, `generate:${queue.name}`);
  return { dataset: datasetName, version: saved.version.hash, created: saved.created, committed: examples.length, rejected, pending, examples: saved.examples };
}
