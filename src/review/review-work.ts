import { EvalOpsError } from '../core/errors.js';
import type { NewReviewLabel, ReviewItemRecord, ReviewQueueRecord } from '../store/review-repository.js';
import type { Store } from '../store/store.js';
import { queueOf } from './review-scope.js';

/**
 * A reviewer's work on a queue: take the next item, label it, and (for owners) adjudicate disputes.
 * Who the reviewer is comes from the caller: the API key's name on a server, --actor in the CLI.
 */

/** The reviewer's next item (the open one they hold, else a new assignment), or null when done. */
export async function nextReviewItem(store: Store, projectName: string, queueRef: string, reviewer: string): Promise<{ queue: ReviewQueueRecord; item: ReviewItemRecord | null }> {
  const { queue } = await queueOf(store, projectName, queueRef);
  assertReviewer(queue, reviewer);
  return { queue, item: await store.reviews.next(queue, reviewer) };
}

/** Records a reviewer's label on an item assigned to them (the label must be in the rubric). */
export async function labelReviewItem(store: Store, projectName: string, queueRef: string, itemId: string, reviewer: string, label: NewReviewLabel): Promise<ReviewItemRecord> {
  const { queue } = await queueOf(store, projectName, queueRef);
  assertReviewer(queue, reviewer);
  if (label.seconds !== undefined && !(label.seconds >= 0 && label.seconds < 86_400)) throw new EvalOpsError('input', 'seconds spent must be between 0 and 86,400', { location: 'seconds' });
  return store.reviews.label(queue, itemId, reviewer, label);
}

/** Settles an item's label by adjudication; the adjudicated label becomes its truth. */
export async function adjudicateReviewItem(store: Store, projectName: string, queueRef: string, itemId: string, label: string, by: string): Promise<ReviewItemRecord> {
  const { projectId, queue } = await queueOf(store, projectName, queueRef);
  return store.db.transaction().execute(async (trx) => {
    const item = await store.reviews.adjudicate(queue, itemId, label, by, trx);
    await store.audit.append(projectId, { actor: by, action: 'review.adjudicate', entityType: 'review_item', entityId: itemId, payload: { queue: queue.name, metric: queue.metric, label } }, trx);
    return item;
  });
}

function assertReviewer(queue: ReviewQueueRecord, reviewer: string): void {
  if (queue.reviewers.length > 0 && !queue.reviewers.includes(reviewer)) {
    throw new EvalOpsError('forbidden', `${reviewer} is not a reviewer of queue "${queue.name}" (reviewers: ${queue.reviewers.join(', ')})`);
  }
}
