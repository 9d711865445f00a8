import { z } from 'zod';
import { EvalOpsError } from '../../core/errors.js';
import { describeRelease, toSnapshot, type ReleaseEvent, type ReleaseSnapshot } from '../../core/release.js';
import type { ReleaseHistoryEntry, ReleaseRecord } from '../../store/release-repository.js';
import type { Store } from '../../store/store.js';
import { printJson, withErrorHandling } from '../handle-errors.js';
import { openCliStore } from '../open-cli-store.js';
import { parseIntFlag } from '../parse-flags.js';
import { renderTable } from '../render-table.js';
import { resolveActor } from '../resolve-actor.js';
import { resolveProjectName } from '../resolve-project.js';

/**
 * `evalops releases list|show|promote|rollback`. The JSON form is what a deploy script or a feature-
 * flag system reads: `status`, `canaryPercent` (null unless canary) and `trafficPercent` (the share
 * of traffic to route to the variant now) at the top level.
 */

interface ProjectFlags {
  config?: string;
  project?: string;
  json?: boolean;
}

/** A release as the CLI prints it in JSON. */
export interface ReleaseView {
  readonly id: string;
  readonly project: string;
  readonly variant: string;
  readonly status: ReleaseRecord['status'];
  readonly canaryPercent: number | null;
  readonly trafficPercent: number;
  readonly hold: ReleaseRecord['hold'];
  readonly candidateRunId: string | null;
  readonly decisionId: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

const StatusFlag = z.enum(['candidate', 'approved', 'canary', 'live', 'rolled_back']);
const ReasonFlag = z.string().trim().min(1);

/** `evalops releases list`. */
export async function releasesListCommand(flags: ProjectFlags & { status?: string; limit?: string }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const limit = parseIntFlag(flags.limit, '--limit', 1, 10_000) ?? 100;
    const status = flags.status === undefined ? undefined : StatusFlag.safeParse(flags.status);
    if (status && !status.success) throw new EvalOpsError('usage', `--status must be one of ${StatusFlag.options.join(', ')} (got "${flags.status}")`);
    const name = await resolveProjectName(flags);
    const store = await openCliStore();
    try {
      const project = await store.projects.findByName(name);
      const releases = project ? await store.releases.list(project.id, { limit, ...(status ? { status: status.data } : {}) }) : [];
      const views = releases.map((r) => view(r, name));
      if (flags.json) return printJson({ project: name, releases: views });
      if (views.length === 0) return void process.stdout.write(`no releases in project "${name}" yet\n`);
      process.stdout.write(
        `${renderTable(
          ['release', 'variant', 'status', 'traffic', 'updated'],
          releases.map((r) => [r.id, r.targetVariant, describeRelease(r.state), `${r.trafficPercent}%`, r.updatedAt.replace('T', ' ').slice(0, 19)]),
          new Set([3]),
        )}\n`,
      );
    } finally {
      await store.close();
    }
  });
}

/** `evalops releases show ID|VARIANT`: the release and its history from the audit log. */
export async function releasesShowCommand(ref: string, flags: ProjectFlags): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const store = await openCliStore();
    try {
      const { release, project } = await findRelease(store, ref, flags);
      const history = await store.releases.history(release.id);
      if (flags.json) return printJson({ ...view(release, project), history });
      process.stdout.write(`${renderRelease(release, project)}\n`);
      if (history.length === 0) return void process.stdout.write('\nno transitions yet\n');
      process.stdout.write(
        `\n${renderTable(
          ['seq', 'at', 'actor', 'from', 'to', 'event'],
          history.map((h) => [String(h.seq), h.at.replace('T', ' ').slice(0, 19), h.actor, snapshotText(h.from), snapshotText(h.to), eventText(h)]),
          new Set([0]),
        )}\n`,
      );
    } finally {
      await store.close();
    }
  });
}

/** `evalops releases promote ID [--percent P]`: widen the rollout (no percent, or 100: live). */
export async function releasesPromoteCommand(ref: string, flags: ProjectFlags & { percent?: string; actor?: string }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const percent = parseIntFlag(flags.percent, '--percent', 1, 100);
    const actor = resolveActor(flags.actor);
    await move(ref, flags, percent === undefined ? { type: 'promote' } : { type: 'promote', percent }, actor);
  });
}

/** `evalops releases rollback ID --reason R`. */
export async function releasesRollbackCommand(ref: string, flags: ProjectFlags & { reason?: string; actor?: string }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const reason = ReasonFlag.safeParse(flags.reason ?? '');
    if (!reason.success) throw new EvalOpsError('usage', 'rollback needs --reason saying why');
    const actor = resolveActor(flags.actor);
    await move(ref, flags, { type: 'rollback', reason: reason.data }, actor);
  });
}

async function move(ref: string, flags: ProjectFlags, event: ReleaseEvent, actor: string): Promise<void> {
  const store = await openCliStore();
  try {
    const { release, project } = await findRelease(store, ref, flags);
    const applied = await store.releases.apply(release.id, event, actor);
    if (flags.json) return printJson({ ...view(applied.release, project), previous: applied.previous, auditSeq: applied.audit.seq });
    process.stdout.write(`${applied.release.id} (${applied.release.targetVariant}): ${snapshotText(applied.previous)} → ${snapshotText(toSnapshot(applied.release.state))}, by ${actor}\n`);
  } finally {
    await store.close();
  }
}

/**
 * The release named by id, variant or variant prefix. The project (--project, -c, or the config in
 * the working directory) is needed only for a variant; an id works anywhere.
 */
async function findRelease(store: Store, ref: string, flags: ProjectFlags): Promise<{ release: ReleaseRecord; project: string }> {
  const name = await optionalProjectName(flags);
  const project = name === undefined ? undefined : await store.projects.findByName(name);
  if (name !== undefined && !project) throw new EvalOpsError('not_found', `project "${name}" has no releases yet`);
  const release = await store.releases.resolve(project?.id, ref);
  if (project && release.projectId !== project.id) throw new EvalOpsError('not_found', `release ${ref} is not in project "${name}"`);
  const projectName = name ?? (await store.projects.list()).find((p) => p.id === release.projectId)?.name ?? release.projectId;
  return { release, project: projectName };
}

async function optionalProjectName(flags: ProjectFlags): Promise<string | undefined> {
  try {
    return await resolveProjectName(flags);
  } catch (e) {
    if (e instanceof EvalOpsError && e.code === 'usage') return undefined;
    throw e;
  }
}

function view(r: ReleaseRecord, project: string): ReleaseView {
  return {
    id: r.id,
    project,
    variant: r.targetVariant,
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

function renderRelease(r: ReleaseRecord, project: string): string {
  return [
    `release   ${r.id}`,
    `project   ${project}`,
    `variant   ${r.targetVariant}`,
    `status    ${describeRelease(r.state)} (traffic ${r.trafficPercent}%)`,
    `run       ${r.candidateRunId ?? '—'}`,
    `decision  ${r.decisionId ?? '—'}`,
    `updated   ${r.updatedAt}`,
  ].join('\n');
}

function snapshotText(s: ReleaseSnapshot): string {
  return s.status === 'canary' ? `canary ${s.canaryPercent}%` : s.status;
}

function eventText(h: ReleaseHistoryEntry): string {
  const e = h.event;
  switch (e.type) {
    case 'gate':
      return `gate ${e.outcome}${e.rolloutPercent ? ` ${e.rolloutPercent}%` : ''}${e.decisionId ? ` (${e.decisionId})` : ''}`;
    case 'promote':
      return `promote${e.percent === undefined ? '' : ` ${e.percent}%`}`;
    case 'rollback':
      return `rollback: ${e.reason}`;
  }
}
