import { Hono } from 'hono';
import type { AppEnv, ServerDeps } from '../app-env.js';
import { projectIdOf } from '../project-id-of.js';
import { requireAuth } from '../require-auth.js';

/** Traces of a project: the spans of one trace, in start order (filters and sessions come next). */
export function traceRoutes(deps: ServerDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/projects/:project/traces/:traceId', requireAuth(deps, 'traces:read'), async (c) => {
    const projectId = await projectIdOf(deps.store, c.req.param('project'));
    const spans = await deps.store.spans.list({ projectId, traceId: c.req.param('traceId').toLowerCase() });
    if (spans.length === 0) return c.json({ error: { code: 'not_found', message: `trace ${c.req.param('traceId')} not found` } }, 404);
    return c.json({ traceId: c.req.param('traceId'), spans });
  });
  return app;
}
