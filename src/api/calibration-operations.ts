import { z } from 'zod';
import { CalibrationReportSchema } from '../core/review/calibration-report.js';
import { CalibrationThresholdsSchema, JudgeStatusSchema } from '../core/review/judge-status.js';
import { ReviewPayloadSchema } from '../core/review/review-item.js';
import { RubricSchema } from '../core/review/rubric.js';
import { recordCalibration as record } from '../review/calibration-service.js';
import { freezeGoldSet as freeze } from '../review/gold-set-service.js';
import { judgeDrift } from '../review/judge-drift.js';
import { judgeStatuses } from '../review/judge-statuses.js';
import { reviewBurden } from '../review/review-burden.js';
import type { GoldSetRecord } from '../store/gold-set-repository.js';
import { ProjectParams } from './api-schemas.js';
import { defineOperation } from './operation.js';
import { ReviewBurdenSchema } from './review-schemas.js';
import { projectId } from './project-id.js';

/**
 * Gold sets and judge calibration: `evalops gold freeze|list|show`, `evalops calibrate METRIC`,
 * `evalops judges`. The judge runs where the config is (the CLI); its answers are sent here and the
 * figures are computed against the stored gold set, never taken from the caller.
 */

const MetricParams = ProjectParams.extend({ metric: z.string().min(1).max(64) });

const GoldSetViewSchema = z.object({
  id: z.string(),
  metric: z.string(),
  version: z.number().int(),
  hash: z.string(),
  items: z.number().int(),
  rubric: RubricSchema,
  createdBy: z.string(),
  createdAt: z.string(),
});

function goldSetView(g: GoldSetRecord): z.infer<typeof GoldSetViewSchema> {
  return { id: g.id, metric: g.metric, version: g.version, hash: g.hash, items: g.itemCount, rubric: g.rubric, createdBy: g.createdBy, createdAt: g.createdAt };
}

export const freezeGoldSet = defineOperation({
  id: 'freezeGoldSet',
  method: 'post',
  path: '/projects/{project}/gold-sets',
  summary: "Freezes the settled items of a metric's queues as its next gold set version (the same content returns the existing version); audited",
  tags: ['review'],
  permission: 'reviews:manage',
  params: ProjectParams,
  body: z.strictObject({ metric: z.string().min(1).max(64), queues: z.array(z.string().min(1)).max(50).default([]).describe("default: every queue of the metric") }),
  response: GoldSetViewSchema.extend({ created: z.boolean() }),
  statusOf: (r) => (r.created ? 201 : 200),
  async handle(ctx, { params, body }) {
    const { goldSet, created } = await freeze(ctx.store, params.project, body.metric, body.queues, ctx.actor());
    return { ...goldSetView(goldSet), created };
  },
});

export const listGoldSets = defineOperation({
  id: 'listGoldSets',
  method: 'get',
  path: '/projects/{project}/gold-sets',
  summary: 'Gold set versions of a project, per metric newest first',
  tags: ['review'],
  permission: 'reviews:read',
  params: ProjectParams,
  response: z.object({ project: z.string(), goldSets: z.array(GoldSetViewSchema) }),
  async handle(ctx, { params }) {
    const project = await ctx.store.projects.findByName(params.project);
    return { project: params.project, goldSets: project ? (await ctx.store.goldSets.list(project.id)).map(goldSetView) : [] };
  },
});

export const getGoldSet = defineOperation({
  id: 'getGoldSet',
  method: 'get',
  path: '/projects/{project}/gold-sets/{metric}',
  summary: "A metric's gold set (the latest version unless asked) with its items and human labels",
  tags: ['review'],
  permission: 'reviews:read',
  params: MetricParams,
  query: z.object({ version: z.coerce.number().int().min(1).optional() }),
  response: GoldSetViewSchema.extend({ goldItems: z.array(z.object({ key: z.string(), label: z.string(), payload: ReviewPayloadSchema })) }),
  async handle(ctx, { params, query }) {
    const goldSet = await ctx.store.goldSets.get(await projectId(ctx.store, params.project), params.metric, query.version);
    const items = await ctx.store.goldSets.items(goldSet.id);
    return { ...goldSetView(goldSet), goldItems: items.map((i) => ({ key: i.key, label: i.label, payload: i.payload })) };
  },
});

export const recordCalibration = defineOperation({
  id: 'recordCalibration',
  method: 'post',
  path: '/projects/{project}/calibrations',
  summary: "Records a judge's calibration: its answers on every gold item, compared here with the human labels; the judge version is calibrated when kappa and the item count meet the thresholds",
  tags: ['review'],
  permission: 'reviews:manage',
  params: ProjectParams,
  bulkBody: true,
  body: z.strictObject({
    metric: z.string().min(1).max(64),
    judgeVersion: z.string().min(1).max(200),
    goldSetVersion: z.number().int().min(1).optional(),
    answers: z.array(z.strictObject({ key: z.string().min(1), status: z.enum(['scored', 'errored', 'skipped']), label: z.string().nullable(), reason: z.string().nullable() })).max(100_000),
    thresholds: CalibrationThresholdsSchema.default({ minKappa: 0.6, minItems: 100 }),
  }),
  response: z.object({ id: z.string(), createdAt: z.string(), report: CalibrationReportSchema }),
  status: 201,
  async handle(ctx, { params, body }) {
    const { calibration, report } = await record(ctx.store, params.project, body, ctx.actor());
    return { id: calibration.id, createdAt: calibration.createdAt, report };
  },
});

export const listCalibrations = defineOperation({
  id: 'listCalibrations',
  method: 'get',
  path: '/projects/{project}/calibrations/{metric}',
  summary: "A metric's calibrations, newest first, with their reports",
  tags: ['review'],
  permission: 'reviews:read',
  params: MetricParams,
  response: z.object({ metric: z.string(), calibrations: z.array(z.object({ id: z.string(), createdAt: z.string(), createdBy: z.string(), report: CalibrationReportSchema })) }),
  async handle(ctx, { params }) {
    const list = await ctx.store.calibrations.history(await projectId(ctx.store, params.project), params.metric);
    return { metric: params.metric, calibrations: list.map((c) => ({ id: c.id, createdAt: c.createdAt, createdBy: c.createdBy, report: c.report })) };
  },
});

const JudgeViewSchema = z.object({
  metric: z.string(),
  judgeVersion: z.string().describe('the version the latest run scored with'),
  status: JudgeStatusSchema,
  latest: z
    .object({ id: z.string(), judgeVersion: z.string(), kappa: z.number().nullable(), n: z.number().int(), goldSetId: z.string(), status: z.enum(['calibrated', 'uncalibrated']), createdAt: z.string() })
    .nullable(),
});

export const listJudges = defineOperation({
  id: 'listJudges',
  method: 'get',
  path: '/projects/{project}/judges',
  summary: 'Every judge metric of the latest completed run and its calibration status for that judge version (calibrated, uncalibrated, stale)',
  tags: ['review'],
  permission: 'reviews:read',
  params: ProjectParams,
  response: z.object({ project: z.string(), runId: z.string().nullable(), judges: z.array(JudgeViewSchema) }),
  async handle(ctx, { params }) {
    const project = await ctx.store.projects.findByName(params.project);
    const run = project ? (await ctx.store.runs.list(project.id, { status: 'completed', limit: 1 }))[0] : undefined;
    if (!project || !run) return { project: params.project, runId: null, judges: [] };
    const statuses = await judgeStatuses(ctx.store, project.id, run.metrics);
    return { project: params.project, runId: run.id, judges: [...statuses.values()].map((s) => ({ ...s })) };
  },
});

export const getJudgeDrift = defineOperation({
  id: 'getJudgeDrift',
  method: 'get',
  path: '/projects/{project}/judges/{metric}/drift',
  summary: 'Judge–human disagreement on reviewed items per time bucket, with an alert when the latest full bucket crosses the threshold',
  tags: ['review'],
  permission: 'reviews:read',
  params: MetricParams,
  query: z.object({
    bucketHours: z.coerce.number().min(1).max(24 * 31).default(24),
    threshold: z.coerce.number().min(0).max(1).default(0.2),
    minItems: z.coerce.number().int().min(1).max(100_000).default(20),
    source: z.enum(['trace', 'result']).optional(),
  }),
  response: z.object({
    metric: z.string(),
    threshold: z.number(),
    minItems: z.number().int(),
    buckets: z.array(z.object({ start: z.string(), n: z.number().int(), disagreements: z.number().int(), rate: z.number() })),
    alert: z.object({ since: z.string(), rate: z.number(), n: z.number().int(), message: z.string() }).nullable(),
  }),
  async handle(ctx, { params, query }) {
    const drift = await judgeDrift(ctx.store, params.project, params.metric, { bucketMs: query.bucketHours * 3_600_000, threshold: query.threshold, minItems: query.minItems, ...(query.source ? { source: query.source } : {}) });
    return { ...drift, buckets: [...drift.buckets] };
  },
});

export const getReviewBurden = defineOperation({
  id: 'getReviewBurden',
  method: 'get',
  path: '/projects/{project}/review/burden',
  summary: 'What human review costs: share of run results routed to reviewers, labels, minutes per label',
  tags: ['review'],
  permission: 'reviews:read',
  params: ProjectParams,
  response: ReviewBurdenSchema,
  async handle(ctx, { params }) {
    const project = await ctx.store.projects.findByName(params.project);
    if (!project) return { routedShare: null, routedResults: 0, resultsInRoutedRuns: 0, traceItems: 0, labels: 0, minutesPerLabel: null, settled: 0 };
    return reviewBurden(ctx.store, project.id);
  },
});
