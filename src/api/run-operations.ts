import { z } from 'zod';
import { RunStatusSchema, RunSummarySchema, RunTargetSchema } from '../core/run.js';
import { runTarget } from '../core/target-label.js';
import { ScoreSchema } from '../core/score.js';
import { ToolCallSchema } from '../core/target-output.js';
import { runWithSummary } from '../runner/run-queries.js';
import type { ResultFilter } from '../store/result-filter.js';
import type { RunRecord } from '../store/run-repository.js';
import { limitQuery, ProjectParams, QueryBoolean } from './api-schemas.js';
import type { ApiContext } from './api-context.js';
import { keyScope } from './key-scope.js';
import { defineOperation } from './operation.js';
import { projectId } from './project-id.js';

/** Runs: the list, one run's scorecard, its results. `evalops runs list|show`. */

export const RunListItemSchema = z.object({
  runId: z.string(),
  status: RunStatusSchema,
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  target: RunTargetSchema,
  repeat: z.number().int(),
  labels: z.record(z.string(), z.string()),
  results: z.number().int().nullable(),
  passRates: z.record(z.string(), z.number().nullable()).nullable(),
});
export type RunListItem = z.infer<typeof RunListItemSchema>;

export const ResultItemSchema = z.object({
  exampleId: z.string(),
  trial: z.number().int(),
  output: z.unknown(),
  toolCalls: z.array(ToolCallSchema).readonly(),
  latencyMs: z.number(),
  inputTokens: z.number().optional(),
  outputTokens: z.number().optional(),
  costUsd: z.number().optional(),
  error: z.string().optional(),
  cached: z.boolean(),
  attempts: z.number().int(),
  scores: z.record(z.string(), ScoreSchema),
  /** The dataset example the result answers (with `examples=true`): input, expected outcome, slices. */
  example: z.object({ input: z.unknown(), expected: z.unknown().optional(), slices: z.array(z.string()) }).optional(),
});

const RunParams = z.object({ runId: z.string().min(1).max(200) });

export const listRuns = defineOperation({
  id: 'listRuns',
  method: 'get',
  path: '/projects/{project}/runs',
  summary: 'Runs of a project, newest first',
  tags: ['runs'],
  permission: 'runs:read',
  params: ProjectParams,
  query: z.object({ limit: limitQuery(20, 10_000), status: RunStatusSchema.optional() }),
  response: z.object({ project: z.string(), runs: z.array(RunListItemSchema) }),
  async handle(ctx, { params, query }) {
    const id = await projectId(ctx.store, params.project);
    const runs = await ctx.store.runs.list(id, { limit: query.limit, ...(query.status ? { status: query.status } : {}) });
    return { project: params.project, runs: runs.map(listItem) };
  },
});

export const getRun = defineOperation({
  id: 'getRun',
  method: 'get',
  path: '/runs/{runId}',
  summary: "One run's scorecard: per metric n, pass rate with 95% interval, cost, latency",
  tags: ['runs'],
  permission: 'runs:read',
  params: RunParams,
  response: RunSummarySchema,
  async handle(ctx, { params }) {
    return (await runInScope(ctx, params.runId)).summary;
  },
});

export const listRunResults = defineOperation({
  id: 'listRunResults',
  method: 'get',
  path: '/runs/{runId}/results',
  summary: "A run's results with every score, in example order, a page at a time; filtered (in the database, before paging) to failures, to one metric's failures, to one slice or to one example",
  tags: ['runs'],
  permission: 'runs:read',
  params: RunParams,
  query: z.object({
    limit: limitQuery(100, 10_000),
    offset: z.coerce.number().int().min(0).default(0),
    failures: QueryBoolean.optional().describe('only results with an error, or a failed or errored score'),
    metric: z.string().min(1).max(200).optional().describe('only results whose score for this metric failed or errored'),
    slice: z.string().min(1).max(200).optional().describe('only results of examples in this slice of the run’s dataset version, e.g. lang:es'),
    example: z.string().min(1).max(200).optional().describe('only the results (every trial) of this example id'),
    examples: QueryBoolean.optional().describe('add each result’s dataset example (input, expected, slices)'),
  }),
  response: z.object({
    runId: z.string(),
    items: z.array(ResultItemSchema),
    /** Results the filter keeps, over every page. */
    total: z.number().int(),
    offset: z.number().int(),
    /** The offset of the next page; null after the last. */
    nextOffset: z.number().int().nullable(),
  }),
  async handle(ctx, { params, query }) {
    const { run } = await runInScope(ctx, params.runId);
    const filter: ResultFilter = {
      ...(query.failures ? { failures: true } : {}),
      ...(query.metric !== undefined ? { failedMetric: query.metric } : {}),
      ...(query.slice !== undefined ? { slice: { versionId: run.datasetVersionId, name: query.slice } } : {}),
      ...(query.example !== undefined ? { exampleId: query.example } : {}),
    };
    const [items, total] = await Promise.all([ctx.store.runs.results(run.id, { limit: query.limit, offset: query.offset, filter }), ctx.store.runs.countResults(run.id, filter)]);
    const end = query.offset + items.length;
    const page = { runId: run.id, total, offset: query.offset, nextOffset: end < total ? end : null };
    if (!query.examples || items.length === 0) return { ...page, items };
    const examples = new Map((await ctx.store.datasets.examples(run.datasetVersionId, [...new Set(items.map((i) => i.exampleId))])).map((e) => [e.id, e]));
    return {
      ...page,
      items: items.map((item) => {
        const example = examples.get(item.exampleId);
        return example ? { ...item, example: { input: example.input, ...(example.expected === undefined ? {} : { expected: example.expected }), slices: [...example.slices] } } : item;
      }),
    };
  },
});

/** The run with its scorecard; 404 for a run of another project than the key's, as for one that does not exist. */
export async function runInScope(ctx: ApiContext, runId: string) {
  return runWithSummary(ctx.store, runId, keyScope(ctx));
}

function listItem(r: RunRecord): RunListItem {
  return {
    runId: r.id,
    status: r.status,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    target: runTarget(r),
    repeat: r.repeat,
    labels: r.labels,
    results: r.summary?.results.total ?? null,
    passRates: r.summary ? Object.fromEntries(Object.entries(r.summary.metrics).map(([k, m]) => [k, m.passRate])) : null,
  };
}
