import { z } from 'zod';
import { displayKey, parseApiKey } from '../auth/api-key.js';
import { keyScope } from './key-scope.js';
import { RoleSchema } from '../auth/roles.js';
import { EvalOpsError } from '../core/errors.js';
import { INSTANCE_AUDIT_PROJECT, type ApiKeyRecord } from '../store/api-key-repository.js';
import type { Store } from '../store/store.js';
import { QueryBoolean } from './api-schemas.js';
import type { ApiContext } from './api-context.js';
import { defineOperation } from './operation.js';

/**
 * API keys: `evalops keys create|list|revoke`. Needs `keys:manage` (admin). An admin key of a project
 * manages that project's keys only — another project's key is answered 404, as one that does not
 * exist; an instance-wide admin key (or the CLI's local mode, whose user holds the database) manages
 * every key. A key's secret is answered once, at creation; creation and revocation are audited
 * with the actor (on a server, the calling key's name): in the key's project, or for an
 * instance-wide key in the reserved `_instance` project.
 */

/** A key as answered and printed: never the hash, and the secret only at creation. */
export const KeyViewSchema = z.object({
  id: z.string(),
  /** The public part: 8 characters that name the key (in `keys revoke`, lists, audit entries). */
  prefix: z.string().describe('the public part of the key, which names it; not a secret'),
  /** `eo_<prefix>`: how the key is shown; the start of the key, not the key. */
  display: z.string().describe('eo_<prefix>: how the key is shown in lists and audit entries; not the key'),
  role: RoleSchema,
  /** null for an instance-wide admin key. */
  project: z.string().nullable(),
  name: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  revokedBy: z.string().nullable(),
});
export type KeyView = z.infer<typeof KeyViewSchema>;

export const SHOWN_ONCE_WARNING = 'store this key now: it will not be shown again';
/** What a new project's name must look like (as a config's `project`). */
export const PROJECT_SLUG = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export const createKey = defineOperation({
  id: 'createKey',
  method: 'post',
  path: '/keys',
  summary: 'Create an API key for a project (or, admin only, instance-wide); the answer holds the key (`secret`), once',
  tags: ['keys'],
  permission: 'keys:manage',
  status: 201,
  params: z.object({}),
  body: z.object({
    role: RoleSchema,
    project: z.string().min(1).max(200).nullable().describe('the project of the key (created if missing); null: an instance-wide admin key'),
    name: z.string().max(200).optional().describe('a label, often the holder\'s e-mail: on a server, the key acts under this name'),
  }),
  response: KeyViewSchema.extend({
    secret: z.string().describe('the key itself (eo_<prefix>_<secret>), for `Authorization: Bearer`; answered this once'),
    plaintext: z.string().describe('deprecated: the same as `secret`; removed in the next version'),
    auditSeq: z.number().int(),
    warning: z.string(),
  }),
  async handle(ctx, { body }) {
    if (body.project === null) {
      if (body.role !== 'admin') throw new EvalOpsError('usage', `only admin keys may be instance-wide (got role ${body.role}); name a project`);
      if (ctx.principal !== null && ctx.principal.projectId !== null) throw new EvalOpsError('forbidden', 'only an instance-wide admin key may create instance-wide keys');
    } else assertKeyProject(ctx, body.project);
    const projectId = body.project === null ? null : await ensureKeyProject(ctx.store, body.project);
    const created = await ctx.store.apiKeys.create({ role: body.role, projectId, ...(body.name === undefined ? {} : { name: body.name }), createdBy: ctx.actor() });
    return { ...keyView(created.record), secret: created.plaintext, plaintext: created.plaintext, auditSeq: created.audit.seq, warning: SHOWN_ONCE_WARNING };
  },
});

export const listKeys = defineOperation({
  id: 'listKeys',
  method: 'get',
  path: '/keys',
  summary: "Keys with role, project, name, creation, last use and revocation, newest first (never the secret); a project admin key sees its project's",
  tags: ['keys'],
  permission: 'keys:manage',
  params: z.object({}),
  query: z.object({
    project: z.string().min(1).max(200).optional().describe("only this project's keys (a project key: its own, the default)"),
    instance: QueryBoolean.optional().describe('only instance-wide keys'),
  }),
  response: z.object({ project: z.string().nullable(), instanceOnly: z.boolean(), keys: z.array(KeyViewSchema) }),
  async handle(ctx, { query }) {
    if (query.instance && query.project !== undefined) throw new EvalOpsError('usage', 'query fields instance and project exclude each other');
    const keyProject = ctx.principal?.projectId === null ? undefined : ctx.principal?.projectName;
    if (query.instance && keyProject !== undefined) throw new EvalOpsError('forbidden', 'only an instance-wide admin key may list instance-wide keys');
    if (query.project !== undefined) assertKeyProject(ctx, query.project);
    const name = query.project ?? keyProject;
    let keys: ApiKeyRecord[];
    if (query.instance) keys = await ctx.store.apiKeys.list({ projectId: null });
    else if (name === undefined) keys = await ctx.store.apiKeys.list();
    else {
      const project = await ctx.store.projects.findByName(name);
      keys = project ? await ctx.store.apiKeys.list({ projectId: project.id }) : [];
    }
    return { project: name ?? null, instanceOnly: query.instance === true, keys: keys.map(keyView) };
  },
});

export const revokeKey = defineOperation({
  id: 'revokeKey',
  method: 'post',
  path: '/keys/{key}/revoke',
  summary: 'Revoke a key for good (audited); revoking a revoked key changes nothing and says so',
  tags: ['keys'],
  permission: 'keys:manage',
  params: z.object({
    key: z
      .string()
      .min(1)
      .max(200)
      .refine((ref) => parseApiKey(ref) === undefined, 'name the key by its id, prefix or eo_<prefix>, never by the whole key (a URL is logged)')
      .describe('the key: id, prefix or eo_<prefix>'),
  }),
  response: KeyViewSchema.extend({ alreadyRevoked: z.boolean(), auditSeq: z.number().int().nullable() }),
  async handle(ctx, { params }) {
    // Looked up in the key's project: another project's key (or an instance-wide one) is answered as one that does not exist.
    const revoked = await ctx.store.apiKeys.revoke(params.key, ctx.actor(), keyScope(ctx));
    return { ...keyView(revoked.record), alreadyRevoked: revoked.alreadyRevoked, auditSeq: revoked.audit?.seq ?? null };
  },
});

/** A project key may name its own project only (403 as for any path of another project). */
function assertKeyProject(ctx: ApiContext, project: string): void {
  const principal = ctx.principal;
  if (principal !== null && principal.projectId !== null && principal.projectName !== project) throw new EvalOpsError('forbidden', `this key may not access project "${project}"`);
}

/** The project's id, creating the project when it does not exist yet (a key may come before any run). */
async function ensureKeyProject(store: Store, name: string): Promise<string> {
  if (name === INSTANCE_AUDIT_PROJECT) throw new EvalOpsError('usage', `"${INSTANCE_AUDIT_PROJECT}" is reserved for the instance's audit log; for an instance-wide key use --role admin --instance`);
  const found = await store.projects.findByName(name);
  if (found) return found.id;
  if (!PROJECT_SLUG.test(name)) throw new EvalOpsError('usage', `body field project: must be a slug: lower-case letters, digits, "-" and "_" (got "${name}")`);
  return (await store.projects.ensure(name)).id;
}

/** The view of a key: everything but its hash. */
export function keyView(k: ApiKeyRecord): KeyView {
  return {
    id: k.id,
    prefix: k.prefix,
    display: displayKey(k.prefix),
    role: k.role,
    project: k.projectName,
    name: k.name,
    createdAt: k.createdAt,
    createdBy: k.createdBy,
    lastUsedAt: k.lastUsedAt,
    revokedAt: k.revokedAt,
    revokedBy: k.revokedBy,
  };
}
