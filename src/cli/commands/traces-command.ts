import type { ApiCaller } from '../../api/api-caller.js';
import { getSession, getTrace, listSessions, listTraces, promoteTraces } from '../../api/trace-operations.js';
import { EvalOpsError } from '../../core/errors.js';
import type { FeedbackSummary } from '../../traces/feedback-summary.js';
import { parseSessionListQuery, parseTraceListQuery } from '../../traces/trace-query.js';
import type { TraceSummary } from '../../traces/trace-summary.js';
import { printJson, withErrorHandling } from '../handle-errors.js';
import { openApiCaller, projectFor, type RemoteFlags } from '../open-api-caller.js';
import { renderTable } from '../render-table.js';

/**
 * `evalops traces list|show|sessions|session|promote`, on the local database or, with --server, on a
 * server. Flags are checked here first with the schemas the API uses, so a mistake names the flag.
 */

interface ProjectFlags extends RemoteFlags {
  readonly config?: string;
  readonly project?: string;
  readonly json?: boolean;
}

/** The filter flags of `traces list` (and of `traces promote` without trace ids). */
export interface TraceFilterFlags {
  readonly since?: string;
  readonly until?: string;
  readonly release?: string;
  readonly kind?: string;
  readonly session?: string;
  readonly user?: string;
  readonly errors?: boolean;
  readonly attr?: string[];
  readonly hasFeedback?: string;
  readonly minScore?: string;
  readonly maxScore?: string;
  readonly scoreName?: string;
  readonly order?: string;
  readonly cursor?: string;
  readonly limit?: string;
}

/** `hasFeedback` → `--has-feedback`: errors name the flag the user typed. */
export const flagOf = (param: string): string => `--${param.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** An age like 15m / 2h / 7d becomes the epoch milliseconds it names; anything else goes to the schema. */
function timeFlag(value: string | undefined, now: number): string | undefined {
  const relative = value === undefined ? null : /^(\d+)([smhd])$/.exec(value);
  if (!relative) return value;
  return String(now - Number(relative[1]) * { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 }[relative[2] as 's' | 'm' | 'h' | 'd']);
}

/** The flags as the record of strings the API's query would be, so one schema checks both. */
export function traceQueryOf(flags: TraceFilterFlags): Record<string, string | string[]> {
  const now = Date.now();
  const raw: Record<string, string | string[] | undefined> = {
    since: timeFlag(flags.since, now),
    until: timeFlag(flags.until, now),
    release: flags.release,
    kind: flags.kind,
    session: flags.session,
    user: flags.user,
    errors: flags.errors ? 'true' : undefined,
    attr: flags.attr && flags.attr.length > 0 ? flags.attr : undefined,
    hasFeedback: flags.hasFeedback,
    minScore: flags.minScore,
    maxScore: flags.maxScore,
    scoreName: flags.scoreName,
    order: flags.order,
    cursor: flags.cursor,
    limit: flags.limit,
  };
  return Object.fromEntries(Object.entries(raw).filter((e): e is [string, string | string[]] => e[1] !== undefined));
}

const time = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
const feedbackText = (f: FeedbackSummary): string => (f.count === 0 ? '—' : [f.up ? `+${f.up}` : '', f.down ? `-${f.down}` : '', f.count - f.up - f.down ? `${f.count - f.up - f.down} other` : ''].filter(Boolean).join(' '));

function printTraces(traces: readonly TraceSummary[]): void {
  process.stdout.write(
    `${renderTable(
      ['trace', 'started', 'name', 'kind', 'spans', 'errors', 'ms', 'tokens', 'release', 'session', 'feedback'],
      traces.map((t) => [t.traceId, time(t.startTimeMs), t.name, t.kind, String(t.spans), String(t.errors), t.durationMs.toFixed(0), String(t.inputTokens + t.outputTokens), t.release ?? '—', t.sessionId ?? '—', feedbackText(t.feedback)]),
      new Set([4, 5, 6, 7]),
    )}\n`,
  );
}

/** Opens the caller, resolves the project, runs `work`, closes. */
async function withApi<T>(flags: ProjectFlags, work: (api: ApiCaller, project: string) => Promise<T>): Promise<T> {
  const api = await openApiCaller(flags);
  try {
    return await work(api, await projectFor(api, flags));
  } finally {
    await api.close();
  }
}

/** `evalops traces list`: traces by their root span, filtered, newest first. */
export async function tracesListCommand(flags: ProjectFlags & TraceFilterFlags): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const query = { limit: '20', ...traceQueryOf(flags) };
    parseTraceListQuery(query, 'usage', flagOf);
    await withApi(flags, async (api, project) => {
      const page = await api.call(listTraces, { params: { project }, query });
      if (flags.json) return printJson(page);
      printTraces(page.traces);
      if (page.nextCursor) process.stdout.write(`more: add --cursor ${page.nextCursor}\n`);
    });
  });
}

/** `evalops traces sessions`: sessions, the most recently active first. */
export async function tracesSessionsCommand(flags: ProjectFlags & Pick<TraceFilterFlags, 'since' | 'until' | 'release' | 'user' | 'cursor' | 'limit'>): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const now = Date.now();
    const query = Object.fromEntries(
      Object.entries({ since: timeFlag(flags.since, now), until: timeFlag(flags.until, now), release: flags.release, user: flags.user, cursor: flags.cursor, limit: flags.limit ?? '20' }).filter((e): e is [string, string] => e[1] !== undefined),
    );
    parseSessionListQuery(query, 'usage', flagOf);
    await withApi(flags, async (api, project) => {
      const page = await api.call(listSessions, { params: { project }, query });
      if (flags.json) return printJson(page);
      process.stdout.write(
        `${renderTable(
          ['session', 'user', 'traces', 'first', 'last', 'tokens', 'cost $', 'errors', 'feedback'],
          page.sessions.map((s) => [s.sessionId, s.userId ?? '—', String(s.traces), time(s.firstTimeMs), time(s.lastTimeMs), String(s.totalTokens), s.costUsd.toFixed(6), String(s.errors), feedbackText(s.feedback)]),
          new Set([2, 5, 6, 7]),
        )}\n`,
      );
      if (page.nextCursor) process.stdout.write(`more: add --cursor ${page.nextCursor}\n`);
    });
  });
}

/** `evalops traces session ID`: one session and its traces, oldest first. */
export async function tracesSessionCommand(sessionId: string, flags: ProjectFlags): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    await withApi(flags, async (api, project) => {
      const doc = await api.call(getSession, { params: { project, sessionId } });
      if (flags.json) return printJson(doc);
      const { session, traces } = doc;
      process.stdout.write(
        `session ${session.sessionId}${session.userId ? ` (user ${session.userId})` : ''}: ${session.traces} trace(s), ${time(session.firstTimeMs)} → ${time(session.lastTimeMs)}, ${session.totalTokens} tokens, $${session.costUsd.toFixed(6)}, ${session.errors} with errors, feedback ${feedbackText(session.feedback)}\n`,
      );
      printTraces(traces);
    });
  });
}

/** `evalops traces show TRACE`: the span tree. */
export async function tracesShowCommand(traceId: string, flags: ProjectFlags): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    await withApi(flags, async (api, project) => {
      const doc = await api.call(getTrace, { params: { project, traceId } });
      if (flags.json) return printJson(doc);
      const spans = doc.spans;
      const children = new Map<string | undefined, typeof spans>();
      for (const s of spans) children.set(s.parentSpanId, [...(children.get(s.parentSpanId) ?? []), s]);
      const ids = new Set(spans.map((s) => s.spanId));
      const roots = spans.filter((s) => s.parentSpanId === undefined || !ids.has(s.parentSpanId));
      const print = (s: (typeof spans)[number], depth: number): void => {
        const io = typeof s.output === 'string' ? s.output : Array.isArray(s.output) ? (s.output.at(-1)?.content ?? '') : '';
        process.stdout.write(`${'  '.repeat(depth)}${s.kind} ${s.name} ${s.durationMs.toFixed(1)} ms${s.status === 'error' ? ' ERROR' : ''}${s.model ? ` ${s.model}` : ''}${io ? `  → ${io.slice(0, 80)}` : ''}\n`);
        for (const c of children.get(s.spanId) ?? []) print(c, depth + 1);
      };
      roots.forEach((r) => print(r, 0));
    });
  });
}

/**
 * `evalops traces promote TRACE… --dataset NAME`, or `evalops traces promote --dataset NAME` with the
 * filter flags of `traces list` (the traces they select, up to --limit): into a new dataset version.
 */
export async function tracesPromoteCommand(traceIds: string[], flags: ProjectFlags & TraceFilterFlags & { dataset: string }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const filter = traceQueryOf(flags);
    if (traceIds.length > 0 && Object.keys(filter).length > 0) throw new EvalOpsError('usage', 'give trace ids or filter flags (--release, --attr, --has-feedback, …), not both');
    if (traceIds.length === 0 && Object.keys(filter).length === 0) throw new EvalOpsError('usage', 'name the traces to promote: trace ids, or filter flags such as --has-feedback negative');
    if (traceIds.length === 0) parseTraceListQuery(filter, 'usage', flagOf);
    await withApi(flags, async (api, project) => {
      const r = await api.call(promoteTraces, { params: { project }, body: { dataset: flags.dataset, ...(traceIds.length > 0 ? { traceIds } : { filter }) } });
      if (flags.json) return printJson(r);
      process.stdout.write(`${r.created ? 'new version' : 'unchanged'} ${r.dataset}@${r.version}: ${r.promoted} trace(s) promoted, ${r.examples} examples\n`);
    });
  });
}
