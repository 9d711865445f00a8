import { z } from 'zod';
import { ToolCallSchema } from '../target-output.js';

/** Where a review item comes from: a run's result, a production trace, or a generated (synthetic) input awaiting acceptance. */
export const ReviewSourceSchema = z.enum(['result', 'trace', 'synthetic']);
export type ReviewSource = z.infer<typeof ReviewSourceSchema>;

/**
 * Why an item entered a queue: `low` (the judge failed it), `borderline` (the judge's label sits at the
 * pass boundary), `disagreement` (judge and code checks disagree), `errored` (the judge errored or was
 * unsure), `feedback` (negative user feedback), `sample` (random, for unbiased estimates), `manual`.
 */
export const ReviewReasonSchema = z.enum(['low', 'borderline', 'disagreement', 'errored', 'feedback', 'sample', 'manual', 'flagged']);
export type ReviewReason = z.infer<typeof ReviewReasonSchema>;

/** The judge's verdict on the item, when there is one. */
export const JudgeVerdictSchema = z.object({
  status: z.string(),
  label: z.string().nullable(),
  pass: z.boolean().nullable(),
  reason: z.string().nullable(),
  version: z.string(),
});
export type JudgeVerdict = z.infer<typeof JudgeVerdictSchema>;

/** What a reviewer sees of an item (frozen when it enters the queue). */
export const ReviewPayloadSchema = z.object({
  input: z.unknown(),
  expected: z.unknown().optional(),
  output: z.unknown(),
  toolCalls: z.array(ToolCallSchema).default([]),
  slices: z.array(z.string()).default([]),
  judge: JudgeVerdictSchema.nullable().default(null),
  /** Other metrics' pass/fail on the same result (code checks). */
  checks: z.record(z.string(), z.boolean()).default({}),
  latencyMs: z.number().nullable().default(null),
  costUsd: z.number().nullable().default(null),
});
export type ReviewPayload = z.infer<typeof ReviewPayloadSchema>;
export type ReviewPayloadInput = z.input<typeof ReviewPayloadSchema>;

/**
 * The key that makes an item unique in a queue.
 * @example reviewItemKey({ source: 'result', runId: 'run_1', exampleId: 'e1', trial: 0 }) // 'result:run_1:e1:0'
 */
export function reviewItemKey(ref: { source: 'result'; runId: string; exampleId: string; trial: number } | { source: 'trace'; traceId: string }): string {
  return ref.source === 'result' ? `result:${ref.runId}:${ref.exampleId}:${ref.trial}` : `trace:${ref.traceId}`;
}
