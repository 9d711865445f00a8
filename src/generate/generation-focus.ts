import { z } from 'zod';

/** One item of a cluster file (what triage exports): the failing input, and what went wrong. */
export const ClusterItemSchema = z.object({
  id: z.string().optional(),
  input: z.unknown().refine((v) => v !== undefined, 'input is required'),
  output: z.unknown().optional(),
  reason: z.string().optional(),
});
export type ClusterItem = z.infer<typeof ClusterItemSchema>;

/** A cluster file: `{ "name": "…", "items": [...] }`, or just the array of items. */
export const ClusterFileSchema = z.union([
  z.object({ name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/).optional(), description: z.string().max(2000).optional(), items: z.array(ClusterItemSchema).min(1).max(1000) }),
  z.array(ClusterItemSchema).min(1).max(1000).transform((items) => ({ items, name: undefined, description: undefined })),
]);

/** What new inputs are generated around: a slice of the dataset, a persona, or a failure cluster. */
export type GenerationFocus =
  | { readonly kind: 'slice'; readonly slice: string }
  | { readonly kind: 'persona'; readonly persona: string }
  | { readonly kind: 'cluster'; readonly name: string; readonly description?: string; readonly items: readonly ClusterItem[] };

/** The slice generated items get: the slice itself, `persona:<slug>` or `cluster:<name>`. */
export function focusSlice(focus: GenerationFocus): string {
  switch (focus.kind) {
    case 'slice':
      return focus.slice;
    case 'persona':
      return `persona:${slug(focus.persona)}`;
    case 'cluster':
      return `cluster:${focus.name}`;
  }
}

/** One line saying what the items were generated around, for provenance. */
export function describeFocus(focus: GenerationFocus): string {
  switch (focus.kind) {
    case 'slice':
      return `slice ${focus.slice}`;
    case 'persona':
      return `persona: ${focus.persona}`;
    case 'cluster':
      return `cluster ${focus.name} (${focus.items.length} items)`;
  }
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'persona';
}
