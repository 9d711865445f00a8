import { z } from 'zod';
import { compareRepeats, RepeatComparisonSchema } from '../gate/compare-repeats.js';
import { compareRuns, RunComparisonSchema } from '../gate/compare-runs.js';
import { QueryBoolean } from './api-schemas.js';
import { keyScope } from './key-scope.js';
import { defineOperation } from './operation.js';

/** Comparison of two runs. `evalops compare BASELINE CANDIDATE`. */

const RunId = z.string().min(1).max(200);

export const compareRunsOperation = defineOperation({
  id: 'compareRuns',
  method: 'get',
  path: '/runs/{baselineRunId}/compare/{candidateRunId}',
  summary:
    'Paired comparison of a candidate run with a baseline run: per metric, overall and per slice, the delta with its 95% interval, the Holm-adjusted p-value and a verdict',
  tags: ['runs'],
  permission: 'runs:read',
  params: z.object({ baselineRunId: RunId, candidateRunId: RunId }),
  query: z.object({
    commonExamples: QueryBoolean.optional().describe('compare runs of different dataset versions on the examples they share (with a warning)'),
  }),
  response: RunComparisonSchema.extend({
    repeats: RepeatComparisonSchema.nullable().describe('with --repeat: per metric pass^k, pass@k and the flaky examples of each run; null when neither run repeated'),
  }),
  async handle(ctx, { params, query }) {
    // Both runs must be the key's: another project's run answers 404 like a missing one, before any work.
    for (const runId of [params.baselineRunId, params.candidateRunId]) await ctx.store.runs.getInProject(keyScope(ctx), runId);
    const comparison = await compareRuns(ctx.store, params.baselineRunId, params.candidateRunId, { commonExamples: query.commonExamples ?? false });
    return { ...comparison, repeats: await compareRepeats(ctx.store, params.baselineRunId, params.candidateRunId, comparison.metrics) };
  },
});
