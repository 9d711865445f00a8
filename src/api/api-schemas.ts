import { z } from 'zod';

/** Schemas shared by many operations. */

/** `{project}` in a path: a project name. */
export const ProjectParams = z.object({ project: z.string().min(1).max(200) });

/** A page size, as every list takes it. */
export function limitQuery(defaultValue: number, max: number) {
  return z.coerce.number().int().min(1).max(max).default(defaultValue);
}

/** A boolean in a query string: `true` / `false` (also 1 / 0). */
export const QueryBoolean = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** The body of every error answer: `{ error: { code, message } }`. */
export const ErrorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) });
