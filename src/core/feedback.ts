import { z } from 'zod';

/**
 * Feedback from users on a trace (DESIGN.md §3): thumbs up/down, free text, or a custom signal such as
 * frustration or drop-off with a numeric value.
 */
export const NewFeedbackSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('thumbs'), value: z.union([z.literal('up'), z.literal('down')]), comment: z.string().max(10_000).optional(), userId: z.string().max(320).optional() }),
  z.strictObject({ kind: z.literal('text'), comment: z.string().min(1).max(10_000), userId: z.string().max(320).optional() }),
  z.strictObject({ kind: z.literal('signal'), name: z.string().regex(/^[a-z][a-z0-9_.-]*$/).max(100), value: z.number().finite().default(1), comment: z.string().max(10_000).optional(), userId: z.string().max(320).optional() }),
]);
export type NewFeedback = z.infer<typeof NewFeedbackSchema>;

export interface FeedbackRecord {
  readonly id: string;
  readonly traceId: string;
  readonly kind: 'thumbs' | 'text' | 'signal';
  /** thumbs: 1 up, 0 down; signal: its value; text: null. */
  readonly value: number | null;
  readonly name: string | null;
  readonly comment: string | null;
  readonly userId: string | null;
  readonly createdAt: string;
}
