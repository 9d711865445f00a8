import { z } from 'zod';
import { EvalOpsError } from '../core/errors.js';
import { flippedExamples } from '../core/flipped-examples.js';
import type { RunRecord } from '../store/run-repository.js';
import { limitQuery } from './api-schemas.js';
import type { ApiContext } from './api-context.js';
import { keyScope } from './key-scope.js';
import { StoredExampleSchema } from './dataset-operations.js';
import { defineOperation } from './operation.js';
import { ResultItemSchema } from './run-operations.js';

/**
 * The evidence behind a comparison, for the compare page: which examples flipped between the runs
 * (pass → fail first) and, for one example, both runs' outputs beside its input and expectation.
 */

const RunId = z.string().min(1).max(200);
const PairParams = z.object({ baselineRunId: RunId, candidateRunId: RunId });

export const FlippedExampleSchema = z.object({
  exampleId: z.string(),
  slices: z.array(z.string()),
  /** Metrics that passed in the baseline and fail in the candidate. */
  passToFail: z.array(z.string()),
  /** Metrics that failed in the baseline and pass in the candidate. */
  failToPass: z.array(z.string()),
});

export const listFlippedExamples = defineOperation({
  id: 'listFlippedExamples',
  method: 'get',
  path: '/runs/{baselineRunId}/compare/{candidateRunId}/flips',
  summary:
    'Examples whose pass/fail outcome changed from the baseline run to the candidate run: those with a metric gone from pass to fail first (most metrics lost first), then those that only improved; a page at a time',
  tags: ['runs'],
  permission: 'runs:read',
  params: PairParams,
  query: z.object({
    metric: z.string().min(1).max(200).optional().describe('only flips of this metric'),
    slice: z.string().min(1).max(200).optional().describe('only examples in this slice, e.g. lang:es'),
    limit: limitQuery(100, 1000),
    offset: z.coerce.number().int().min(0).default(0),
  }),
  response: z.object({
    baselineRunId: z.string(),
    candidateRunId: z.string(),
    /** Over every page: examples with a pass → fail flip, and examples with only fail → pass flips. */
    passToFail: z.number().int(),
    failToPass: z.number().int(),
    items: z.array(FlippedExampleSchema),
    offset: z.number().int(),
    nextOffset: z.number().int().nullable(),
  }),
  async handle(ctx, { params, query }) {
    const [, candidate] = await pairInScope(ctx, params.baselineRunId, params.candidateRunId);
    const [bRows, cRows, slices] = await Promise.all([
      ctx.store.runs.scoreRows(params.baselineRunId),
      ctx.store.runs.scoreRows(params.candidateRunId),
      ctx.store.datasets.exampleSlices(candidate.datasetVersionId),
    ]);
    const all = flippedExamples(bRows, cRows, slices, { ...(query.metric ? { metric: query.metric } : {}), ...(query.slice ? { slice: query.slice } : {}) });
    const end = query.offset + query.limit;
    const regressed = all.filter((f) => f.passToFail.length > 0).length;
    return {
      baselineRunId: params.baselineRunId,
      candidateRunId: params.candidateRunId,
      passToFail: regressed,
      failToPass: all.length - regressed,
      items: all.slice(query.offset, end).map((f) => ({ ...f, slices: [...f.slices], passToFail: [...f.passToFail], failToPass: [...f.failToPass] })),
      offset: query.offset,
      nextOffset: end < all.length ? end : null,
    };
  },
});

export const getComparedExample = defineOperation({
  id: 'getComparedExample',
  method: 'get',
  path: '/runs/{baselineRunId}/compare/{candidateRunId}/examples/{exampleId}',
  summary: 'One example of a comparison: its input, expectation and slices, and every trial of it in the baseline run and in the candidate run (output, tool calls, scores)',
  tags: ['runs'],
  permission: 'runs:read',
  params: PairParams.extend({ exampleId: z.string().min(1).max(500) }),
  response: z.object({
    baselineRunId: z.string(),
    candidateRunId: z.string(),
    /** The example as the candidate's dataset version holds it (the baseline's when only it has it). */
    example: StoredExampleSchema,
    baseline: z.array(ResultItemSchema),
    candidate: z.array(ResultItemSchema),
  }),
  async handle(ctx, { params }) {
    const [baseline, candidate] = await pairInScope(ctx, params.baselineRunId, params.candidateRunId);
    const id = params.exampleId;
    const [fromCandidate, bResults, cResults] = await Promise.all([
      ctx.store.datasets.examples(candidate.datasetVersionId, [id]),
      ctx.store.runs.results(baseline.id, { exampleIds: [id], limit: 1000 }),
      ctx.store.runs.results(candidate.id, { exampleIds: [id], limit: 1000 }),
    ]);
    const example = fromCandidate[0] ?? (await ctx.store.datasets.examples(baseline.datasetVersionId, [id]))[0];
    if (!example || (bResults.length === 0 && cResults.length === 0)) throw new EvalOpsError('not_found', `example ${id} is in neither run`);
    return { baselineRunId: baseline.id, candidateRunId: candidate.id, example, baseline: bResults, candidate: cResults };
  },
});

/** Both runs, each the key's (404 otherwise, as for a missing run) and of one project (else a usage error). */
async function pairInScope(ctx: ApiContext, baselineRunId: string, candidateRunId: string): Promise<[RunRecord, RunRecord]> {
  const runs: RunRecord[] = [];
  for (const runId of [baselineRunId, candidateRunId]) {
    runs.push(await ctx.store.runs.getInProject(keyScope(ctx), runId));
  }
  const [baseline, candidate] = runs as [RunRecord, RunRecord];
  if (baseline.projectId !== candidate.projectId) throw new EvalOpsError('usage', `runs ${baselineRunId} and ${candidateRunId} belong to different projects; they cannot be compared`);
  return [baseline, candidate];
}
