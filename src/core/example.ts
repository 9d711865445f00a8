import { z } from 'zod';
import { ConversationSpecSchema } from './conversation.js';

/** Where an example came from (DESIGN.md §3). */
export const ExampleSourceSchema = z.enum(['trace', 'escalation', 'adversarial', 'synthetic', 'manual']);
export type ExampleSource = z.infer<typeof ExampleSourceSchema>;

/** A slice is `key:value`, e.g. `intent:refund`, `lang:es`. */
export const SliceSchema = z
  .string()
  .regex(/^[^:\s]+:[^\s]+$/, 'a slice is "key:value" with no spaces, e.g. "intent:refund"');

/** One example of a dataset version, after import and normalisation. */
export const ExampleSchema = z.object({
  id: z.string().min(1),
  input: z.unknown().refine((v) => v !== undefined, 'input is required'),
  expected: z.unknown().optional(),
  metadata: z.record(z.string(), z.unknown()).default({}),
  slices: z.array(SliceSchema).default([]),
  source: ExampleSourceSchema.default('manual'),
  /**
   * Set for a conversation example (issue 18): scripted turns or a simulated-user scenario. `input`
   * then holds the first user message (turns) or the goal (scenario), for lists and display.
   */
  conversation: ConversationSpecSchema.optional(),
});
export type Example = z.infer<typeof ExampleSchema>;
