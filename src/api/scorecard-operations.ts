import { z } from 'zod';
import { LifecycleSchema } from '../core/metric.js';
import { Interval } from '../core/run.js';
import { JudgeStatusSchema } from '../core/review/judge-status.js';
import { buildStoredScorecard } from '../gate/scorecard.js';
import { judgeStatuses } from '../review/judge-statuses.js';
import { reviewBurden } from '../review/review-burden.js';
import { ProjectParams } from './api-schemas.js';
import { defineOperation } from './operation.js';
import { ReviewBurdenSchema } from './review-schemas.js';

/**
 * The scorecard and lifecycle recommendations. `evalops scorecard` and `evalops metrics lifecycle`.
 * Both read only what is stored (see buildStoredScorecard): the metric definitions are the newest
 * completed run's snapshot of its config and the gates those the newest gate decision applied, so a
 * server, which has no config, answers exactly what the CLI prints locally.
 */

const RunsQuery = z.object({ runs: z.coerce.number().int().min(2).max(100).default(5).describe('completed runs in the trend (and the lifecycle rules’ window)') });

export const RecommendationSchema = z.object({ metric: z.string(), current: LifecycleSchema, recommended: LifecycleSchema, reason: z.string() });

export const ScorecardSchema = z.object({
  project: z.string(),
  /** Completed runs the trend covers. */
  runs: z.number().int(),
  metrics: z.array(
    z.object({
      name: z.string(),
      owner: z.string().nullable(),
      failureClass: z.string().nullable(),
      lifecycle: LifecycleSchema,
      scorerType: z.string(),
      current: z.object({ runId: z.string(), passRate: z.number().nullable(), n: z.number().int(), ci95: Interval.nullable().describe('95% Wilson interval of the pass rate') }).nullable(),
      /** Pass rates of the last runs, newest first. */
      trend: z.array(z.object({ runId: z.string(), passRate: z.number().nullable() })),
      gates: z.array(z.object({ rule: z.string(), action: z.string() })),
      recommendation: RecommendationSchema.nullable(),
      /** For a judge: its calibration status for the version the newest run used. */
      calibration: JudgeStatusSchema.nullable(),
    }),
  ),
  /** Cost of each run in the trend, newest first: total and per successful result. */
  costs: z.array(z.object({ runId: z.string(), costUsd: z.number(), costPerSuccessUsd: z.number().nullable() })),
  /** What human review costs (src/review/review-burden.ts). */
  review: ReviewBurdenSchema.nullable(),
  warnings: z.array(z.string()),
});

export const getScorecard = defineOperation({
  id: 'getScorecard',
  method: 'get',
  path: '/projects/{project}/scorecard',
  summary: 'Every metric with owner, failure class, lifecycle, current value, trend over the last runs, the rules it gates and the lifecycle change its history suggests',
  tags: ['metrics'],
  permission: 'runs:read',
  params: ProjectParams,
  query: RunsQuery,
  response: ScorecardSchema,
  async handle(ctx, { params, query }) {
    const card = await buildStoredScorecard(ctx.store, params.project, query.runs);
    const project = await ctx.store.projects.findByName(params.project);
    const latest = project ? (await ctx.store.runs.list(project.id, { status: 'completed', limit: 1 }))[0] : undefined;
    const judges = project && latest ? await judgeStatuses(ctx.store, project.id, latest.metrics) : new Map();
    return {
      ...card,
      costs: [...card.costs],
      metrics: card.metrics.map((m) => ({ ...m, current: m.current ? { ...m.current, ci95: m.current.ci95 ? [m.current.ci95[0], m.current.ci95[1]] as [number, number] : null } : null, trend: [...m.trend], gates: [...m.gates], calibration: judges.get(m.name)?.status ?? null })),
      review: project ? await reviewBurden(ctx.store, project.id) : null,
      warnings: [...card.warnings],
    };
  },
});

export const listLifecycleRecommendations = defineOperation({
  id: 'listLifecycleRecommendations',
  method: 'get',
  path: '/projects/{project}/metrics/lifecycle',
  summary: 'Recommended lifecycle transitions (capability → regression → saturated, saturated → regression) from each metric’s recent pass rates',
  tags: ['metrics'],
  permission: 'runs:read',
  params: ProjectParams,
  query: RunsQuery,
  response: z.object({ project: z.string(), runs: z.number().int(), recommendations: z.array(RecommendationSchema) }),
  async handle(ctx, { params, query }) {
    const card = await buildStoredScorecard(ctx.store, params.project, query.runs);
    return { project: card.project, runs: card.runs, recommendations: card.metrics.flatMap((m) => (m.recommendation ? [m.recommendation] : [])) };
  },
});
