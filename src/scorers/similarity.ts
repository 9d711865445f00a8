import { errorMessage } from '../core/errors.js';
import { errored, scored, skipped, type Score } from '../core/score.js';
import { lexicalCosine } from '../core/text-similarity.js';
import type { ModelPort } from '../models/model-port.js';
import { withRetry } from '../models/with-retry.js';
import { emptyTemplate, quote, scorerVersion, textParam, type TextParam } from './deterministic.js';
import type { ScorerConfigOf } from '../core/scorer-config.js';
import type { Scorer, ScorerDeps, ScorerFactory } from './scorer.js';

/**
 * `similarity`: cosine similarity between the output text and `value` is at least `threshold`; the
 * score's value is the similarity. With `model` (an embedding model, `provider:model`) the cosine is
 * over the provider's embeddings, negative cosines counted as 0; the embedding of a constant `value` is
 * computed once. Without `model`, a local lexical measure: the cosine of word-frequency vectors
 * (`lexicalCosine`). A model whose provider is not configured skips every score; a failed embeddings
 * call (after up to 3 attempts for retryable errors) is an errored score. `not` is applied by
 * create-scorer.
 * @example { type: similarity, value: "{{expected.answer}}", threshold: 0.8, model: openai:text-embedding-3-small }
 */
export const similarityScorer = ((config: ScorerConfigOf<'similarity'>, deps: ScorerDeps): Scorer => {
  const method = config.model === undefined ? 'lexical-cosine' : 'embedding-cosine';
  const version = scorerVersion(config, { method });
  const value = textParam(config.value);
  const measure =
    config.model === undefined ? lexical : embeddingMeasure(config.model, value, deps.models);

  return {
    type: 'similarity',
    version,
    async score(input): Promise<Score> {
      const target = value.render(input);
      if (value.templated && target === '') return emptyTemplate(version, value.source);
      const result = await measure(input.text, target, input.signal);
      if (result.kind !== 'measured') return result.kind === 'skipped' ? skipped(version, result.reason) : errored(version, result.reason);
      const similarity = result.similarity;
      const pass = similarity >= config.threshold;
      return scored(version, pass, {
        value: similarity,
        reason: `${method === 'lexical-cosine' ? 'lexical' : 'embedding'} similarity ${similarity.toFixed(3)} ${pass ? '≥' : '<'} threshold ${config.threshold} to ${quote(target)}`,
      });
    },
  };
}) satisfies ScorerFactory<'similarity'>;

type Measured = { kind: 'measured'; similarity: number } | { kind: 'skipped' | 'errored'; reason: string };
type Measure = (text: string, target: string, signal: AbortSignal | undefined) => Promise<Measured>;

const lexical: Measure = async (text, target) => ({ kind: 'measured', similarity: lexicalCosine(text, target) });

const EMBED_ATTEMPTS = 3;
const EMBED_RETRY_BASE_MS = 500;

function embeddingMeasure(model: string, value: TextParam, models: ModelPort | undefined): Measure {
  if (models === undefined || !models.isConfigured(model)) {
    const reason = `no embedding model configured for similarity (${model})`;
    return async () => ({ kind: 'skipped', reason });
  }
  const embed = (values: string[], signal: AbortSignal | undefined): Promise<number[][]> =>
    withRetry(() => models.embed({ model, values, ...(signal ? { signal } : {}) }), {
      attempts: EMBED_ATTEMPTS,
      baseMs: EMBED_RETRY_BASE_MS,
      ...(signal ? { signal } : {}),
    });
  // The constant value is embedded once and shared; a failed attempt is forgotten so the next result retries.
  let cached: Promise<number[]> | undefined;
  const constantEmbedding = (signal: AbortSignal | undefined): Promise<number[]> => {
    cached ??= embed([value.source], signal).then(
      (vectors) => first(vectors),
      (e: unknown) => {
        cached = undefined;
        throw e;
      },
    );
    return cached;
  };

  return async (text, target, signal) => {
    try {
      let a: number[];
      let b: number[];
      if (value.templated) {
        const vectors = await embed([text, target], signal);
        a = first(vectors);
        b = vectors[1] ?? [];
      } else {
        [a, b] = await Promise.all([embed([text], signal).then(first), constantEmbedding(signal)]);
      }
      if (a.length === 0 || a.length !== b.length) {
        return { kind: 'errored', reason: `embedding model ${model} returned vectors of different or zero length (${a.length}, ${b.length})` };
      }
      return { kind: 'measured', similarity: cosine(a, b) };
    } catch (e) {
      return { kind: 'errored', reason: `embedding call failed: ${errorMessage(e)}` };
    }
  };
}

function first(vectors: number[][]): number[] {
  return vectors[0] ?? [];
}

/** Cosine of two vectors of equal length, clamped to 0..1; 0 when either is all zeros. */
export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  if (na === 0 || nb === 0) return 0;
  return Math.min(1, Math.max(0, dot / Math.sqrt(na * nb)));
}
