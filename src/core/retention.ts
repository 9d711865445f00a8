import { z } from 'zod';

const UNIT_MS = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

/**
 * An age such as `30d`, `12h` or `8w`, parsed to milliseconds: at least one hour (a shorter bound would
 * delete spans the online sweep and monitors are still reading), at most 100 years.
 * @example RetentionAgeSchema.parse('30d') // 2_592_000_000
 */
export const RetentionAgeSchema = z
  .string()
  .regex(/^[1-9]\d{0,5}[hdw]$/, 'an age like 30d, 12h or 8w (hours, days or weeks)')
  .transform((age) => Number(age.slice(0, -1)) * UNIT_MS[age.slice(-1) as keyof typeof UNIT_MS])
  .refine((ms) => ms <= 100 * 365 * UNIT_MS.d, 'at most 100 years');

/**
 * `retention: { spans: 30d }` (config file or `evalops serve --retention-spans 30d`): spans that
 * started longer ago than this are deleted by the server (PostgreSQL: whole day partitions dropped;
 * SQLite: batched deletes). Without it, spans are kept.
 */
export const RetentionSchema = z.strictObject({
  spans: RetentionAgeSchema.optional(),
});

export type Retention = z.infer<typeof RetentionSchema>;
