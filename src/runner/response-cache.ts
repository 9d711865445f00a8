import { z } from 'zod';
import { TargetOutputSchema } from '../core/target-output.js';
import { SimulatedUserVerdictSchema } from '../core/transcript.js';
import type { CacheRepository } from '../store/cache-repository.js';

/** A cached target response, and which run recorded it when (absent in entries of older versions). */
export const CachedResponseSchema = z.object({ output: TargetOutputSchema, latencyMs: z.number(), runId: z.string().optional(), at: z.string().optional() });
export type CachedResponse = z.infer<typeof CachedResponseSchema>;

/** A cached simulated-user answer (scenario conversations). */
export const CachedVerdictSchema = z.object({ verdict: SimulatedUserVerdictSchema, runId: z.string().optional(), at: z.string().optional() });
export type CachedVerdict = z.infer<typeof CachedVerdictSchema>;

/**
 * A cache entry read through its schema, with the time it was stored; undefined when absent or
 * unreadable (then the call is made again).
 * @example await readCacheEntry(store.cache, key, CachedResponseSchema)
 */
export async function readCacheEntry<T>(cache: CacheRepository, key: string, schema: z.ZodType<T>): Promise<(T & { recordedAt: string | null }) | undefined> {
  const entry = await cache.getEntry(key);
  if (entry === undefined) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(entry.value));
    return parsed.success ? { ...parsed.data, recordedAt: entry.createdAt } : undefined;
  } catch {
    return undefined;
  }
}
