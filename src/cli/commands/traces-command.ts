import { EvalOpsError } from '../../core/errors.js';
import { listTraces, promoteTraces, traceSpans } from '../../traces/trace-service.js';
import { printJson, withErrorHandling } from '../handle-errors.js';
import { openCliStore } from '../open-cli-store.js';
import { parseIntFlag } from '../parse-flags.js';
import { renderTable } from '../render-table.js';
import { resolveProjectName } from '../resolve-project.js';

interface ProjectFlags {
  readonly config?: string;
  readonly project?: string;
  readonly json?: boolean;
}

const parseTime = (value: string | undefined, flag: string): number | undefined => {
  if (value === undefined) return undefined;
  const relative = /^(\d+)([smhd])$/.exec(value);
  if (relative) return Date.now() - Number(relative[1]) * { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 }[relative[2] as 's' | 'm' | 'h' | 'd'];
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new EvalOpsError('usage', `${flag} must be an ISO time or an age like 15m, 2h, 7d (got "${value}")`);
  return t;
};

/** `evalops traces list`: traces by their root span, newest first. */
export async function tracesListCommand(flags: ProjectFlags & { since?: string; until?: string; release?: string; kind?: string; session?: string; errors?: boolean; limit?: string }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const limit = parseIntFlag(flags.limit, '--limit', 1, 1000) ?? 20;
    const sinceMs = parseTime(flags.since, '--since');
    const untilMs = parseTime(flags.until, '--until');
    const project = await resolveProjectName(flags);
    const store = await openCliStore();
    try {
      const traces = await listTraces(store, project, {
        limit,
        ...(sinceMs === undefined ? {} : { sinceMs }),
        ...(untilMs === undefined ? {} : { untilMs }),
        ...(flags.release ? { release: flags.release } : {}),
        ...(flags.kind ? { kind: flags.kind.toUpperCase() } : {}),
        ...(flags.session ? { sessionId: flags.session } : {}),
        ...(flags.errors ? { errorsOnly: true } : {}),
      });
      if (flags.json) return printJson({ project, traces });
      process.stdout.write(
        `${renderTable(
          ['trace', 'started', 'name', 'kind', 'spans', 'errors', 'ms', 'release', 'session'],
          traces.map((t) => [t.traceId, new Date(t.startTimeMs).toISOString().replace('T', ' ').slice(0, 19), t.name, t.kind, String(t.spans), String(t.errors), t.durationMs.toFixed(0), t.release ?? '—', t.sessionId ?? '—']),
          new Set([4, 5, 6]),
        )}\n`,
      );
    } finally {
      await store.close();
    }
  });
}

/** `evalops traces show TRACE`: the span tree. */
export async function tracesShowCommand(traceId: string, flags: ProjectFlags): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const project = await resolveProjectName(flags);
    const store = await openCliStore();
    try {
      const spans = await traceSpans(store, project, traceId);
      if (flags.json) return printJson({ project, traceId, spans });
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
    } finally {
      await store.close();
    }
  });
}

/** `evalops traces promote TRACE… --dataset NAME`: traces into a new dataset version. */
export async function tracesPromoteCommand(traceIds: string[], flags: ProjectFlags & { dataset: string }): Promise<void> {
  await withErrorHandling(flags.json, async () => {
    const project = await resolveProjectName(flags);
    const store = await openCliStore();
    try {
      const r = await promoteTraces(store, project, traceIds, flags.dataset);
      const doc = { project, dataset: r.dataset, version: r.version.hash, created: r.created, promoted: r.promoted, examples: r.examples };
      if (flags.json) return printJson(doc);
      process.stdout.write(`${r.created ? 'new version' : 'unchanged'} ${r.dataset}@${r.version.hash}: ${r.promoted} trace(s) promoted, ${r.examples} examples\n`);
    } finally {
      await store.close();
    }
  });
}
