import { afterEach, describe, expect, it } from 'vitest';
import { fakeEmbedding, startFakeOpenAI, type FakeOpenAIOptions, type FakeOpenAIServer } from '../../test/support/fake-openai-server.js';
import { importModule } from '../config/import-module.js';
import type { ScorerConfigOf } from '../core/scorer-config.js';
import { createModelPort } from '../models/ai-sdk-model-port.js';
import type { ScoreInput, ScorerDeps } from './scorer.js';
import { cosine, similarityScorer } from './similarity.js';

let server: FakeOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const lexicalDeps: ScorerDeps = { baseDir: '.', importModule };

async function embeddingDeps(options: FakeOpenAIOptions = {}): Promise<ScorerDeps> {
  server = await startFakeOpenAI(options);
  return { baseDir: '.', importModule, models: createModelPort({ providers: { fake: { kind: 'openai-compatible', baseURL: server.url } }, env: {} }) };
}

const config = (over: Partial<ScorerConfigOf<'similarity'>> = {}): ScorerConfigOf<'similarity'> => ({
  type: 'similarity',
  value: 'refunds are possible within thirty days',
  threshold: 0.8,
  ...over,
});

const input = (text: string, expected?: unknown): ScoreInput => ({
  example: { id: 'e', input: 'q', expected, metadata: {} },
  output: text,
  text,
  toolCalls: [],
  latencyMs: 1,
});

describe('similarityScorer', () => {
  describe('lexical (no model)', () => {
    it('passes identical wording regardless of case, with value 1', async () => {
      const score = await similarityScorer(config(), lexicalDeps).score(input('Refunds are possible within THIRTY days.'));
      expect(score).toMatchObject({ status: 'scored', pass: true, value: 1 });
      expect(score.reason).toContain('lexical similarity 1.000');
    });

    it('fails unrelated text with value 0', async () => {
      const score = await similarityScorer(config(), lexicalDeps).score(input('Shipping takes a week.'));
      expect(score).toMatchObject({ status: 'scored', pass: false, value: 0 });
    });

    it('gives partial overlap a value between 0 and 1 and compares it with the threshold', async () => {
      const text = input('refunds are possible');
      const low = await similarityScorer(config({ threshold: 0.9 }), lexicalDeps).score(text);
      const high = await similarityScorer(config({ threshold: 0.5 }), lexicalDeps).score(text);

      expect(low.value).toBeGreaterThan(0.5);
      expect(low.value).toBeLessThan(0.9);
      expect(low.pass).toBe(false);
      expect(high.pass).toBe(true);
    });

    it('renders a templated value per example and skips when it renders empty', async () => {
      const scorer = similarityScorer(config({ value: '{{expected.answer}}' }), lexicalDeps);
      expect(await scorer.score(input('within thirty days', { answer: 'within thirty days' }))).toMatchObject({ pass: true, value: 1 });
      expect((await scorer.score(input('anything', {}))).status).toBe('skipped');
    });
  });

  describe('embeddings (model given)', () => {
    it('scores the cosine of the provider embeddings', async () => {
      const deps = await embeddingDeps();
      const scorer = similarityScorer(config({ model: 'fake:embed-1' }), deps);
      const same = await scorer.score(input('refunds are possible within thirty days'));
      const other = await scorer.score(input('shipping takes a week'));

      expect(same).toMatchObject({ status: 'scored', pass: true });
      expect(same.value).toBeCloseTo(1, 10);
      expect(same.reason).toContain('embedding similarity');
      expect(other).toMatchObject({ status: 'scored', pass: false });
      expect(other.value).toBeCloseTo(cosine(fakeEmbedding('shipping takes a week'), fakeEmbedding(config().value)), 10);
      expect(server!.calls.every((c) => c.endpoint === 'embeddings' && c.body?.model === 'embed-1')).toBe(true);
    });

    it('embeds a constant value once across results', async () => {
      const deps = await embeddingDeps();
      const scorer = similarityScorer(config({ model: 'fake:embed-1' }), deps);
      await scorer.score(input('one'));
      await scorer.score(input('two'));
      await scorer.score(input('three'));

      const embedded = server!.calls.flatMap((c) => c.body?.input as string[]);
      expect(embedded.filter((t) => t === config().value)).toHaveLength(1);
      expect(embedded).toEqual(expect.arrayContaining(['one', 'two', 'three']));
    });

    it('embeds a templated value with each output', async () => {
      const deps = await embeddingDeps();
      const scorer = similarityScorer(config({ model: 'fake:embed-1', value: '{{expected}}' }), deps);
      const score = await scorer.score(input('thirty day refunds', 'thirty day refunds'));

      expect(score.pass).toBe(true);
      expect(server!.calls.map((c) => c.body?.input)).toEqual([['thirty day refunds', 'thirty day refunds']]);
    });

    it('uses a vector scripted by the server (no clamp above 1, negatives count as 0)', async () => {
      const deps = await embeddingDeps({
        respond: (req) => {
          const values = req.body?.input as string[];
          return { embeddings: values.map((v) => (v === 'opposite' ? [-1, 0] : [1, 0])) };
        },
      });
      const score = await similarityScorer(config({ model: 'fake:embed-1', threshold: 0 }), deps).score(input('opposite'));
      expect(score).toMatchObject({ status: 'scored', value: 0, pass: true });
    });

    it('errors when the embeddings call keeps failing, and retries the constant value later', async () => {
      let fail = true;
      const deps = await embeddingDeps({ respond: () => (fail ? { status: 400, message: 'no such model' } : undefined) });
      const scorer = similarityScorer(config({ model: 'fake:embed-1' }), deps);
      const failed = await scorer.score(input('refunds are possible within thirty days'));
      fail = false;
      const recovered = await scorer.score(input('refunds are possible within thirty days'));

      expect(failed.status).toBe('errored');
      expect(failed.reason).toContain('no such model');
      expect(recovered).toMatchObject({ status: 'scored', pass: true });
    });

    it('errors when the vectors have different lengths', async () => {
      const deps = await embeddingDeps({ respond: (req) => ({ embeddings: (req.body?.input as string[]).map((_, i) => new Array(i + 2).fill(1)) }) });
      const score = await similarityScorer(config({ model: 'fake:embed-1', value: '{{expected}}' }), deps).score(input('a', 'b'));
      expect(score.status).toBe('errored');
    });

    it('skips with a clear reason when the model provider is not configured', async () => {
      const scorer = similarityScorer(config({ model: 'openai:text-embedding-3-small' }), { ...lexicalDeps, models: createModelPort({ providers: {}, env: {} }) });
      expect(await scorer.score(input('x'))).toMatchObject({
        status: 'skipped',
        reason: 'no embedding model configured for similarity (openai:text-embedding-3-small)',
      });
    });

    it('skips when there is no model port at all', async () => {
      const score = await similarityScorer(config({ model: 'fake:embed-1' }), lexicalDeps).score(input('x'));
      expect(score.status).toBe('skipped');
    });
  });

  it('has a version that tells lexical from embedding and changes with value and threshold', () => {
    const v = (c: ScorerConfigOf<'similarity'>) => similarityScorer(c, lexicalDeps).version;
    const base = v(config());
    expect(v(config())).toBe(base);
    expect(v(config({ model: 'fake:embed-1' }))).not.toBe(base);
    expect(v(config({ value: 'other' }))).not.toBe(base);
    expect(v(config({ threshold: 0.5 }))).not.toBe(base);
  });
});

describe('cosine', () => {
  it('is 1 for parallel vectors, 0 for orthogonal, opposite or zero vectors', () => {
    expect(cosine([1, 2], [2, 4])).toBeCloseTo(1, 12);
    expect(cosine([1, 0], [0, 1])).toBe(0);
    expect(cosine([1, 0], [-1, 0])).toBe(0);
    expect(cosine([0, 0], [1, 1])).toBe(0);
  });
});
