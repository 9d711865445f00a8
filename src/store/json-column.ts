import type { z } from 'zod';
import { EvalOpsError } from '../core/errors.js';

/** JSON columns are text; everything read back goes through a schema (STYLE.md habit 6). */
export function toJson(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}

export function fromJson<T>(text: string | null, schema: z.ZodType<T>, what: string): T {
  let raw: unknown = null;
  try {
    raw = text === null ? null : JSON.parse(text);
  } catch (cause) {
    throw new EvalOpsError('internal', `stored ${what} is not valid JSON`, { cause });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new EvalOpsError('internal', `stored ${what} does not match its schema: ${parsed.error.message}`);
  return parsed.data;
}

/** For free-form JSON (inputs, outputs): parse, no shape to check. */
export function fromJsonValue(text: string | null): unknown {
  return text === null ? undefined : JSON.parse(text);
}
