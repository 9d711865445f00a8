import type { ProjectScope } from '../store/project-scope.js';
import type { ApiContext } from './api-context.js';

/**
 * The projects the caller may see, for lookups by id (a run, a decision, a release, a key): the key's
 * project, or null (every project) for an instance-wide key and the CLI's local mode. Repositories
 * put it in the WHERE clause, so another project's id answers exactly as an unknown id — no probing.
 * @example await ctx.store.runs.getInProject(keyScope(ctx), runId)
 */
export function keyScope(ctx: ApiContext): ProjectScope {
  return ctx.principal?.projectId ?? null;
}
