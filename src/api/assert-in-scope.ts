import { EvalOpsError } from '../core/errors.js';
import type { ApiContext } from './api-context.js';

/**
 * For things addressed by their own id (a run, a decision, a release): a key of another project gets
 * the same 404 as an id that does not exist, so ids of other projects cannot be probed. Local calls
 * (no key) and instance-wide keys see everything.
 * @example assertInScope(ctx, run.projectId, `run ${run.id}`)
 */
export function assertInScope(ctx: ApiContext, projectId: string, what: string): void {
  const keyProject = ctx.principal?.projectId ?? null;
  if (keyProject !== null && keyProject !== projectId) throw new EvalOpsError('not_found', `${what} not found`);
}
