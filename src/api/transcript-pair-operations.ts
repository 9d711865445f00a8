import { z } from 'zod';
import { EvalOpsError } from '../core/errors.js';
import { ScoreSchema } from '../core/score.js';
import { asTranscript, TranscriptSchema } from '../core/transcript.js';
import { worstPairs } from '../core/worst-pairs.js';
import type { ResultRecord, RunRecord } from '../store/run-repository.js';
import type { ApiContext } from './api-context.js';
import { limitQuery } from './api-schemas.js';
import { keyScope } from './key-scope.js';
import { defineOperation } from './operation.js';

/**
 * The worst conversations of a comparison, side by side, for the decision page: paired by example
 * (scenario) id and trial; worst = most metrics that passed in the baseline and fail in the candidate
 * (a candidate whose target failed loses every metric), then the lowest candidate mean score. Only
 * pairs where at least one side is a conversation (its output is a transcript) and the candidate lost
 * or failed something are listed.
 */

const RunId = z.string().min(1).max(200);
/** How many ranked pairs are looked at to find conversations: bounds the work on a large single-turn run. */
const SCAN_LIMIT = 400;
const CHUNK = 50;

const TranscriptSideSchema = z.object({
  /** The side's transcript; null when its result is not a conversation or is missing. */
  transcript: TranscriptSchema.nullable(),
  /** The target error of this result (a conversation that broke on some turn, or failed outright). */
  error: z.string().nullable(),
  scores: z.record(z.string(), ScoreSchema),
});

export const TranscriptPairSchema = z.object({
  exampleId: z.string(),
  trial: z.number().int(),
  /** Metrics that passed in the baseline and fail (or errored) in the candidate. */
  lost: z.array(z.string()),
  baselineMean: z.number().nullable(),
  candidateMean: z.number().nullable(),
  baseline: TranscriptSideSchema,
  candidate: TranscriptSideSchema,
});
export type TranscriptPair = z.infer<typeof TranscriptPairSchema>;

export const listWorstTranscripts = defineOperation({
  id: 'listWorstTranscripts',
  method: 'get',
  path: '/runs/{baselineRunId}/compare/{candidateRunId}/transcripts',
  summary:
    'The worst conversations of a comparison, baseline and candidate side by side: candidate failed where the baseline passed first (most metrics lost first), then the lowest candidate scores',
  tags: ['runs'],
  permission: 'runs:read',
  params: z.object({ baselineRunId: RunId, candidateRunId: RunId }),
  query: z.object({ limit: limitQuery(3, 20) }),
  response: z.object({ baselineRunId: z.string(), candidateRunId: z.string(), items: z.array(TranscriptPairSchema) }),
  async handle(ctx, { params, query }) {
    const [baseline, candidate] = await pairInScope(ctx, params.baselineRunId, params.candidateRunId);
    const [bRows, cRows, cErrors] = await Promise.all([ctx.store.runs.scoreRows(baseline.id), ctx.store.runs.scoreRows(candidate.id), ctx.store.runs.errorRows(candidate.id)]);
    const metrics = candidate.metrics.map((m) => m.name);
    // A pair where the candidate lost nothing and scored full marks is not a bad conversation: left out.
    const ranked = worstPairs(bRows, cRows, cErrors, metrics)
      .filter((p) => p.lost.length > 0 || (p.candidateMean !== null && p.candidateMean < 1))
      .slice(0, SCAN_LIMIT);
    const items: TranscriptPair[] = [];
    for (let i = 0; i < ranked.length && items.length < query.limit; i += CHUNK) {
      const chunk = ranked.slice(i, i + CHUNK);
      const ids = [...new Set(chunk.map((p) => p.exampleId))];
      const [bResults, cResults] = await Promise.all([resultsOf(ctx, baseline, ids), resultsOf(ctx, candidate, ids)]);
      for (const p of chunk) {
        const b = bResults.get(`${p.trial}\u0000${p.exampleId}`);
        const c = cResults.get(`${p.trial}\u0000${p.exampleId}`);
        const bSide = side(b);
        const cSide = side(c);
        if (bSide.transcript === null && cSide.transcript === null) continue;
        items.push({ exampleId: p.exampleId, trial: p.trial, lost: [...p.lost], baselineMean: p.baselineMean, candidateMean: p.candidateMean, baseline: bSide, candidate: cSide });
        if (items.length >= query.limit) break;
      }
    }
    return { baselineRunId: baseline.id, candidateRunId: candidate.id, items };
  },
});

function side(result: ResultRecord | undefined): z.infer<typeof TranscriptSideSchema> {
  if (result === undefined) return { transcript: null, error: 'no result', scores: {} };
  return { transcript: asTranscript(result.output), error: result.error ?? null, scores: result.scores };
}

async function resultsOf(ctx: ApiContext, run: RunRecord, exampleIds: readonly string[]): Promise<Map<string, ResultRecord>> {
  const rows = await ctx.store.runs.results(run.id, { exampleIds, limit: exampleIds.length * Math.max(1, run.repeat) });
  return new Map(rows.map((r) => [`${r.trial}\u0000${r.exampleId}`, r]));
}

/** Both runs, each the key's (404 otherwise, as for a missing run) and of one project. */
async function pairInScope(ctx: ApiContext, baselineRunId: string, candidateRunId: string): Promise<[RunRecord, RunRecord]> {
  const baseline = await ctx.store.runs.getInProject(keyScope(ctx), baselineRunId);
  const candidate = await ctx.store.runs.getInProject(keyScope(ctx), candidateRunId);
  if (baseline.projectId !== candidate.projectId) throw new EvalOpsError('usage', `runs ${baselineRunId} and ${candidateRunId} belong to different projects; they cannot be compared`);
  return [baseline, candidate];
}
