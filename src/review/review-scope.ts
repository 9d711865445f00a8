import { EvalOpsError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import type { ReviewQueueRecord } from '../store/review-repository.js';

/** The project's id and one of its queues (by name or id); not found names both. */
export async function queueOf(store: Store, projectName: string, queueRef: string): Promise<{ projectId: string; queue: ReviewQueueRecord }> {
  const projectId = await projectIdOf(store, projectName);
  return { projectId, queue: await store.reviews.getQueue(projectId, queueRef) };
}

export async function projectIdOf(store: Store, projectName: string): Promise<string> {
  const project = await store.projects.findByName(projectName);
  if (!project) throw new EvalOpsError('not_found', `project "${projectName}" not found`);
  return project.id;
}
