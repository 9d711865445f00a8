import { z } from 'zod';
import { diffReleaseConfigs, ReleaseConfigSchema, type ReleaseConfig } from '../core/release-config.js';
import { JsonValueSchema } from '../core/json.js';
import { ProjectParams } from './api-schemas.js';
import { projectId } from './project-id.js';
import { defineOperation } from './operation.js';
import { releaseView, ReleaseViewSchema } from './release-operations.js';

/**
 * Release configs: `evalops releases config set|show` and `evalops releases diff`. A config (prompts,
 * model and parameters, tools, data; src/core/release-config.ts) is stored content-addressed and set
 * once per release; resolvers hand it to subjects (src/server/routes/resolve-routes.ts).
 */

const ProjectReleaseParams = ProjectParams.extend({
  release: z.string().min(1).max(200).describe('a release name (a new name makes a candidate release for the config), or an id, variant or variant prefix within the project'),
});

const ConfigHashSchema = z.string().describe('SHA-256 (hex) of the canonical JSON of the config: its content address');

export const setReleaseConfig = defineOperation({
  id: 'setReleaseConfig',
  method: 'put',
  path: '/projects/{project}/releases/{release}/config',
  summary:
    "Sets a release's config (prompts, model, tools, data), stored content-addressed; a new name makes a candidate release for it (201). The same config again changes nothing; another config for a release that has one is a 409 (a changed config is a new release). Audited",
  tags: ['releases'],
  permission: 'releases:write',
  params: ProjectReleaseParams,
  body: z.strictObject({ config: ReleaseConfigSchema }),
  response: z.object({
    release: ReleaseViewSchema,
    configHash: ConfigHashSchema,
    changed: z.boolean().describe('false when the release already had exactly this config'),
    releaseCreated: z.boolean().describe('true when the name was new and a candidate release was made'),
  }),
  statusOf: (r) => (r.releaseCreated ? 201 : 200),
  async handle(ctx, { params, body }) {
    const project = await ctx.store.projects.ensure(params.project);
    const set = await ctx.store.releaseConfigs.set(project.id, params.release, body.config, ctx.actor());
    return { release: releaseView(set.release, params.project), configHash: set.configHash, changed: set.changed, releaseCreated: set.releaseCreated };
  },
});

export const getReleaseConfig = defineOperation({
  id: 'getReleaseConfig',
  method: 'get',
  path: '/projects/{project}/releases/{release}/config',
  summary: "A release's config and its content hash (both null when the release has no config)",
  tags: ['releases'],
  permission: 'releases:read',
  params: ProjectReleaseParams,
  response: z.object({ release: ReleaseViewSchema, config: ReleaseConfigSchema.nullable(), configHash: ConfigHashSchema.nullable() }),
  async handle(ctx, { params }) {
    const id = await projectId(ctx.store, params.project);
    const found = await ctx.store.releaseConfigs.get(id, params.release);
    return { release: releaseView(found.release, params.project), config: found.config, configHash: found.configHash };
  },
});

const ChangeSchema = z.object({
  path: z.string().describe('dotted path; tools are keyed by name (tools.lookup.description)'),
  kind: z.enum(['added', 'removed', 'changed']),
  before: JsonValueSchema.optional(),
  after: JsonValueSchema.optional(),
  lines: z.array(z.object({ op: z.enum([' ', '-', '+']), text: z.string() })).optional().describe('for changed multi-line text: the line diff'),
});

const DiffSideSchema = z.object({ release: ReleaseViewSchema, configHash: ConfigHashSchema.nullable() });

export const diffReleaseConfigsOperation = defineOperation({
  id: 'diffReleaseConfigs',
  method: 'get',
  path: '/projects/{project}/release-diff',
  summary: 'What changed in the config from one release to another, path by path (a release without a config counts as an empty config)',
  tags: ['releases'],
  permission: 'releases:read',
  params: ProjectParams,
  query: z.object({ from: z.string().min(1).max(200).describe('the release before'), to: z.string().min(1).max(200).describe('the release after') }),
  response: z.object({ project: z.string(), from: DiffSideSchema, to: DiffSideSchema, same: z.boolean(), changes: z.array(ChangeSchema) }),
  async handle(ctx, { params, query }) {
    const id = await projectId(ctx.store, params.project);
    const [from, to] = await Promise.all([ctx.store.releaseConfigs.get(id, query.from), ctx.store.releaseConfigs.get(id, query.to)]);
    const empty: ReleaseConfig = {};
    const changes = diffReleaseConfigs(from.config ?? empty, to.config ?? empty);
    return {
      project: params.project,
      from: { release: releaseView(from.release, params.project), configHash: from.configHash },
      to: { release: releaseView(to.release, params.project), configHash: to.configHash },
      same: changes.length === 0,
      changes,
    };
  },
});
