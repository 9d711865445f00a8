import { z } from 'zod';
import { slicePassRates } from '../core/slice-pass-rates.js';
import { quantileSorted } from '../core/stats.js';
import { histogram } from '../core/stats/histogram.js';
import { defineOperation } from './operation.js';
import { runInScope } from './run-operations.js';

/** What a run's charts draw: pass rate by slice, and the distribution of its latencies. */

const RunParams = z.object({ runId: z.string().min(1).max(200) });

export const getRunSlicePassRates = defineOperation({
  id: 'getRunSlicePassRates',
  method: 'get',
  path: '/runs/{runId}/slices',
  summary: "A run's pass rate of every pass/fail metric in every slice of its dataset, with 95% Wilson intervals",
  tags: ['runs'],
  permission: 'runs:read',
  params: RunParams,
  response: z.object({
    runId: z.string(),
    /** The run's metrics, in the run's order. */
    metrics: z.array(z.string()),
    slices: z.array(
      z.object({
        slice: z.string(),
        examples: z.number().int(),
        metrics: z.record(z.string(), z.object({ n: z.number().int(), passed: z.number().int(), passRate: z.number().nullable(), ci95: z.tuple([z.number(), z.number()]).nullable() })),
      }),
    ),
  }),
  async handle(ctx, { params }) {
    const { run } = await runInScope(ctx, params.runId);
    const [rows, slices] = await Promise.all([ctx.store.runs.scoreRows(run.id), ctx.store.datasets.exampleSlices(run.datasetVersionId)]);
    return { runId: run.id, metrics: run.metrics.map((m) => m.name), slices: slicePassRates(rows, slices) };
  },
});

export const getRunLatencyHistogram = defineOperation({
  id: 'getRunLatencyHistogram',
  method: 'get',
  path: '/runs/{runId}/latency',
  summary: "The distribution of a run's latencies (results without an error) in equal-width bins, with p50 and p95",
  tags: ['runs'],
  permission: 'runs:read',
  params: RunParams,
  query: z.object({ bins: z.coerce.number().int().min(1).max(200).default(20).describe('number of equal-width bins') }),
  response: z.object({
    runId: z.string(),
    count: z.number().int(),
    min: z.number().nullable(),
    max: z.number().nullable(),
    p50: z.number().nullable(),
    p95: z.number().nullable(),
    bins: z.array(z.object({ from: z.number(), to: z.number(), count: z.number().int() })),
  }),
  async handle(ctx, { params, query }) {
    const { run } = await runInScope(ctx, params.runId);
    const sorted = await ctx.store.runs.latencies(run.id);
    return {
      runId: run.id,
      count: sorted.length,
      min: sorted.length ? (sorted[0] as number) : null,
      max: sorted.length ? (sorted[sorted.length - 1] as number) : null,
      p50: quantileSorted(sorted, 0.5),
      p95: quantileSorted(sorted, 0.95),
      bins: histogram(sorted, query.bins),
    };
  },
});
