import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { EvalOpsError } from '../../core/errors.js';
import { NewFeedbackSchema } from '../../core/feedback.js';
import { parseSessionListQuery, parseTraceListQuery } from '../../traces/trace-query.js';
import { getSession, listSessions, listTraces, promoteTraces, selectTraceIds, traceSpans } from '../../traces/trace-service.js';
import { projectIdOf } from '../project-id-of.js';
import type { AppEnv, ServerDeps } from '../app-env.js';
import { requireAuth } from '../require-auth.js';

const TraceId = z.string().regex(/^[0-9a-fA-F]{32}$/, 'must be 32 hex characters');
const DatasetName = z.string().regex(/^[A-Za-z0-9][\w.-]*$/, 'dataset names use letters, digits, ".", "_" and "-"');
/** Promote named traces … */
const PromoteIdsBody = z.strictObject({ traceIds: z.array(TraceId).min(1).max(10_000), dataset: DatasetName });
/** … or the traces a list filter selects (the list's query parameters as an object). */
const PromoteFilterBody = z.strictObject({ filter: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])), dataset: DatasetName });

/**
 * Traces of a project: the filtered list, sessions, one trace's spans, feedback, promotion into a
 * dataset. Query parameters are validated (unknown ones refused) by the schemas of trace-query.ts.
 */
export function traceRoutes(deps: ServerDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const queryParam = (p: string): string => `query parameter ${p}`;
  app.get('/projects/:project/traces', requireAuth(deps, 'traces:read'), async (c) => {
    const page = await listTraces(deps.store, c.req.param('project'), parseTraceListQuery(queryOf(c), 'input', queryParam));
    return c.json({ traces: page.items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
  });
  app.get('/projects/:project/sessions', requireAuth(deps, 'traces:read'), async (c) => {
    const page = await listSessions(deps.store, c.req.param('project'), parseSessionListQuery(queryOf(c), 'input', queryParam));
    return c.json({ sessions: page.items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
  });
  app.get('/projects/:project/sessions/:sessionId', requireAuth(deps, 'traces:read'), async (c) => {
    return c.json(await getSession(deps.store, c.req.param('project'), c.req.param('sessionId')));
  });
  app.get('/projects/:project/traces/:traceId', requireAuth(deps, 'traces:read'), async (c) => {
    const spans = await traceSpans(deps.store, c.req.param('project'), c.req.param('traceId'));
    return c.json({ traceId: c.req.param('traceId').toLowerCase(), spans });
  });
  // Feedback comes from the app (an ingest key is enough) or from people reviewing traces.
  app.post('/projects/:project/traces/:traceId/feedback', requireAuth(deps, 'traces:write'), async (c) => {
    const feedback = parse(NewFeedbackSchema, await c.req.json().catch(() => undefined), 'body');
    const traceId = c.req.param('traceId').toLowerCase();
    await traceSpans(deps.store, c.req.param('project'), traceId); // 404 for a trace that was never ingested
    const projectId = await projectIdOf(deps.store, c.req.param('project'));
    return c.json(await deps.store.feedback.add(projectId, traceId, feedback), 201);
  });
  app.get('/projects/:project/traces/:traceId/feedback', requireAuth(deps, 'traces:read'), async (c) => {
    const projectId = await projectIdOf(deps.store, c.req.param('project'));
    return c.json({ feedback: await deps.store.feedback.forTrace(projectId, c.req.param('traceId').toLowerCase()) });
  });
  app.post('/projects/:project/traces/promote', requireAuth(deps, 'datasets:write'), async (c) => {
    const raw: unknown = await c.req.json().catch(() => undefined);
    const body = raw !== null && typeof raw === 'object' && 'filter' in raw ? parse(PromoteFilterBody, raw, 'body') : parse(PromoteIdsBody, raw, 'body');
    const project = c.req.param('project');
    const traceIds =
      'traceIds' in body
        ? body.traceIds
        : await selectTraceIds(deps.store, project, parseTraceListQuery(asQueryStrings(body.filter), 'input', (p) => `body field filter.${p}`));
    const r = await promoteTraces(deps.store, project, traceIds, body.dataset);
    return c.json({ dataset: r.dataset, version: r.version.hash, created: r.created, promoted: r.promoted, examples: r.examples, traceIds }, r.created ? 201 : 200);
  });
  return app;
}

/** The query string as a record: one value per parameter, a list where a parameter repeats. */
function queryOf(c: Context<AppEnv>): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(c.req.queries()).map(([k, v]) => [k, v.length === 1 ? (v[0] as string) : v]));
}

/** A JSON filter's numbers and booleans as the strings a query string would carry. */
function asQueryStrings(filter: Record<string, string | number | boolean | string[]>): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(filter).map(([k, v]) => [k, Array.isArray(v) ? v : String(v)]));
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EvalOpsError('input', `${what}${issue?.path.length ? ` field ${issue.path.join('.')}` : ''}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
