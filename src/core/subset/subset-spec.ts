import { z } from 'zod';

/**
 * A subset of the dataset for fast gates (the config's `subsets:` section): a stratified sample of one
 * of three sizes — a fixed `size`, a `share` of the dataset, or the size the planner says is needed to
 * `detect` a drop of the pass rate with a given power. `seed` makes it another sample; `minPerSlice`
 * is the least each slice keeps (all of it when the slice is smaller).
 * @example SubsetSpecSchema.parse({ size: 300 })
 */
export const SubsetSpecSchema = z
  .strictObject({
    size: z.number().int().positive().optional().describe('examples in the subset'),
    share: z.number().gt(0, 'share is a fraction of the dataset above 0 (e.g. 0.1)').max(1, 'share is a fraction of the dataset, at most 1').optional().describe('fraction of the dataset (0..1]'),
    detect: z
      .strictObject({
        drop: z.number().gt(0, 'detect.drop is a drop in pass rate above 0 (e.g. 0.05 for 5 points)').max(1, 'detect.drop is at most 1 (100 points)'),
        power: z.number().gt(0).lt(1, 'detect.power is a probability below 1 (e.g. 0.8)').default(0.8),
      })
      .optional()
      .describe('size from the planner: enough paired examples to catch this drop with this power'),
    seed: z.number().int().min(0).max(0xffffffff).default(0),
    minPerSlice: z.number().int().min(1).max(10_000).default(3),
  })
  .superRefine((s, ctx) => {
    const given = (['size', 'share', 'detect'] as const).filter((k) => s[k] !== undefined);
    if (given.length !== 1) ctx.addIssue({ code: 'custom', path: [given[1] ?? 'size'], message: `a subset has exactly one of size, share or detect${given.length ? ` (got ${given.join(' and ')})` : ''}` });
  });
export type SubsetSpec = z.infer<typeof SubsetSpecSchema>;

/** Subset names are slugs, as on the command line: `run --subset pr`. */
export const SubsetsConfigSchema = z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'a subset name is a slug, e.g. "pr"').max(64), SubsetSpecSchema);
export type SubsetsConfig = z.infer<typeof SubsetsConfigSchema>;

/** What a run records of the subset it ran on. */
export const RunSubsetSchema = z.object({
  name: z.string(),
  /** How its size was set: `size`, `share` or `detect` (and the drop and power). */
  spec: z.object({ size: z.number().int().optional(), share: z.number().optional(), detect: z.object({ drop: z.number(), power: z.number() }).optional() }),
  seed: z.number().int(),
  minPerSlice: z.number().int(),
  /** Examples in the subset, and in the dataset version it was drawn from. */
  size: z.number().int(),
  datasetSize: z.number().int(),
  /** The size the spec asked for; `size` is larger when critical examples and slice minimums need more. */
  requested: z.number().int(),
  critical: z.number().int(),
  slices: z.number().int().describe('slices of the dataset, every one of which the subset keeps'),
});
export type RunSubset = z.infer<typeof RunSubsetSchema>;
