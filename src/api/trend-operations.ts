import { z } from 'zod';
import { RunTargetSchema } from '../core/run.js';
import { ProjectParams } from './api-schemas.js';
import { defineOperation } from './operation.js';
import { projectId } from './project-id.js';

/** Metric and cost trends over a project's completed runs, for the trends charts. */

export const RunTrendPointSchema = z.object({
  runId: z.string(),
  startedAt: z.string(),
  target: RunTargetSchema,
  dataset: z.object({ name: z.string(), version: z.string() }),
  passRates: z.record(z.string(), z.number().nullable()),
  costUsd: z.number(),
  /** Total cost ÷ successful results; null when none succeeded. */
  costPerSuccessUsd: z.number().nullable(),
  successes: z.number().int(),
  results: z.number().int(),
  latencyMs: z.object({ p50: z.number().nullable(), p95: z.number().nullable() }),
});

export const listRunTrends = defineOperation({
  id: 'listRunTrends',
  method: 'get',
  path: '/projects/{project}/trends',
  summary: "The project's last completed runs, oldest first, each with its pass rate per metric, cost, cost per successful result and latency",
  tags: ['runs'],
  permission: 'runs:read',
  params: ProjectParams,
  query: z.object({
    runs: z.coerce.number().int().min(1).max(500).default(30).describe('how many of the newest completed runs'),
    variant: z.string().min(1).max(200).optional().describe('only runs of this target variant'),
  }),
  response: z.object({ project: z.string(), metrics: z.array(z.string()), runs: z.array(RunTrendPointSchema) }),
  async handle(ctx, { params, query }) {
    const id = await projectId(ctx.store, params.project);
    const records = await ctx.store.runs.list(id, { limit: query.runs, status: 'completed', ...(query.variant ? { targetVariant: query.variant } : {}) });
    const runs = records
      .flatMap((r) => (r.summary ? [r.summary] : []))
      .reverse()
      .map((s) => ({
        runId: s.runId,
        startedAt: s.startedAt,
        target: s.target,
        dataset: s.dataset,
        passRates: Object.fromEntries(Object.entries(s.metrics).map(([m, v]) => [m, v.passRate])),
        costUsd: s.costUsd,
        costPerSuccessUsd: s.costPerSuccessUsd,
        successes: s.successes,
        results: s.results.total,
        latencyMs: s.latencyMs,
      }));
    const metrics = [...new Set(runs.flatMap((r) => Object.keys(r.passRates)))];
    return { project: params.project, metrics, runs };
  },
});
