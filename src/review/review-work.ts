import { EvalOpsError } from '../core/errors.js';
import type { NewReviewLabel, ReviewItemRecord, ReviewQueueRecord } from '../store/review-repository.js';
import { withWriteRetry } from '../store/audit-repository.js';
import type { Store } from '../store/store.js';
import { queueOf } from './review-scope.js';

/**
 * A reviewer's work on a queue: take the next item, label it, and (for owners) adjudicate disputes.
 * Who the reviewer is comes from the caller: the API key's name on a server, --actor in the CLI.
 */

/** The reviewer's next item (the open one they hold, else a new assignment), or null when done. */
export async function nextReviewItem(store: Store, projectName: string, queueRef: string, reviewer: string): Promise<{ queue: ReviewQueueRecord; item: ReviewItemRecord | null }> {
  const { projectId, queue } = await queueOf(store, projectName, queueRef);
  assertReviewer(queue, reviewer);
  await expireReviewLeases(store, projectId, queue);
  return { queue, item: await store.reviews.next(queue, reviewer) };
}

/**
 * Returns to the queue the items whose assignment outlived the queue's lease unlabelled, each ended
 * assignment audited (`review.lease_expired`, actor `system`). Runs before an item is handed out.
 */
export async function expireReviewLeases(store: Store, projectId: string, queue: ReviewQueueRecord): Promise<number> {
  const expired = await store.reviews.expireLeases(queue);
  for (const e of expired) {
    await store.audit.append(projectId, {
      actor: 'system',
      action: 'review.lease_expired',
      entityType: 'review_item',
      entityId: e.itemId,
      payload: { queue: queue.name, reviewer: e.reviewer, assignedAt: e.assignedAt, leaseMinutes: queue.leaseMinutes },
    });
  }
  return expired.length;
}

/**
 * A reviewer gives back an item they hold unlabelled, audited: `release` returns it to the queue
 * (anyone may take it, them included); `skip` passes on it (it goes to someone else and is never
 * offered to them again).
 */
export async function giveBackReviewItem(store: Store, projectName: string, queueRef: string, itemId: string, reviewer: string, how: 'release' | 'skip'): Promise<ReviewItemRecord> {
  const { projectId, queue } = await queueOf(store, projectName, queueRef);
  assertReviewer(queue, reviewer);
  return withWriteRetry(() =>
    store.db.transaction().execute(async (trx) => {
      const item = await store.reviews.giveBack(queue, itemId, reviewer, how, trx);
      await store.audit.append(projectId, { actor: reviewer, action: `review.${how}`, entityType: 'review_item', entityId: itemId, payload: { queue: queue.name, metric: queue.metric } }, trx);
      return item;
    }),
  );
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
