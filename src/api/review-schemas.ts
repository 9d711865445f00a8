import { z } from 'zod';
import { JudgeVerdictSchema, ReviewReasonSchema, ReviewSourceSchema } from '../core/review/review-item.js';
import { RubricSchema } from '../core/review/rubric.js';
import { ToolCallSchema } from '../core/target-output.js';
import type { QueueProgress, ReviewItemRecord, ReviewLabelRecord, ReviewQueueRecord } from '../store/review-repository.js';

/** The API's views of review queues and items (what `evalops review … --json` prints). */

export const QueueProgressSchema = z.object({
  items: z.number().int(),
  complete: z.number().int().describe('items with as many labels as the queue asks for'),
  settled: z.number().int().describe('items with a true label (unanimous, or adjudicated)'),
  disputed: z.number().int().describe('complete items whose reviewers disagree, not yet adjudicated'),
  labels: z.number().int(),
  reviewers: z.array(z.object({ reviewer: z.string(), labelled: z.number().int(), open: z.number().int(), seconds: z.number() })),
}) satisfies z.ZodType<QueueProgress>;

/** What human review costs (src/review/review-burden.ts). */
export const ReviewBurdenSchema = z.object({
  routedShare: z.number().nullable(),
  routedResults: z.number().int(),
  resultsInRoutedRuns: z.number().int(),
  traceItems: z.number().int(),
  labels: z.number().int(),
  minutesPerLabel: z.number().nullable(),
  settled: z.number().int(),
});

export const ReviewQueueViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  metric: z.string(),
  rubric: RubricSchema,
  reviewers: z.array(z.string()),
  reviewersPerItem: z.number().int(),
  leaseMinutes: z.number().int().describe('minutes an unlabelled assignment holds its item before it returns to the queue'),
  createdBy: z.string(),
  createdAt: z.string(),
  progress: QueueProgressSchema,
});
export type ReviewQueueView = z.infer<typeof ReviewQueueViewSchema>;

export const ReviewLabelViewSchema = z.object({
  reviewer: z.string(),
  label: z.string(),
  note: z.string().nullable(),
  seconds: z.number().nullable(),
  createdAt: z.string(),
});

export const ReviewItemViewSchema = z.object({
  id: z.string(),
  queue: z.string(),
  key: z.string(),
  source: ReviewSourceSchema,
  runId: z.string().nullable(),
  exampleId: z.string().nullable(),
  traceId: z.string().nullable(),
  reason: ReviewReasonSchema,
  position: z.number().int(),
  input: z.unknown(),
  expected: z.unknown().optional(),
  output: z.unknown(),
  toolCalls: z.array(ToolCallSchema),
  slices: z.array(z.string()),
  judge: JudgeVerdictSchema.nullable(),
  checks: z.record(z.string(), z.boolean()),
  latencyMs: z.number().nullable(),
  costUsd: z.number().nullable(),
  assigned: z.number().int(),
  labelled: z.number().int(),
  truth: z.string().nullable(),
  truthBy: z.string().nullable().describe('"consensus", or who adjudicated'),
});
export type ReviewItemView = z.infer<typeof ReviewItemViewSchema>;

export function queueView(queue: ReviewQueueRecord, progress: QueueProgress): ReviewQueueView {
  return {
    id: queue.id,
    name: queue.name,
    metric: queue.metric,
    rubric: queue.rubric,
    reviewers: [...queue.reviewers],
    reviewersPerItem: queue.reviewersPerItem,
    leaseMinutes: queue.leaseMinutes,
    createdBy: queue.createdBy,
    createdAt: queue.createdAt,
    progress: { ...progress, reviewers: progress.reviewers.map((r) => ({ ...r })) },
  };
}

export function itemView(queueName: string, item: ReviewItemRecord): ReviewItemView {
  const { payload } = item;
  return {
    id: item.id,
    queue: queueName,
    key: item.key,
    source: item.source,
    runId: item.runId ?? null,
    exampleId: item.exampleId ?? null,
    traceId: item.traceId ?? null,
    reason: item.reason,
    position: item.position,
    input: payload.input,
    ...(payload.expected === undefined ? {} : { expected: payload.expected }),
    output: payload.output,
    toolCalls: [...payload.toolCalls],
    slices: [...payload.slices],
    judge: payload.judge,
    checks: { ...payload.checks },
    latencyMs: payload.latencyMs,
    costUsd: payload.costUsd,
    assigned: item.assigned,
    labelled: item.labelled,
    truth: item.truth,
    truthBy: item.truthBy,
  };
}

export function labelView(label: ReviewLabelRecord): z.infer<typeof ReviewLabelViewSchema> {
  return { reviewer: label.reviewer, label: label.label, note: label.note, seconds: label.seconds, createdAt: label.createdAt };
}
