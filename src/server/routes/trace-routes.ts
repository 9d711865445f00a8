import { Hono } from 'hono';
import { z } from 'zod';
import { EvalOpsError } from '../../core/errors.js';
import { NewFeedbackSchema } from '../../core/feedback.js';
import { listTraces, promoteTraces, traceSpans } from '../../traces/trace-service.js';
import { projectIdOf } from '../project-id-of.js';
import type { AppEnv, ServerDeps } from '../app-env.js';
import { requireAuth } from '../require-auth.js';

const ListQuery = z.object({
  since: z.coerce.number().optional(),
  until: z.coerce.number().optional(),
  release: z.string().min(1).optional(),
  kind: z.string().min(1).optional(),
  session: z.string().min(1).optional(),
  errors: z.enum(['true', 'false']).optional(),
  feedback: z.enum(['any', 'negative']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
});
const PromoteBody = z.strictObject({ traceIds: z.array(z.string().regex(/^[0-9a-fA-F]{32}$/)).min(1).max(10_000), dataset: z.string().regex(/^[A-Za-z0-9][\w.-]*$/) });

/** Traces of a project: list by root span with filters, one trace's spans, promotion into a dataset. */
export function traceRoutes(deps: ServerDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/projects/:project/traces', requireAuth(deps, 'traces:read'), async (c) => {
    const q = parse(ListQuery, c.req.query(), 'query');
    const traces = await listTraces(deps.store, c.req.param('project'), {
      limit: q.limit,
      ...(q.since === undefined ? {} : { sinceMs: q.since }),
      ...(q.until === undefined ? {} : { untilMs: q.until }),
      ...(q.release ? { release: q.release } : {}),
      ...(q.kind ? { kind: q.kind.toUpperCase() } : {}),
      ...(q.session ? { sessionId: q.session } : {}),
      ...(q.errors === 'true' ? { errorsOnly: true } : {}),
      ...(q.feedback ? { feedback: q.feedback } : {}),
    });
    return c.json({ traces });
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
    const body = parse(PromoteBody, await c.req.json().catch(() => undefined), 'body');
    const r = await promoteTraces(deps.store, c.req.param('project'), body.traceIds, body.dataset);
    return c.json({ dataset: r.dataset, version: r.version.hash, created: r.created, promoted: r.promoted, examples: r.examples }, r.created ? 201 : 200);
  });
  return app;
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EvalOpsError('input', `${what}${issue?.path.length ? ` field ${issue.path.join('.')}` : ''}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
