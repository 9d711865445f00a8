import { z } from 'zod';
import { EvalOpsError } from '../core/errors.js';
import { parseTraceListQuery } from '../traces/trace-query.js';
import { promoteCluster as promoteIntoDataset } from '../triage/promote-cluster.js';
import type { ModelPort } from '../models/model-port.js';
import { modelClusterNamer } from '../triage/model-cluster-namer.js';
import { modelEmbedder } from '../triage/model-embedder.js';
import { renderTriageMarkdown } from '../triage/render-triage-markdown.js';
import { TriageReportSchema, triageReport } from '../triage/triage-report.js';
import { clusterById, triage, type Triage, type TriageOptions, type TriageRequest } from '../triage/triage-service.js';
import type { ApiContext } from './api-context.js';
import { ProjectParams } from './api-schemas.js';
import { keyScope } from './key-scope.js';
import { defineOperation } from './operation.js';

/**
 * Triage: failure clusters of a run's failures, a comparison's regressions, an alert's evidence
 * window or a trace filter, as a report (JSON with its Markdown); and promotion of a cluster into a
 * dataset version. `evalops triage`. Reading needs the source's read permission; promoting writes a
 * dataset version (engineer). Another project's run or alert answers 404 like an unknown one.
 */

const Id = z.string().min(1).max(200);
const DatasetName = z.string().min(1).max(200).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'dataset names use letters, digits, ".", "_" and "-"');

/** How the clusters are made; the same values give the same clusters. */
export const TriageOptionsSchema = z.strictObject({
  seed: z.coerce.number().int().min(0).max(2 ** 32 - 1).optional().describe('seed of the sample the hierarchical step clusters (default 0)'),
  cutoff: z.coerce.number().min(0).max(1).optional().describe('average cosine distance up to which clusters merge (default 0.85)'),
  maxClusters: z.coerce.number().int().min(1).max(100).optional().describe('at most this many clusters (default 20)'),
  limit: z.coerce.number().int().min(1).max(50_000).optional().describe('failing items clustered at most (default 10,000)'),
  nameModel: z.string().min(3).max(200).regex(/^[^:\s]+:\S+$/, 'a model is provider:model').optional().describe("name the clusters with this model (provider:model of the server's providers); without it, the config's triage.nameModel, else by their terms"),
  embeddingModel: z
    .string()
    .min(3)
    .max(200)
    .regex(/^(none|[^:\s]+:\S+)$/, 'an embedding model is provider:model, or none for the offline method')
    .optional()
    .describe("cluster on this embedding model's vectors (provider:model of the server's providers); none: the offline TF-IDF method; absent: the config's triage.embeddingModel, else offline"),
});
type TriageOptionsInput = z.output<typeof TriageOptionsSchema>;

const TriageResponse = TriageReportSchema.extend({ markdown: z.string().describe('the report as Markdown') });

async function report(ctx: ApiContext, request: TriageRequest, options: TriageOptionsInput, project?: string): Promise<z.output<typeof TriageResponse>> {
  const result = await triage(ctx.store, keyScope(ctx), request, { ...clusterOptions(options), ...namerOf(ctx, options.nameModel ?? ctx.triage?.nameModel), ...embedderOf(ctx, options.embeddingModel) });
  const name = project ?? (await ctx.store.projects.findById(result.projectId))?.name ?? result.projectId;
  const doc = triageReport(result, name);
  return { ...doc, markdown: renderTriageMarkdown(doc) };
}

/** A model namer when asked for one; a model the server cannot call is the caller's mistake, named. */
function namerOf(ctx: ApiContext, model: string | undefined): Pick<TriageOptions, 'namer'> {
  if (model === undefined) return {};
  return { namer: modelClusterNamer(callable(ctx, model, 'nameModel'), model) };
}

/**
 * The embedder of the request's embeddingModel, else of the config's triage.embeddingModel; none for
 * `none` or when neither names one. Embeddings are cached in the response cache, so the promotion of a
 * cluster clusters the same vectors as the report it came from.
 */
function embedderOf(ctx: ApiContext, requested: string | undefined): Pick<TriageOptions, 'embedder'> {
  const model = requested ?? ctx.triage?.embeddingModel;
  if (model === undefined || model === 'none') return {};
  const where = requested === undefined ? 'triage.embeddingModel' : 'embeddingModel';
  return { embedder: modelEmbedder(callable(ctx, model, where), model, ctx.store.cache) };
}

/** The model port, when it can call `model`; otherwise a usage error naming the option and what is missing. */
function callable(ctx: ApiContext, model: string, option: string): ModelPort {
  const models = ctx.playground?.models;
  if (!models) throw new EvalOpsError('usage', `${option} ${model}: no model is configured here (a server started with -c CONFIG names its providers; the CLI reads them from -c CONFIG or ./evalops.yaml)`, { location: option });
  const why = models.unavailable?.(model) ?? (models.isConfigured(model) ? undefined : 'its provider is not configured');
  if (why !== undefined) throw new EvalOpsError('usage', `${option} ${model} cannot be called: ${why}`, { location: option });
  return models;
}

function clusterOptions(o: TriageOptionsInput): TriageOptions {
  return { ...(o.seed === undefined ? {} : { seed: o.seed }), ...(o.cutoff === undefined ? {} : { cutoff: o.cutoff }), ...(o.maxClusters === undefined ? {} : { maxClusters: o.maxClusters }), ...(o.limit === undefined ? {} : { limit: o.limit }) };
}

export const triageRun = defineOperation({
  id: 'triageRun',
  method: 'get',
  path: '/runs/{runId}/triage',
  summary: "Failure clusters of a run's failures (errors, failed or errored scores): name, size, share, slices with enrichment, failing metrics, owners, representative items",
  tags: ['triage'],
  permission: 'runs:read',
  params: z.object({ runId: Id }),
  query: TriageOptionsSchema,
  response: TriageResponse,
  async handle(ctx, { params, query }) {
    return report(ctx, { kind: 'run', runId: params.runId }, query);
  },
});

export const triageComparison = defineOperation({
  id: 'triageComparison',
  method: 'get',
  path: '/runs/{baselineRunId}/compare/{candidateRunId}/triage',
  summary: "Failure clusters of a comparison's regressions: examples gone from pass to fail, new target errors, and examples the candidate has no result for",
  tags: ['triage'],
  permission: 'runs:read',
  params: z.object({ baselineRunId: Id, candidateRunId: Id }),
  query: TriageOptionsSchema,
  response: TriageResponse,
  async handle(ctx, { params, query }) {
    return report(ctx, { kind: 'compare', baselineRunId: params.baselineRunId, candidateRunId: params.candidateRunId }, query);
  },
});

export const triageAlert = defineOperation({
  id: 'triageAlert',
  method: 'get',
  path: '/projects/{project}/alerts/{alert}/triage',
  summary: "The triage report of a monitor alert: what moved, the clusters of its evidence window's failing traces, the commands run and to run, suggested actions (promote, narrow, roll back)",
  tags: ['triage'],
  permission: 'online:read',
  params: ProjectParams.extend({ alert: Id }),
  query: TriageOptionsSchema,
  response: TriageResponse,
  async handle(ctx, { params, query }) {
    return report(ctx, { kind: 'alert', project: params.project, alertId: params.alert }, query, params.project);
  },
});

const TraceFilter = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])).default({}).describe('the query parameters of the trace list, e.g. { "errors": "true", "release": "2.1.0" }');

export const triageTraces = defineOperation({
  id: 'triageTraces',
  method: 'post',
  path: '/projects/{project}/traces/triage',
  summary: 'Failure clusters of the traces a trace-list filter selects (e.g. errors of a release); reads only',
  tags: ['triage'],
  permission: 'traces:read',
  params: ProjectParams,
  body: z.strictObject({ filter: TraceFilter, options: TriageOptionsSchema.default({}) }),
  response: TriageResponse,
  async handle(ctx, { params, body }) {
    return report(ctx, tracesRequest(params.project, body.filter), body.options, params.project);
  },
});

const SourceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('run'), runId: Id }),
  z.strictObject({ kind: z.literal('compare'), baselineRunId: Id, candidateRunId: Id }),
  z.strictObject({ kind: z.literal('alert'), alertId: Id }),
  z.strictObject({ kind: z.literal('traces'), filter: TraceFilter }),
]);

export const promoteCluster = defineOperation({
  id: 'promoteCluster',
  method: 'post',
  path: '/projects/{project}/triage/promote',
  summary: "Adds a cluster's items to a new version of a dataset, each in slice cluster:<name> with its provenance (source run or trace, failure reason, cluster, owners) in metadata.triage",
  tags: ['triage'],
  permission: 'datasets:write',
  params: ProjectParams,
  body: z.strictObject({
    source: SourceSchema.describe('the triage the cluster comes from; with the same options it gives the same clusters'),
    cluster: z.string().min(1).max(200).describe('the cluster id (c1, c2 …) or its slice'),
    dataset: DatasetName,
    options: TriageOptionsSchema.default({}),
  }),
  response: z.object({
    project: z.string(),
    dataset: z.string(),
    version: z.string().describe('the hash of the dataset version holding the items'),
    created: z.boolean().describe('false when the version already held these examples'),
    cluster: z.object({ id: z.string(), name: z.string(), slice: z.string(), size: z.number().int() }),
    promoted: z.number().int(),
    examples: z.number().int(),
  }),
  statusOf: (r) => (r.created ? 201 : 200),
  async handle(ctx, { params, body }) {
    const s = body.source;
    const request: TriageRequest =
      s.kind === 'run' ? { kind: 'run', runId: s.runId } : s.kind === 'compare' ? { kind: 'compare', baselineRunId: s.baselineRunId, candidateRunId: s.candidateRunId } : s.kind === 'alert' ? { kind: 'alert', project: params.project, alertId: s.alertId } : tracesRequest(params.project, s.filter);
    const result = await triage(ctx.store, keyScope(ctx), request, { ...clusterOptions(body.options), ...embedderOf(ctx, body.options.embeddingModel) });
    await sameProject(ctx, result, params.project);
    const cluster = clusterById(result, body.cluster);
    const r = await promoteIntoDataset(ctx.store, result, cluster, body.dataset);
    return { project: params.project, dataset: r.dataset, version: r.version.hash, created: r.created, cluster: { id: cluster.id, name: cluster.name, slice: cluster.slice, size: cluster.size }, promoted: r.promoted, examples: r.examples };
  },
});

function tracesRequest(project: string, filter: Record<string, unknown>): TriageRequest {
  // The filter is a query of the trace list, checked as one; numbers and booleans as a query string carries them.
  const raw = Object.fromEntries(Object.entries(filter).map(([k, v]) => [k, Array.isArray(v) ? v : String(v)]));
  return { kind: 'traces', project, filter: parseTraceListQuery(raw, 'input', (p) => `filter.${p}`, 1000) };
}

/** A run of another project than the path's answers like an unknown run (an instance-wide key could otherwise write across projects). */
async function sameProject(ctx: ApiContext, result: Triage, project: string): Promise<void> {
  const p = await ctx.store.projects.findByName(project);
  if (!p || p.id !== result.projectId) {
    const r = result.request;
    const what = r.kind === 'run' ? `run ${r.runId}` : r.kind === 'compare' ? `run ${r.candidateRunId}` : `project "${project}"`;
    throw new EvalOpsError('not_found', `${what} not found`);
  }
}
