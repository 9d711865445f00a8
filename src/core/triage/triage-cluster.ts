import { z } from 'zod';

/**
 * A failing item as triage sees it, and a failure cluster (a failure mode) as triage reports it.
 * Items come from a run's failures, a comparison's regressions, an alert's evidence window or a trace
 * filter (src/triage/); the clustering itself (cluster-failures.ts) reads only their text.
 */

export const TriageItemSchema = z.object({
  /** Unique within one triage: `exampleId#trial` for run results, the trace id for traces. */
  key: z.string(),
  exampleId: z.string().optional(),
  traceId: z.string().optional(),
  runId: z.string().optional(),
  input: z.string(),
  output: z.string(),
  /** Why it failed: the scorers' reasons and the target's error, one line each. */
  reason: z.string(),
  slices: z.array(z.string()),
  release: z.string().optional(),
  failingMetrics: z.array(z.string()),
  /** When it happened (production traces): the cluster's first-seen time is the earliest. */
  timeMs: z.number().optional(),
});
export type TriageItem = z.infer<typeof TriageItemSchema>;

const Concentration = z.object({
  count: z.number().int().describe('items of the cluster with it'),
  share: z.number().describe('share of the cluster with it'),
  overallShare: z.number().describe('share of the whole population with it'),
  enrichment: z.number().describe('share ÷ overallShare: above 1, the cluster concentrates there'),
});

export const ClusterRepresentativeSchema = z.object({
  key: z.string(),
  exampleId: z.string().optional(),
  traceId: z.string().optional(),
  input: z.string(),
  output: z.string(),
  reason: z.string(),
  similarity: z.number().describe('cosine similarity to the cluster centroid'),
});

export const FailureClusterSchema = z.object({
  id: z.string().describe('c1, c2, … by size; `noise` for items that share nothing with any cluster'),
  name: z.string().describe("a model's short label when a model is configured, else the top distinguishing terms"),
  terms: z.array(z.string()).describe('the terms that set the cluster apart (TF-IDF weight in the cluster minus overall)'),
  slice: z.string().describe('the slice promoted items get: cluster:<name as a slug>'),
  size: z.number().int(),
  share: z.number().describe('size ÷ items triaged'),
  slices: z.array(Concentration.extend({ slice: z.string() })).describe('slices the cluster concentrates in, most enriched first'),
  releases: z.array(Concentration.extend({ release: z.string() })),
  failingMetrics: z.array(z.object({ metric: z.string(), count: z.number().int(), share: z.number() })),
  owners: z.array(z.string()).describe('owners of the failing metrics'),
  representatives: z.array(ClusterRepresentativeSchema).describe('up to 5 items closest to the centroid'),
  itemKeys: z.array(z.string()).describe('every item of the cluster'),
  firstSeen: z.string().nullable().describe('the earliest item (production traces); null for run results'),
});
export type FailureCluster = z.infer<typeof FailureClusterSchema>;
