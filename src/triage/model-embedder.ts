import { EvalOpsError } from '../core/errors.js';
import { sha256 } from '../core/hash.js';
import type { ModelPort } from '../models/model-port.js';
import { withRetry } from '../models/with-retry.js';
import type { CacheRepository } from '../store/cache-repository.js';

/**
 * Embeddings of triaged texts from an embedding model (`provider:model`, the AI SDK's `embedMany`
 * through the model port), for clustering on embeddings. Each distinct text is embedded once; with a
 * cache (the response cache, keyed by model and text) a text embedded by an earlier triage — the
 * report, then its promotion — is read back instead of paid for again. Vectors are kept as 32-bit
 * floats, fresh or cached alike, so a cached triage clusters exactly as the fresh one did. Tokens and
 * cost are counted from what the provider reports (cost when `providers.<name>.pricing` prices it).
 */

/** What embedding cost a triage: calls made, texts read from the cache, tokens and dollars reported. */
export interface EmbeddingUsage {
  readonly model: string;
  /** Distinct texts the model embedded now. */
  readonly embedded: number;
  /** Distinct texts read from the cache. */
  readonly cached: number;
  readonly calls: number;
  /** Input tokens the provider reported; null when it reported none. */
  readonly tokens: number | null;
  /** Dollars, when the model has a price under providers; null otherwise. */
  readonly costUsd: number | null;
}

export interface TriageEmbedder {
  readonly model: string;
  embed(texts: readonly string[], signal?: AbortSignal): Promise<{ readonly vectors: number[][]; readonly usage: EmbeddingUsage }>;
}

/** Texts per embeddings call; providers take more, but a smaller batch loses less to one failed call. */
export const EMBED_BATCH = 128;
const ATTEMPTS = 3;
const RETRY_BASE_MS = 500;

export function modelEmbedder(models: ModelPort, model: string, cache?: CacheRepository): TriageEmbedder {
  const variant = `embedding:${model}`;
  const keyOf = (text: string): string => sha256(`${variant}\u0000${text}`);
  return {
    model,
    async embed(texts, signal) {
      const distinct = [...new Set(texts)];
      const found = new Map<string, number[]>();
      if (cache) {
        const stored = await cache.getMany(distinct.map(keyOf));
        for (const text of distinct) {
          const value = stored.get(keyOf(text));
          const vector = value === undefined ? undefined : decode(value);
          if (vector) found.set(text, vector);
        }
      }
      const cached = found.size;
      const missing = distinct.filter((t) => !found.has(t));
      let calls = 0;
      let tokens: number | null = null;
      let costUsd: number | null = null;
      for (let i = 0; i < missing.length; i += EMBED_BATCH) {
        const batch = missing.slice(i, i + EMBED_BATCH);
        const vectors = await withRetry(
          () =>
            models.embed({
              model,
              values: batch,
              ...(signal ? { signal } : {}),
              onUsage: (usage, cost) => {
                if (usage.inputTokens !== undefined) tokens = (tokens ?? 0) + usage.inputTokens;
                if (cost !== undefined) costUsd = (costUsd ?? 0) + cost;
              },
            }),
          { attempts: ATTEMPTS, baseMs: RETRY_BASE_MS, ...(signal ? { signal } : {}) },
        );
        calls++;
        if (vectors.length !== batch.length) throw new EvalOpsError('provider', `embedding model ${model} returned ${vectors.length} vector(s) for ${batch.length} text(s)`);
        const fresh = batch.map((text, k) => {
          const vector = (vectors[k] as number[]).map(Math.fround);
          if (vector.length === 0 || vector.some((x) => !Number.isFinite(x))) throw new EvalOpsError('provider', `embedding model ${model} returned an empty or non-numeric vector`);
          found.set(text, vector);
          return { key: keyOf(text), targetVariant: variant, value: encode(vector) };
        });
        await cache?.putMany(fresh);
      }
      const vectors = texts.map((t) => found.get(t) as number[]);
      const dims = vectors[0]?.length ?? 0;
      const odd = vectors.findIndex((v) => v.length !== dims);
      if (odd >= 0) throw new EvalOpsError('provider', `embedding model ${model} returned vectors of ${dims} and ${vectors[odd]?.length} dimensions (the cache holds vectors of an earlier version of the model, or the provider changed them)`);
      return { vectors, usage: { model, embedded: missing.length, cached, calls, tokens, costUsd } };
    },
  };
}

function encode(vector: readonly number[]): string {
  return JSON.stringify({ f32: Buffer.from(Float32Array.from(vector).buffer).toString('base64') });
}

function decode(value: string): number[] | undefined {
  try {
    const parsed = JSON.parse(value) as { f32?: unknown };
    if (typeof parsed.f32 !== 'string') return undefined;
    const bytes = Buffer.from(parsed.f32, 'base64');
    if (bytes.length === 0 || bytes.length % 4 !== 0) return undefined;
    const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    const vector = Array.from(floats);
    return vector.every(Number.isFinite) ? vector : undefined;
  } catch {
    return undefined;
  }
}
