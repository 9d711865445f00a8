import { z } from 'zod';
import { RepeatStatsSchema } from './repeat-stats.js';
import { RunSubsetSchema } from './subset/subset-spec.js';

/**
 * A run: one execution of a target over a dataset version with a set of metrics (DESIGN.md §3).
 * `running` runs whose heartbeat stopped are shown as `incomplete` (the process died mid-run).
 */
export const RunStatusSchema = z.enum(['running', 'completed', 'incomplete', 'failed']);
export type RunStatus = z.infer<typeof RunStatusSchema>;

/** Snapshot of a metric's definition as the run scored it. */
export const RunMetricSchema = z.object({
  name: z.string(),
  owner: z.string().optional(),
  failureClass: z.string().optional(),
  lifecycle: z.string().optional(),
  /** `primary: true` in the config when the run was made: the gate's correction tests it first. */
  primary: z.boolean().optional(),
  scorerType: z.string(),
  scorerVersion: z.string(),
});
export type RunMetric = z.infer<typeof RunMetricSchema>;

export const Interval = z.tuple([z.number(), z.number()]);

export const MetricSummarySchema = z.object({
  owner: z.string().optional(),
  failureClass: z.string().optional(),
  lifecycle: z.string().optional(),
  scorerType: z.string(),
  /** Scored results (passed + failed); errored and skipped are counted apart. */
  n: z.number().int(),
  passed: z.number().int(),
  failed: z.number().int(),
  errored: z.number().int(),
  skipped: z.number().int(),
  passRate: z.number().nullable(),
  mean: z.number().nullable(),
  /** 95% Wilson interval of the pass rate. */
  ci95: Interval.nullable(),
  /** With `--repeat k` (k > 1): pass^k, pass@k and the flaky examples. */
  repeats: RepeatStatsSchema.optional(),
});
export type MetricSummary = z.infer<typeof MetricSummarySchema>;

/** The target of a run: its kind, its variant hash and, on runs that recorded it, a readable name. */
export const RunTargetSchema = z.object({
  type: z.string(),
  variant: z.string(),
  name: z.string().optional().describe("the variant as people read it: the target's label (model, module, command, URL) and a short hash"),
});

/** Results of a run served from the response cache entries an earlier run recorded (runId null: recorded before sources were kept). */
export const CacheSourceSchema = z.object({ runId: z.string().nullable(), results: z.number().int(), at: z.string().nullable() });
export type CacheSource = z.infer<typeof CacheSourceSchema>;

export const RunSummarySchema = z.object({
  runId: z.string(),
  status: RunStatusSchema,
  project: z.string(),
  dataset: z.object({ name: z.string(), version: z.string() }),
  /** The subset the run ran on (`evalops run --subset NAME`); absent: the whole dataset. */
  subset: RunSubsetSchema.optional(),
  target: RunTargetSchema,
  repeat: z.number().int(),
  labels: z.record(z.string(), z.string()),
  results: z.object({
    total: z.number().int(),
    errors: z.number().int(),
    cached: z.number().int(),
    expected: z.number().int(),
    /** Where the cached results came from: per earlier run, how many and when its entries were recorded. */
    cachedFrom: z.array(CacheSourceSchema).optional(),
  }),
  metrics: z.record(z.string(), MetricSummarySchema),
  costUsd: z.number(),
  /** Total cost ÷ successful results (no error, every scored metric passed); null when none succeeded. */
  costPerSuccessUsd: z.number().nullable(),
  successes: z.number().int(),
  latencyMs: z.object({ p50: z.number().nullable(), p95: z.number().nullable() }),
  tokens: z.object({ input: z.number(), output: z.number() }),
  durationMs: z.number().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;
