import { z } from 'zod';

/**
 * A review rubric: the metric's labels, each with what it means, the labels that pass, and whether
 * the labels are ordered (worst → best). Reviewers may only give one of these labels.
 * @example RubricSchema.parse({ labels: [{ label: 'wrong' }, { label: 'right' }], pass: ['right'], ordinal: true })
 */
export const RubricSchema = z
  .object({
    labels: z
      .array(z.object({ label: z.string().trim().min(1).max(64), definition: z.string().max(2000).optional() }))
      .min(2, 'a rubric needs at least two labels'),
    pass: z.array(z.string()).min(1, 'a rubric needs at least one pass label'),
    ordinal: z.boolean().default(false),
  })
  .superRefine((rubric, ctx) => {
    const names = rubric.labels.map((l) => l.label);
    names.forEach((n, i) => {
      if (names.indexOf(n) !== i) ctx.addIssue({ code: 'custom', path: ['labels', i, 'label'], message: `label "${n}" is listed twice` });
    });
    rubric.pass.forEach((p, i) => {
      if (!names.includes(p)) ctx.addIssue({ code: 'custom', path: ['pass', i], message: `pass label "${p}" is not one of the labels: ${names.join(', ')}` });
    });
  });
export type Rubric = z.infer<typeof RubricSchema>;
export type RubricInput = z.input<typeof RubricSchema>;

/** The label names of a rubric, in order. */
export function rubricLabels(rubric: Rubric): string[] {
  return rubric.labels.map((l) => l.label);
}

/**
 * A rubric from a metric's scorer labels: ordinal when the pass labels are the top block of the list
 * (as the judge scorer reads them).
 * @example rubricFromLabels(['poor', 'adequate', 'excellent'], ['adequate', 'excellent']).ordinal // true
 */
export function rubricFromLabels(labels: readonly string[], pass: readonly string[], definitions: Readonly<Record<string, string>> = {}): Rubric {
  const top = new Set(labels.slice(labels.length - new Set(pass).size));
  const ordinal = labels.length > 2 && pass.every((p) => top.has(p));
  return RubricSchema.parse({
    labels: labels.map((label) => (definitions[label] === undefined ? { label } : { label, definition: definitions[label] })),
    pass: [...pass],
    ordinal,
  });
}
