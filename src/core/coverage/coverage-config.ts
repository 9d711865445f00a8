import { z } from 'zod';

/** Slice keys are the part before the colon of a slice, e.g. `intent` of `intent:refund`. */
const SliceKeySchema = z.string().regex(/^[^:\s]+$/, 'a slice key has no ":" or spaces, e.g. "intent"');

/**
 * The config's `coverage:` section: how production traces map to the dataset's slices. Spans carry
 * `evalops.slice.KEY` attributes, always read; `attributes` maps further slice keys to span
 * attributes the application already sets (`intent: app.intent`). A slice with fewer than
 * `minExamples` examples counts as uncovered; `days` is the default window.
 * @example CoverageConfigSchema.parse({ attributes: { intent: 'app.intent' } })
 */
export const CoverageConfigSchema = z.strictObject({
  attributes: z.record(SliceKeySchema, z.string().min(1).max(200)).default({}),
  minExamples: z.number().int().min(1).max(100_000).default(5),
  days: z.number().int().min(1).max(365).default(7),
});
export type CoverageConfig = z.infer<typeof CoverageConfigSchema>;

/** The span attribute prefix read as a slice everywhere: `evalops.slice.intent = refund` → `intent:refund`. */
export const SLICE_ATTRIBUTE_PREFIX = 'evalops.slice.';
