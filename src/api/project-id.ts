import { EvalOpsError } from '../core/errors.js';
import type { Store } from '../store/store.js';

/** The id of a named project; 404 when it does not exist (auth has already checked the key's scope). */
export async function projectId(store: Store, name: string): Promise<string> {
  const project = await store.projects.findByName(name);
  if (!project) throw new EvalOpsError('not_found', `project "${name}" not found`);
  return project.id;
}
