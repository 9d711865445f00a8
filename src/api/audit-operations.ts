import { z } from 'zod';
import { AuditEntrySchema } from '../core/audit-chain.js';
import { EvalOpsError } from '../core/errors.js';
import { limitQuery, ProjectParams } from './api-schemas.js';
import { defineOperation } from './operation.js';

/**
 * The project's hash-chained audit log: entries, and verification of the chain. `evalops audit
 * list|verify`. A broken chain is an outcome of verification (`ok: false` with the first bad entry,
 * HTTP 200), not an error: the check ran and found tampering. The CLI turns it into exit 1.
 */

const ChainHeadSchema = z.object({ seq: z.number().int(), hash: z.string() });

export const listAuditEntries = defineOperation({
  id: 'listAuditEntries',
  method: 'get',
  path: '/projects/{project}/audit',
  summary: 'Audit log entries, oldest first: the newest `limit`, or with `after` the entries after that position',
  tags: ['audit'],
  permission: 'audit:read',
  params: ProjectParams,
  query: z.object({
    limit: limitQuery(50, 100_000),
    after: z.coerce.number().int().min(0).optional().describe('only entries with a greater seq (to read the log forward, a page at a time)'),
  }),
  response: z.object({ project: z.string(), entries: z.array(AuditEntrySchema) }),
  async handle(ctx, { params, query }) {
    const project = await ctx.store.projects.findByName(params.project);
    const entries = project ? await ctx.store.audit.list(project.id, { limit: query.limit, ...(query.after === undefined ? {} : { after: query.after }) }) : [];
    return { project: params.project, entries };
  },
});

export const verifyAuditChain = defineOperation({
  id: 'verifyAuditChain',
  method: 'get',
  path: '/projects/{project}/audit/verify',
  summary:
    'Recompute the hash chain. `ok: false` (still 200) names the first edited, deleted or reordered entry; `head` is the last good entry (keep a copy elsewhere to catch deletion of the newest entries)',
  tags: ['audit'],
  permission: 'audit:read',
  params: ProjectParams,
  response: z.object({
    project: z.string(),
    ok: z.boolean(),
    /** Entries checked: all when intact, up to the first bad one otherwise. */
    entries: z.number().int(),
    head: ChainHeadSchema.nullable(),
    firstBad: z
      .object({
        seq: z.number().int(),
        problem: z.enum(['hash mismatch', 'broken link', 'gap']),
        message: z.string(),
        /** The entry as stored (payload as stored text), to show what was found. */
        entry: z.object({
          seq: z.number().int(),
          at: z.string(),
          actor: z.string(),
          action: z.string(),
          entityType: z.string(),
          entityId: z.string(),
          payload: z.string(),
          prevHash: z.string(),
          hash: z.string(),
        }),
      })
      .nullable(),
  }),
  async handle(ctx, { params }) {
    const project = await ctx.store.projects.findByName(params.project);
    if (!project) throw new EvalOpsError('not_found', `project "${params.project}" does not exist`);
    const result = await ctx.store.audit.verify(project.id);
    return { project: params.project, ok: result.ok, entries: result.entries, head: result.head, firstBad: result.firstBad ?? null };
  },
});
