import { z } from 'zod';
import type { OperationResult } from '../../api/operation.js';
import { getRelease, listReleases, listUnknownReleases, nameRelease, promoteRelease, rollbackRelease, type ReleaseView } from '../../api/release-operations.js';
import { EvalOpsError } from '../../core/errors.js';
import { describeRelease, fromSnapshot, type ReleaseSnapshot } from '../../core/release.js';
import type { ReleaseHistoryEntry } from '../../store/release-repository.js';
import { printJson, withErrorHandling } from '../handle-errors.js';
import { openApiCaller, projectFor, type RemoteFlags } from '../open-api-caller.js';
import { parseIntFlag } from '../parse-flags.js';
import { renderTable } from '../render-table.js';
import { resolveProjectName } from '../resolve-project.js';

/**
 * `evalops releases list|show|promote|rollback`, on the local database or, with --server, on a
 * server. The JSON form is what a deploy script or a feature-flag system reads: `status`,
 * `canaryPercent` (null unless canary) and `trafficPercent` (the share of traffic to route to the
 * variant now) at the top level.
 */

interface ProjectFlags extends RemoteFlags {
  config?: string;
  project?: string;
  json?: boolean;
}

const StatusFlag = z.enum(['candidate', 'approved', 'canary', 'live', 'rolled_back']);
const ReasonFlag = z.string().trim().min(1);

/** `evalops releases list`. */
export async function releasesListCommand(flags: ProjectFlags & { status?: string; limit?: string }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const limit = parseIntFlag(flags.limit, '--limit', 1, 10_000) ?? 100;
    const status = flags.status === undefined ? undefined : StatusFlag.safeParse(flags.status);
    if (status && !status.success) throw new EvalOpsError('usage', `--status must be one of ${StatusFlag.options.join(', ')} (got "${flags.status}")`);
    const api = await openApiCaller(flags);
    try {
      const project = await projectFor(api, flags);
      const list = await api.call(listReleases, { params: { project }, query: { limit, ...(status ? { status: status.data } : {}) } });
      if (flags.json) return printJson(list);
      if (list.releases.length === 0) process.stdout.write(`no releases in project "${project}" yet\n`);
      else {
        process.stdout.write(
          `${renderTable(
            ['release', 'name', 'variant', 'status', 'traffic', 'updated'],
            list.releases.map((r) => [r.id, r.names.join(', ') || '—', r.variant.slice(0, 12), describe(r), `${r.trafficPercent}%`, r.updatedAt.replace('T', ' ').slice(0, 19)]),
            new Set([4]),
          )}\ntraffic: ${list.traffic.summary}\n`,
        );
      }
      const unknown = await api.call(listUnknownReleases, { params: { project }, query: { limit: 1000 } });
      if (unknown.unknownReleases.length > 0) {
        process.stdout.write(`\n${unknown.unknownReleases.length} unknown release name(s) on spans: ${unknown.unknownReleases.slice(0, 5).map((u) => u.name).join(', ')}${unknown.unknownReleases.length > 5 ? ', …' : ''} (evalops releases unknown)\n`);
      }
    } finally {
      await api.close();
    }
  });
}

/** `evalops releases show ID|VARIANT`: the release and its history from the audit log. */
export async function releasesShowCommand(ref: string, flags: ProjectFlags): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const project = await optionalProjectName(flags);
    const api = await openApiCaller(flags);
    try {
      const shown = await api.call(getRelease, { params: { release: ref }, query: project === undefined ? {} : { project } });
      if (flags.json) return printJson(shown);
      const { history } = shown;
      process.stdout.write(`${renderRelease(shown)}\n`);
      if (history.length === 0) return void process.stdout.write('\nno transitions yet\n');
      process.stdout.write(
        `\n${renderTable(
          ['seq', 'at', 'actor', 'from', 'to', 'event'],
          history.map((h) => [String(h.seq), h.at.replace('T', ' ').slice(0, 19), h.actor, snapshotText(h.from), snapshotText(h.to), eventText(h)]),
          new Set([0]),
        )}\n`,
      );
    } finally {
      await api.close();
    }
  });
}

/** `evalops releases promote ID [--percent P]`: widen the rollout (no percent, or 100: live). */
export async function releasesPromoteCommand(ref: string, flags: ProjectFlags & { percent?: string }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const percent = parseIntFlag(flags.percent, '--percent', 1, 100);
    await move(ref, flags, (api, params, query) => api.call(promoteRelease, { params, query, body: percent === undefined ? {} : { percent } }));
  });
}

/** `evalops releases rollback ID --reason R`. */
export async function releasesRollbackCommand(ref: string, flags: ProjectFlags & { reason?: string }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const reason = ReasonFlag.safeParse(flags.reason ?? '');
    if (!reason.success) throw new EvalOpsError('usage', 'rollback needs --reason saying why');
    await move(ref, flags, (api, params, query) => api.call(rollbackRelease, { params, query, body: { reason: reason.data } }));
  });
}

/** `evalops releases name RELEASE NAME`: another name for a release (e.g. its git SHA beside its version). */
export async function releasesNameCommand(ref: string, name: string, flags: ProjectFlags): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const api = await openApiCaller(flags);
    try {
      const project = await projectFor(api, flags);
      const named = await api.call(nameRelease, { params: { project, release: ref }, body: { name } });
      if (flags.json) return printJson(named);
      process.stdout.write(`${named.id} (${named.variant}) ${named.created ? 'is now also named' : 'was already named'} ${name}; names: ${named.names.join(', ')}\n`);
    } finally {
      await api.close();
    }
  });
}

/** `evalops releases unknown`: release names on spans that no release knows, with their traffic. */
export async function releasesUnknownCommand(flags: ProjectFlags & { limit?: string }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const limit = parseIntFlag(flags.limit, '--limit', 1, 1000) ?? 100;
    const api = await openApiCaller(flags);
    try {
      const project = await projectFor(api, flags);
      const list = await api.call(listUnknownReleases, { params: { project }, query: { limit } });
      if (flags.json) return printJson(list);
      if (list.unknownReleases.length === 0) return void process.stdout.write(`every release name on the spans of "${project}" is known\n`);
      process.stdout.write(
        `${renderTable(
          ['name', 'traces', 'spans', 'first seen', 'last seen'],
          list.unknownReleases.map((u) => [u.name, String(u.traces), String(u.spans), u.firstSeen.replace('T', ' ').slice(0, 19), u.lastSeen.replace('T', ' ').slice(0, 19)]),
          new Set([1, 2]),
        )}\n\nthe spans are stored: list them with evalops traces list --release NAME; name a release with evalops run --release NAME or evalops releases name RELEASE NAME\n`,
      );
    } finally {
      await api.close();
    }
  });
}

type Api = Awaited<ReturnType<typeof openApiCaller>>;
type Moved = OperationResult<typeof promoteRelease>;

async function move(ref: string, flags: ProjectFlags, call: (api: Api, params: { release: string }, query: { project?: string }) => Promise<Moved>): Promise<void> {
  const project = await optionalProjectName(flags);
  const api = await openApiCaller(flags);
  try {
    const moved = await call(api, { release: ref }, project === undefined ? {} : { project });
    if (flags.json) return printJson(moved);
    process.stdout.write(`${moved.id} (${moved.name ?? moved.variant}): ${snapshotText(moved.previous)} → ${snapshotText({ status: moved.status, canaryPercent: moved.canaryPercent })}, by ${moved.actor}\n`);
  } finally {
    await api.close();
  }
}

/** The project named by --project or a config (-c, or in the working directory); none is fine for an id. */
async function optionalProjectName(flags: ProjectFlags): Promise<string | undefined> {
  try {
    return await resolveProjectName(flags);
  } catch (e) {
    if (e instanceof EvalOpsError && e.code === 'usage') return undefined;
    throw e;
  }
}

function describe(r: ReleaseView): string {
  const state = fromSnapshot({ status: r.status, canaryPercent: r.canaryPercent }, r.hold);
  return state ? describeRelease(state) : r.status;
}

function renderRelease(r: ReleaseView): string {
  return [
    `release   ${r.id}`,
    `name      ${r.names.join(', ') || '—'}`,
    `project   ${r.project}`,
    `variant   ${r.variant}`,
    `status    ${describe(r)} (traffic ${r.trafficPercent}%)`,
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
    case 'narrow':
      return `narrow ${e.percent}%: ${e.reason}`;
  }
}
