import { EvalOpsError } from '../core/errors.js';
import { MetricNameSchema } from '../core/metric.js';
import type { Rubric } from '../core/review/rubric.js';
import { DEFAULT_LEASE_MINUTES, type QueueProgress, type ReviewQueueRecord } from '../store/review-repository.js';
import type { Store } from '../store/store.js';
import { projectIdOf, queueOf } from './review-scope.js';

export interface QueueSpec {
  readonly name: string;
  readonly metric: string;
  readonly rubric: Rubric;
  readonly reviewers: readonly string[];
  readonly reviewersPerItem: number;
  /** Minutes before an unlabelled assignment returns its item to the queue; default 30. */
  readonly leaseMinutes?: number;
}

/** The longest lease a queue may set: a week. */
export const MAX_LEASE_MINUTES = 10_080;

/**
 * Creates a review queue for a metric. With named reviewers, an item cannot ask for more reviewers
 * than the queue has. The project is created when it does not exist yet (a team may set up review
 * before its first run).
 */
export async function createReviewQueue(store: Store, projectName: string, spec: QueueSpec, actor: string): Promise<ReviewQueueRecord> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(spec.name)) {
    throw new EvalOpsError('input', `queue name "${spec.name}" must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit`, { location: 'name' });
  }
  if (!MetricNameSchema.safeParse(spec.metric).success) throw new EvalOpsError('input', `"${spec.metric}" is not a metric name`, { location: 'metric' });
  if (!Number.isInteger(spec.reviewersPerItem) || spec.reviewersPerItem < 1 || spec.reviewersPerItem > 20) {
    throw new EvalOpsError('input', 'reviewers per item must be a whole number from 1 to 20', { location: 'reviewersPerItem' });
  }
  const leaseMinutes = spec.leaseMinutes ?? DEFAULT_LEASE_MINUTES;
  if (!Number.isInteger(leaseMinutes) || leaseMinutes < 1 || leaseMinutes > MAX_LEASE_MINUTES) {
    throw new EvalOpsError('input', `leaseMinutes must be a whole number of minutes from 1 to ${MAX_LEASE_MINUTES} (a week), not ${leaseMinutes}`, { location: 'leaseMinutes' });
  }
  const reviewers = [...new Set(spec.reviewers.map((r) => r.trim()).filter((r) => r.length > 0))];
  if (reviewers.length > 0 && reviewers.length < spec.reviewersPerItem) {
    throw new EvalOpsError('input', `queue asks for ${spec.reviewersPerItem} reviewers per item but names only ${reviewers.length} (${reviewers.join(', ')})`, { location: 'reviewersPerItem' });
  }
  const project = await store.projects.ensure(projectName);
  return store.reviews.createQueue({ projectId: project.id, name: spec.name, metric: spec.metric, rubric: spec.rubric, reviewers, reviewersPerItem: spec.reviewersPerItem, leaseMinutes, createdBy: actor });
}

/** A queue with its progress. */
export interface QueueWithProgress {
  readonly queue: ReviewQueueRecord;
  readonly progress: QueueProgress;
}

export async function listReviewQueues(store: Store, projectName: string): Promise<QueueWithProgress[]> {
  const project = await store.projects.findByName(projectName);
  if (!project) return [];
  const queues = await store.reviews.listQueues(project.id);
  return Promise.all(queues.map(async (queue) => ({ queue, progress: await store.reviews.progress(queue) })));
}

export async function getReviewQueue(store: Store, projectName: string, queueRef: string): Promise<QueueWithProgress> {
  const { queue } = await queueOf(store, projectName, queueRef);
  return { queue, progress: await store.reviews.progress(queue) };
}

