import { Hono } from 'hono';
import { z } from 'zod';
import { EvalOpsError } from '../../core/errors.js';
import { RunStatusSchema } from '../../core/run.js';
import { runWithSummary } from '../../runner/run-queries.js';
import type { AppEnv, ServerDeps } from '../app-env.js';
import { requireAuth } from '../require-auth.js';
import { projectIdOf } from '../project-id-of.js';

const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(50), status: RunStatusSchema.optional() });
const ResultsQuery = z.object({ limit: z.coerce.number().int().min(1).max(10_000).default(100), offset: z.coerce.number().int().min(0).default(0) });

/** Runs of a project: list, one run's scorecard, its results (paged). */
export function runRoutes(deps: ServerDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/projects/:project/runs', requireAuth(deps, 'runs:read'), async (c) => {
    const query = parse(ListQuery, c.req.query());
    const projectId = await projectIdOf(deps.store, c.req.param('project'));
    const runs = await deps.store.runs.list(projectId, { limit: query.limit, ...(query.status ? { status: query.status } : {}) });
    return c.json({ runs: runs.map((r) => ({ runId: r.id, status: r.status, startedAt: r.startedAt, finishedAt: r.finishedAt, target: { type: r.targetType, variant: r.targetVariant }, labels: r.labels, summary: r.summary })) });
  });
  app.get('/projects/:project/runs/:runId', requireAuth(deps, 'runs:read'), async (c) => {
    const projectId = await projectIdOf(deps.store, c.req.param('project'));
    const { run, summary } = await runWithSummary(deps.store, c.req.param('runId'));
    if (run.projectId !== projectId) throw new EvalOpsError('not_found', `run ${run.id} not found`);
    return c.json(summary);
  });
  app.get('/projects/:project/runs/:runId/results', requireAuth(deps, 'runs:read'), async (c) => {
    const query = parse(ResultsQuery, c.req.query());
    const projectId = await projectIdOf(deps.store, c.req.param('project'));
    const run = await deps.store.runs.get(c.req.param('runId'));
    if (run.projectId !== projectId) throw new EvalOpsError('not_found', `run ${run.id} not found`);
    return c.json({ runId: run.id, items: await deps.store.runs.results(run.id, query) });
  });
  return app;
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EvalOpsError('usage', `query ${issue?.path.join('.') || ''}: ${issue?.message ?? 'invalid'}`.trim());
  }
  return parsed.data;
}
