import { z } from 'zod';
import { EvalOpsError } from '../core/errors.js';
import { ReleaseEventSchema, ReleaseSnapshotSchema, ReleaseStatusSchema, type ReleaseEvent } from '../core/release.js';
import { trafficInWords } from '../core/release-traffic.js';
import { runTarget, variantName } from '../core/target-label.js';
import type { ReleaseRecord } from '../store/release-repository.js';
import { limitQuery, ProjectParams } from './api-schemas.js';
import type { ApiContext } from './api-context.js';
import { keyScope } from './key-scope.js';
import { projectId } from './project-id.js';
import { defineOperation } from './operation.js';

/**
 * Releases: `evalops releases list|show|promote|rollback`. The JSON form is what a deploy script or a
 * feature-flag system reads: `status`, `canaryPercent` (null unless canary) and `trafficPercent` (the
 * share of traffic to route to the variant now) at the top level. A release is named by its id, or
 * by its name (`2.1.0`), its variant (or a prefix of it) within a project.
 */

/** A release as the API answers and the CLI prints it. */
export const ReleaseViewSchema = z.object({
  id: z.string(),
  project: z.string(),
  variant: z.string(),
  name: z.string().nullable().describe('the release name (`2.1.0`, a git SHA): the first of `names`, null when the release has none'),
  names: z.array(z.string()).describe('every name the release is known by, oldest first; spans that carry any of them (or the variant) are its traffic'),
  variantName: z.string().describe("the variant as people read it: its candidate run's target label and a short hash"),
  status: ReleaseStatusSchema,
  canaryPercent: z.number().int().nullable(),
  trafficPercent: z.number().int(),
  /** For a candidate: the gate outcome holding it back. */
  hold: z.enum(['block', 'require_approval']).nullable(),
  candidateRunId: z.string().nullable(),
  decisionId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ReleaseView = z.infer<typeof ReleaseViewSchema>;

/** How the project's traffic splits now (src/core/release-traffic.ts): the shares sum to 100. */
export const TrafficViewSchema = z.object({
  livePercent: z.number().int(),
  canaryPercent: z.number().int().describe('all canaries together'),
  unassignedPercent: z.number().int().describe('what no release accounts for (no release is live)'),
  releases: z.array(z.object({ id: z.string(), variant: z.string(), status: ReleaseStatusSchema, percent: z.number().int() })).describe('the releases with traffic, live first'),
  summary: z.string().describe('the split in words, as the CLI and the web UI show it: "live 2.0.0 80% + canary 2.1.0 20% = 100%"'),
});
export type TrafficView = z.infer<typeof TrafficViewSchema>;

export const ReleaseHistoryEntrySchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.string(),
  variant: z.string(),
  from: ReleaseSnapshotSchema,
  to: ReleaseSnapshotSchema,
  event: ReleaseEventSchema,
});

/** A release just moved: where it was, the audit entry and who moved it (on a server, the key's name). */
export const MovedReleaseSchema = ReleaseViewSchema.extend({ previous: ReleaseSnapshotSchema, auditSeq: z.number().int(), actor: z.string() });

const ReleaseParams = z.object({ release: z.string().min(1).max(200).describe('a release id, or a release name, variant or variant prefix (4+ characters) within the project') });
const ProjectQuery = z.object({ project: z.string().min(1).max(200).optional().describe("the project, to name the release by variant (default: the key's project)") });

export const listReleases = defineOperation({
  id: 'listReleases',
  method: 'get',
  path: '/projects/{project}/releases',
  summary: "Releases of a project, most recently changed first, with how the project's traffic splits between them (the shares sum to 100)",
  tags: ['releases'],
  permission: 'releases:read',
  params: ProjectParams,
  query: z.object({ status: ReleaseStatusSchema.optional(), limit: limitQuery(100, 10_000) }),
  response: z.object({ project: z.string(), releases: z.array(ReleaseViewSchema), traffic: TrafficViewSchema }),
  async handle(ctx, { params, query }) {
    const project = await ctx.store.projects.findByName(params.project);
    const releases = project ? await ctx.store.releases.list(project.id, { limit: query.limit, ...(query.status ? { status: query.status } : {}) }) : [];
    const names = await variantNames(ctx, releases);
    return { project: params.project, releases: releases.map((r) => releaseView(r, params.project, names.get(r.id))), traffic: await trafficView(ctx, project?.id) };
  },
});

export const getRelease = defineOperation({
  id: 'getRelease',
  method: 'get',
  path: '/releases/{release}',
  summary: 'One release and its history of transitions from the audit log',
  tags: ['releases'],
  permission: 'releases:read',
  params: ReleaseParams,
  query: ProjectQuery,
  response: ReleaseViewSchema.extend({ history: z.array(ReleaseHistoryEntrySchema) }),
  async handle(ctx, { params, query }) {
    const { release, project } = await releaseInScope(ctx, params.release, query.project);
    const names = await variantNames(ctx, [release]);
    return { ...releaseView(release, project, names.get(release.id)), history: await ctx.store.releases.history(release.id) };
  },
});

export const promoteRelease = defineOperation({
  id: 'promoteRelease',
  method: 'post',
  path: '/releases/{release}/promote',
  summary: 'Widen the rollout: to a canary percentage, or live (no percent, or 100); audited with the actor',
  tags: ['releases'],
  permission: 'releases:write',
  params: ReleaseParams,
  query: ProjectQuery,
  body: z.object({ percent: z.number().int().min(1).max(100).optional().describe('canary share of traffic, 1..100 (100 = live)') }),
  response: MovedReleaseSchema,
  async handle(ctx, { params, query, body }) {
    return move(ctx, params.release, query.project, body.percent === undefined ? { type: 'promote' } : { type: 'promote', percent: body.percent });
  },
});

export const rollbackRelease = defineOperation({
  id: 'rollbackRelease',
  method: 'post',
  path: '/releases/{release}/rollback',
  summary: 'Roll an approved, canary or live release back, saying why; audited with the actor',
  tags: ['releases'],
  permission: 'releases:write',
  params: ReleaseParams,
  query: ProjectQuery,
  body: z.object({ reason: z.string().trim().min(1, 'must say why').max(4000) }),
  response: MovedReleaseSchema,
  async handle(ctx, { params, query, body }) {
    return move(ctx, params.release, query.project, { type: 'rollback', reason: body.reason });
  },
});

const ProjectReleaseParams = ProjectParams.extend({ release: ReleaseParams.shape.release });

export const nameRelease = defineOperation({
  id: 'nameRelease',
  method: 'post',
  path: '/projects/{project}/releases/{release}/names',
  summary: 'Gives a release a human name (2.1.0, a git SHA, an image tag) that spans and commands can use; a name bound to another variant is a 409 naming both; audited',
  tags: ['releases'],
  permission: 'releases:write',
  params: ProjectReleaseParams,
  body: z.strictObject({ name: z.string().min(1).max(200).describe('the name; unique per project, bound to this release for good') }),
  response: ReleaseViewSchema.extend({ created: z.boolean().describe('false when the release already had this name') }),
  async handle(ctx, { params, body }) {
    const id = await projectId(ctx.store, params.project);
    const release = await ctx.store.releases.resolve(id, params.release);
    const named = await ctx.store.releases.bindName(id, release.targetVariant, body.name, ctx.actor());
    const names = await variantNames(ctx, [named.release]);
    return { ...releaseView(named.release, params.project, names.get(named.release.id)), created: named.created };
  },
});

const UnknownReleaseSchema = z.object({
  name: z.string(),
  spans: z.number().int(),
  traces: z.number().int(),
  firstSeen: z.string(),
  lastSeen: z.string(),
});

export const listUnknownReleases = defineOperation({
  id: 'listUnknownReleases',
  method: 'get',
  path: '/projects/{project}/unknown-releases',
  summary: 'Release names that spans carry and no release of the project knows (stored, never dropped), most recently seen first',
  tags: ['releases'],
  permission: 'releases:read',
  params: ProjectParams,
  query: z.object({ limit: limitQuery(100, 1000) }),
  response: z.object({ project: z.string(), unknownReleases: z.array(UnknownReleaseSchema) }),
  async handle(ctx, { params, query }) {
    const project = await ctx.store.projects.findByName(params.project);
    const unknown = project ? await ctx.store.releases.unknown(project.id, { limit: query.limit }) : [];
    return {
      project: params.project,
      unknownReleases: unknown.map((u) => ({ name: u.name, spans: u.spans, traces: u.traces, firstSeen: new Date(u.firstSeenMs).toISOString(), lastSeen: new Date(u.lastSeenMs).toISOString() })),
    };
  },
});

async function move(ctx: ApiContext, ref: string, projectName: string | undefined, event: ReleaseEvent): Promise<z.infer<typeof MovedReleaseSchema>> {
  const { release, project } = await releaseInScope(ctx, ref, projectName);
  const actor = ctx.actor();
  const applied = await ctx.store.releases.apply(release.id, event, actor);
  const names = await variantNames(ctx, [applied.release]);
  return { ...releaseView(applied.release, project, names.get(applied.release.id)), previous: applied.previous, auditSeq: applied.audit.seq, actor };
}

/** The project's traffic split, with the variant of each release that has a share. */
async function trafficView(ctx: ApiContext, projectId: string | undefined): Promise<TrafficView> {
  if (projectId === undefined) return { livePercent: 0, canaryPercent: 0, unassignedPercent: 100, releases: [], summary: trafficInWords([], 100) };
  const traffic = await ctx.store.releases.traffic(projectId);
  const withShare = [...traffic.shares].filter(([, p]) => p > 0);
  const records = await Promise.all(withShare.map(([id]) => ctx.store.releases.get(id)));
  const releases = records.map((r) => ({ id: r.id, variant: r.targetVariant, status: r.status, percent: r.trafficPercent })).sort((a, b) => (a.status === 'live' ? -1 : b.status === 'live' ? 1 : b.percent - a.percent));
  return { livePercent: traffic.livePercent, canaryPercent: traffic.canaryPercent, unassignedPercent: traffic.unassignedPercent, releases, summary: trafficInWords(releases, traffic.unassignedPercent) };
}

/** The readable name of each release's variant, by release id, from its candidate run. */
async function variantNames(ctx: ApiContext, releases: readonly ReleaseRecord[]): Promise<Map<string, string>> {
  const runs = await ctx.store.runs.targets(releases.flatMap((r) => (r.candidateRunId === null ? [] : [r.candidateRunId])));
  return new Map(releases.flatMap((r) => {
    const run = r.candidateRunId === null ? undefined : runs.get(r.candidateRunId);
    return run === undefined ? [] : [[r.id, runTarget(run).name] as const];
  }));
}

/**
 * The release named by id, variant or variant prefix, with its project's name. A variant needs the
 * project: the one asked for, else the key's. A key of another project gets 403 for naming a
 * project; the release is looked up in the project only, so a release id of another project answers
 * exactly as one that does not exist (404, same message).
 */
async function releaseInScope(ctx: ApiContext, ref: string, projectName: string | undefined): Promise<{ release: ReleaseRecord; project: string }> {
  const keyProject = ctx.principal?.projectName;
  if (projectName !== undefined && ctx.principal && ctx.principal.projectId !== null && projectName !== keyProject) {
    throw new EvalOpsError('forbidden', `this key may not access project "${projectName}"`);
  }
  const name = projectName ?? keyProject;
  const project = name === undefined ? undefined : await ctx.store.projects.findByName(name);
  if (name !== undefined && !project) throw new EvalOpsError('not_found', `project "${name}" has no releases yet`);
  // A project key is always scoped to its project, even if its project's name were unknown here.
  const release = await ctx.store.releases.resolve(project?.id ?? keyScope(ctx), ref);
  const projectOf = name ?? (await ctx.store.projects.list()).find((p) => p.id === release.projectId)?.name ?? release.projectId;
  return { release, project: projectOf };
}

/** The view of a release a deploy script reads. */
export function releaseView(r: ReleaseRecord, project: string, name?: string): ReleaseView {
  return {
    id: r.id,
    project,
    variant: r.targetVariant,
    name: r.names[0] ?? null,
    names: [...r.names],
    variantName: name ?? variantName({ type: 'variant', variant: r.targetVariant }),
    status: r.status,
    canaryPercent: r.canaryPercent,
    trafficPercent: r.trafficPercent,
    hold: r.hold,
    candidateRunId: r.candidateRunId,
    decisionId: r.decisionId,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}
