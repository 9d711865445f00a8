import { EvalOpsError } from '../core/errors.js';
import { contentHash } from '../core/hash.js';
import { inputText } from '../core/near-duplicates.js';
import type { NewReviewItem, ReviewQueueRecord } from '../store/review-repository.js';
import type { Store } from '../store/store.js';
import { createReviewQueue } from '../review/review-queue-service.js';
import type { Candidate } from './generate-candidates.js';

/** The labels of a generation queue: a reviewer accepts or rejects each generated input. */
export const ACCEPT = 'accept';
export const REJECT = 'reject';
/** The metric a generation queue is created for (a queue needs one; nothing scores it). */
export const SYNTHETIC_METRIC = 'synthetic_accept';

/** Where generated items came from, shown to the reviewer and kept on the example. */
export interface Provenance {
  readonly model: string;
  readonly around: string;
  readonly slice: string;
}

/**
 * Puts generated inputs in a review queue (created, labels accept / reject, when it does not exist),
 * all in one transaction: source `synthetic`, the reviewer sees the input, the expected values and,
 * as the "output", the generator's rationale and provenance. An input already in the queue is skipped
 * (its key is its content hash). Nothing enters a dataset here: `commitAccepted` does, for accepted items.
 */
export async function queueCandidates(store: Store, project: string, queueName: string, candidates: readonly Candidate[], provenance: Provenance, actor: string): Promise<{ queue: ReviewQueueRecord; added: number; skipped: number }> {
  const queue = await ensureQueue(store, project, queueName, actor);
  const items: NewReviewItem[] = candidates.map((c) => ({
    key: `synthetic:${contentHash(inputText(c.input))}`,
    source: 'synthetic',
    reason: 'manual',
    payload: {
      input: c.input,
      ...(c.expected === undefined ? {} : { expected: c.expected }),
      output: { rationale: c.rationale, generatedBy: provenance.model, around: provenance.around },
      toolCalls: [],
      slices: [provenance.slice],
      judge: null,
      checks: {},
      latencyMs: null,
      costUsd: null,
    },
  }));
  const { added, skipped } = await store.reviews.addItems(queue, items);
  return { queue, added, skipped };
}

async function ensureQueue(store: Store, project: string, name: string, actor: string): Promise<ReviewQueueRecord> {
  const projectRow = await store.projects.findByName(project);
  if (projectRow) {
    const existing = await store.reviews.getQueue(projectRow.id, name).catch((e: unknown) => {
      if (e instanceof EvalOpsError && e.code === 'not_found') return undefined;
      throw e;
    });
    if (existing) {
      const labels = existing.rubric.labels.map((l) => l.label);
      if (!labels.includes(ACCEPT)) throw new EvalOpsError('conflict', `review queue "${name}" is not a generation queue (its labels are ${labels.join(', ')}; a generation queue has ${ACCEPT} and ${REJECT}): choose another --queue`);
      return existing;
    }
  }
  return createReviewQueue(
    store,
    project,
    {
      name,
      metric: SYNTHETIC_METRIC,
      rubric: { labels: [{ label: ACCEPT, definition: 'a realistic, new input worth keeping in the dataset' }, { label: REJECT, definition: 'unrealistic, off-topic, harmful to keep, or a repeat' }], pass: [ACCEPT], ordinal: false },
      reviewers: [],
      reviewersPerItem: 1,
    },
    actor,
  );
}
