import { describe, expect, it } from 'vitest';
import { RetentionAgeSchema, RetentionSchema } from './retention.js';

describe('RetentionSchema', () => {
  it('reads hours, days and weeks as milliseconds', () => {
    expect(RetentionAgeSchema.parse('30d')).toBe(30 * 86_400_000);
    expect(RetentionAgeSchema.parse('12h')).toBe(12 * 3_600_000);
    expect(RetentionAgeSchema.parse('8w')).toBe(56 * 86_400_000);
    expect(RetentionSchema.parse({ spans: '30d' })).toEqual({ spans: 30 * 86_400_000 });
  });

  it('refuses ages that are not a count and a unit, zero, or a misspelt field', () => {
    for (const bad of ['30', '0d', '30m', '-1d', '1.5d', '30 d', '']) expect(RetentionAgeSchema.safeParse(bad).success).toBe(false);
    expect(RetentionSchema.safeParse({ span: '30d' }).success).toBe(false);
  });
});
