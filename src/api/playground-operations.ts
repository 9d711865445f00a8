import { z } from 'zod';
import { EvalOpsError } from '../core/errors.js';
import { ReleaseConfigSchema } from '../core/release-config.js';
import { ScoreStatusSchema } from '../core/score.js';
import { PLAYGROUND_LIMITS, runPlayground } from '../playground/run-playground.js';
import { ProjectParams } from './api-schemas.js';
import { defineOperation } from './operation.js';
import { projectId } from './project-id.js';

/**
 * The playground: a draft release config run on a few dataset examples or a saved trace's input,
 * against the model it names, through the server's providers. Nothing is stored; saving the draft is
 * `PUT /projects/{project}/releases/{release}/config`.
 */

const PlaygroundRunBodySchema = z
  .strictObject({
    config: ReleaseConfigSchema.describe('the draft: a release config whose `prompts.system` / `prompts.user` and `model` make the call'),
    dataset: z.string().min(1).max(200).optional().describe('the dataset the examples are of'),
    version: z.string().min(4).max(64).optional().describe('a version hash (or prefix) of the dataset; default the newest'),
    exampleIds: z
      .array(z.string().min(1).max(200))
      .min(1)
      .max(PLAYGROUND_LIMITS.maxExamples, `at most ${PLAYGROUND_LIMITS.maxExamples} examples per playground run`)
      .optional()
      .describe(`ids of examples of the dataset, at most ${PLAYGROUND_LIMITS.maxExamples}`),
    traceId: z.string().min(1).max(64).optional().describe("a stored trace whose input to run instead of examples"),
  })
  .superRefine((body, ctx) => {
    if ((body.exampleIds === undefined) === (body.traceId === undefined)) ctx.addIssue({ code: 'custom', path: ['exampleIds'], message: 'give either exampleIds (with dataset) or traceId' });
    else if (body.exampleIds !== undefined && body.dataset === undefined) ctx.addIssue({ code: 'custom', path: ['dataset'], message: 'name the dataset of the examples' });
  });

const PlaygroundItemSchema = z.object({
  id: z.string().describe('the example id (trace_<id> for a trace)'),
  input: z.unknown(),
  expected: z.unknown(),
  output: z.string().nullable().describe(`the model's text, cut to ${PLAYGROUND_LIMITS.maxOutputChars} characters; null when the call failed`),
  truncated: z.boolean(),
  toolCalls: z.array(z.object({ name: z.string(), arguments: z.unknown() })),
  error: z.string().nullable(),
  latencyMs: z.number(),
  inputTokens: z.number().nullable(),
  outputTokens: z.number().nullable(),
  costUsd: z.number().nullable().describe("null when the provider's pricing is not configured"),
  scores: z.array(z.object({ metric: z.string(), status: ScoreStatusSchema, pass: z.boolean().nullable(), value: z.number().nullable(), reason: z.string().nullable() })),
});

export const PlaygroundRunSchema = z.object({
  project: z.string(),
  model: z.string(),
  variant: z.string().describe("the draft's model-target variant"),
  datasetVersion: z.string().nullable(),
  metrics: z.array(z.string()).describe("the deterministic metrics of the server's config that scored the outputs"),
  metricsNote: z.string().nullable(),
  items: z.array(PlaygroundItemSchema),
  totals: z.object({ costUsd: z.number().nullable(), inputTokens: z.number(), outputTokens: z.number(), errors: z.number().int(), latencyMsMax: z.number() }),
  limits: z.object({ maxExamples: z.number().int(), callTimeoutMs: z.number().int(), maxOutputChars: z.number().int(), maxTokens: z.number().int() }),
});

export const runPlaygroundOperation = defineOperation({
  id: 'runPlayground',
  method: 'post',
  path: '/projects/{project}/playground/run',
  summary: `Runs a draft config on up to ${PLAYGROUND_LIMITS.maxExamples} dataset examples or a trace's input against its model, with cost, tokens, latency and the deterministic scores; stores nothing`,
  tags: ['playground'],
  permission: 'runs:write',
  params: ProjectParams,
  body: PlaygroundRunBodySchema,
  response: PlaygroundRunSchema,
  async handle(ctx, { params, body }) {
    if (ctx.playground === undefined) throw new EvalOpsError('conflict', 'the playground runs on a server (`evalops serve --config evalops.yaml`), where the providers are');
    const id = await projectId(ctx.store, params.project);
    const source = body.traceId !== undefined ? { kind: 'trace' as const, traceId: body.traceId } : { kind: 'examples' as const, dataset: body.dataset as string, exampleIds: body.exampleIds ?? [], ...(body.version === undefined ? {} : { version: body.version }) };
    const result = await runPlayground(ctx.store, ctx.playground, { projectId: id, project: params.project, config: body.config, field: 'body field config', source });
    const limits = { ...PLAYGROUND_LIMITS, ...ctx.playground.limits };
    return { project: params.project, ...result, limits: { maxExamples: limits.maxExamples, callTimeoutMs: limits.callTimeoutMs, maxOutputChars: limits.maxOutputChars, maxTokens: limits.maxTokens } };
  },
});
