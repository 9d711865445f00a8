import { z } from 'zod';
import { EvalOpsError } from '../core/errors.js';

/** CLI flags go through zod like every other boundary. */
export function parseIntFlag(value: unknown, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const parsed = z.coerce.number().int().min(min).max(max).safeParse(value);
  if (!parsed.success) throw new EvalOpsError('usage', `${flag} must be a whole number from ${min} to ${max} (got "${String(value)}")`);
  return parsed.data;
}

/** `--label k=v` pairs into a record. */
export function parseLabels(pairs: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const m = /^([A-Za-z0-9_.-]+)=(.*)$/.exec(pair);
    if (!m) throw new EvalOpsError('usage', `--label must be key=value (got "${pair}")`);
    out[m[1] as string] = m[2] as string;
  }
  return out;
}
