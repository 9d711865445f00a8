import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EvalOpsError } from '../../src/core/errors.js';
import { createModelPort } from '../../src/models/ai-sdk-model-port.js';
import type { ModelPort } from '../../src/models/model-port.js';
import { fakeEmbedding, startFakeOpenAI, type FakeOpenAIOptions, type FakeOpenAIServer } from '../support/fake-openai-server.js';

let server: FakeOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function portFor(options: FakeOpenAIOptions, pricing?: Record<string, { inputPerMTok: number; outputPerMTok: number }>): Promise<ModelPort> {
  server = await startFakeOpenAI(options);
  return createModelPort({
    providers: { fake: { kind: 'openai-compatible', baseURL: server.url, ...(pricing ? { pricing } : {}) } },
    env: {},
  });
}

async function rejection(p: Promise<unknown>): Promise<EvalOpsError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(EvalOpsError);
  return e as EvalOpsError;
}

const hello = [{ role: 'user' as const, content: 'Hello there' }];

describe('createModelPort', () => {
  describe('complete', () => {
    it('returns the text and usage, and sends system, messages, temperature and max tokens', async () => {
      const models = await portFor({ respond: () => ({ text: 'Hi!', usage: { promptTokens: 12, completionTokens: 3 } }) });
      const result = await models.complete({ model: 'fake:small', system: 'Be brief.', messages: hello, temperature: 0.2, maxTokens: 50 });

      expect(result.text).toBe('Hi!');
      expect(result.toolCalls).toEqual([]);
      expect(result.usage).toEqual({ inputTokens: 12, outputTokens: 3, totalTokens: 15 });
      expect(result.costUsd).toBeUndefined();
      const body = server!.calls[0]!.body!;
      expect(body.model).toBe('small');
      expect(body.messages).toEqual([
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello there' },
      ]);
      expect(body.temperature).toBe(0.2);
      expect(body.max_tokens).toBe(50);
      expect(body.tools).toBeUndefined();
    });

    it('declares tools and returns the model tool calls without executing them', async () => {
      const models = await portFor({
        respond: () => ({ toolCalls: [{ name: 'lookup_order', arguments: { orderId: 'A-17' } }, { name: 'refund', arguments: {} }] }),
      });
      const result = await models.complete({
        model: 'fake:small',
        messages: hello,
        tools: [
          {
            name: 'lookup_order',
            description: 'Finds an order',
            parameters: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] },
          },
          { name: 'refund', description: '', parameters: { type: 'object', properties: {} } },
        ],
      });

      expect(result.toolCalls).toEqual([
        { name: 'lookup_order', arguments: { orderId: 'A-17' } },
        { name: 'refund', arguments: {} },
      ]);
      expect(result.text).toBe('');
      expect(server!.calls).toHaveLength(1); // no second step: nothing was executed
      const tools = server!.calls[0]!.body!.tools!;
      expect(tools.map((t) => t.function.name)).toEqual(['lookup_order', 'refund']);
      expect(tools[0]!.function.description).toBe('Finds an order');
      expect(tools[0]!.function.parameters).toMatchObject({ properties: { orderId: { type: 'string' } }, required: ['orderId'] });
    });

    it('returns tool calls whose arguments do not fit the declared schema (scorers judge them)', async () => {
      const models = await portFor({ respond: () => ({ toolCalls: [{ name: 'lookup_order', arguments: { order: 17 } }, { name: 'undeclared', arguments: {} }] }) });
      const result = await models.complete({
        model: 'fake:small',
        messages: hello,
        tools: [{ name: 'lookup_order', description: '', parameters: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] } }],
      });

      expect(result.toolCalls).toEqual([
        { name: 'lookup_order', arguments: { order: 17 } },
        { name: 'undeclared', arguments: {} },
      ]);
    });

    it('runs 32 calls concurrently (every request reaches the server before any reply)', async () => {
      let release!: () => void;
      const allArrived = new Promise<void>((r) => (release = r));
      const models = await portFor({
        latencyMs: 10,
        respond: async (req) => {
          if (req.index === 31) release();
          await allArrived;
          return { text: `answer ${req.index}` };
        },
      });
      const results = await Promise.all(Array.from({ length: 32 }, (_, i) => models.complete({ model: 'fake:small', messages: [{ role: 'user', content: `q${i}` }] })));

      expect(new Set(results.map((r) => r.text)).size).toBe(32);
    });

    it('computes cost from usage and the configured price per million tokens', async () => {
      const models = await portFor(
        { respond: () => ({ text: 'x', usage: { promptTokens: 1000, completionTokens: 500 } }) },
        { small: { inputPerMTok: 2, outputPerMTok: 8 } },
      );
      const priced = await models.complete({ model: 'fake:small', messages: hello });
      const unpriced = await models.complete({ model: 'fake:other', messages: hello });

      expect(priced.costUsd).toBeCloseTo(0.006, 10);
      expect(unpriced.costUsd).toBeUndefined();
    });
  });

  describe('completeObject', () => {
    const Verdict = z.object({ label: z.enum(['good', 'bad']), reason: z.string() });

    it('returns the structured object and sends the JSON schema as response_format', async () => {
      const models = await portFor({ respond: () => ({ json: { label: 'good', reason: 'cites the policy' } }) });
      const result = await models.completeObject({ model: 'fake:judge', messages: hello, schema: Verdict, schemaName: 'verdict' });

      expect(result.object).toEqual({ label: 'good', reason: 'cites the policy' });
      const format = server!.calls[0]!.body!.response_format!;
      expect(format.type).toBe('json_schema');
      expect(format.json_schema?.name).toBe('verdict');
      expect(format.json_schema?.schema).toMatchObject({ properties: { label: { enum: ['good', 'bad'] } } });
    });

    it('fails with a non-retryable provider error when the answer does not match the schema', async () => {
      const models = await portFor({ respond: () => ({ json: { label: 'great', reason: 'x' } }) });
      const e = await rejection(models.completeObject({ model: 'fake:judge', messages: hello, schema: Verdict }));

      expect(e.code).toBe('provider');
      expect(e.retryable).toBe(false);
      expect(e.message).toContain('invalid structured output');
    });

    it('fails when the answer is prose instead of JSON', async () => {
      const models = await portFor({ respond: () => ({ text: 'I think it is good.' }) });
      const e = await rejection(models.completeObject({ model: 'fake:judge', messages: hello, schema: Verdict }));

      expect(e.code).toBe('provider');
      expect(e.message).toContain('I think it is good.');
    });
  });

  describe('embed', () => {
    it('returns one vector per value, in order', async () => {
      const models = await portFor({});
      const vectors = await models.embed({ model: 'fake:embed', values: ['refund policy', 'shipping times'] });

      expect(vectors).toEqual([fakeEmbedding('refund policy'), fakeEmbedding('shipping times')]);
      expect(server!.calls[0]!.body!.input).toEqual(['refund policy', 'shipping times']);
    });

    it('makes no call for no values', async () => {
      const models = await portFor({});
      expect(await models.embed({ model: 'fake:embed', values: [] })).toEqual([]);
      expect(server!.calls).toHaveLength(0);
    });
  });

  describe('errors', () => {
    it('maps 429 with Retry-After to a retryable provider error with retryAfterMs', async () => {
      const models = await portFor({ respond: () => ({ status: 429, retryAfter: 7, message: 'slow down' }) });
      const e = await rejection(models.complete({ model: 'fake:small', messages: hello }));

      expect(e.code).toBe('provider');
      expect(e.retryable).toBe(true);
      expect(e.details).toEqual({ status: 429, retryAfterMs: 7000 });
      expect(e.message).toContain('fake:small');
      expect(server!.calls).toHaveLength(1); // the SDK did not retry on its own
    });

    it('maps 500 to a retryable provider error', async () => {
      const models = await portFor({ respond: () => ({ status: 500 }) });
      const e = await rejection(models.complete({ model: 'fake:small', messages: hello }));

      expect(e.retryable).toBe(true);
      expect(e.details).toEqual({ status: 500 });
      expect(server!.calls).toHaveLength(1);
    });

    it('maps 400 to a non-retryable provider error', async () => {
      const models = await portFor({ respond: () => ({ status: 400, retryAfter: 3, message: 'bad request' }) });
      const e = await rejection(models.complete({ model: 'fake:small', messages: hello }));

      expect(e.code).toBe('provider');
      expect(e.retryable).toBe(false);
      expect(e.details).toEqual({ status: 400 });
      expect(e.message).toContain('bad request');
    });

    it('maps errors of embeddings calls the same way', async () => {
      const models = await portFor({ respond: () => ({ status: 503, retryAfter: '1' }) });
      const e = await rejection(models.embed({ model: 'fake:embed', values: ['a'] }));

      expect(e.retryable).toBe(true);
      expect(e.details).toEqual({ status: 503, retryAfterMs: 1000 });
    });

    it('maps an unreachable server to a retryable provider error', async () => {
      const closed = await startFakeOpenAI();
      await closed.close();
      const models = createModelPort({ providers: { fake: { kind: 'openai-compatible', baseURL: closed.url } }, env: {} });
      const e = await rejection(models.complete({ model: 'fake:small', messages: hello }));

      expect(e.code).toBe('provider');
      expect(e.retryable).toBe(true);
    });

    it('maps a timeout of the caller signal to a retryable provider error', async () => {
      const models = await portFor({ respond: () => ({ text: 'late', delayMs: 5_000 }) });
      const e = await rejection(models.complete({ model: 'fake:small', messages: hello, signal: AbortSignal.timeout(50) }));

      expect(e.code).toBe('provider');
      expect(e.retryable).toBe(true);
      expect(e.message).toContain('timed out');
    });

    it('refuses an unknown provider with a config error', async () => {
      const models = await portFor({});
      const e = await rejection(models.complete({ model: 'nope:small', messages: hello }));

      expect(e.code).toBe('config');
      expect(e.message).toContain('unknown provider "nope"');
      expect(server!.calls).toHaveLength(0);
    });

    it('refuses a model reference without a provider part', async () => {
      const models = await portFor({});
      const e = await rejection(models.embed({ model: 'gpt-4.1-mini', values: ['a'] }));
      expect(e.code).toBe('config');
    });
  });

  describe('isConfigured', () => {
    it('knows openai and anthropic only when their API key is set', () => {
      const withKeys = createModelPort({ providers: {}, env: { OPENAI_API_KEY: 'sk-test', ANTHROPIC_API_KEY: 'ak-test' } });
      const without = createModelPort({ providers: {}, env: { OPENAI_API_KEY: '' } });

      expect(withKeys.isConfigured('openai:gpt-4.1-mini')).toBe(true);
      expect(withKeys.isConfigured('anthropic:claude-sonnet-4-5')).toBe(true);
      expect(without.isConfigured('openai:gpt-4.1-mini')).toBe(false);
      expect(without.isConfigured('anthropic:claude-sonnet-4-5')).toBe(false);
    });

    it('is false for unknown providers and malformed references', () => {
      const models = createModelPort({ providers: { local: { kind: 'openai-compatible', baseURL: 'http://127.0.0.1:9/v1' } }, env: {} });

      expect(models.isConfigured('local:llama3:8b')).toBe(true);
      expect(models.isConfigured('remote:llama3')).toBe(false);
      expect(models.isConfigured('local')).toBe(false);
      expect(models.isConfigured('local:')).toBe(false);
    });

    it('requires the variable named by apiKeyEnv when an entry names one', () => {
      const providers = { gw: { kind: 'openai-compatible' as const, baseURL: 'http://127.0.0.1:9/v1', apiKeyEnv: 'GW_KEY' } };

      expect(createModelPort({ providers, env: {} }).isConfigured('gw:m')).toBe(false);
      expect(createModelPort({ providers, env: { GW_KEY: 'k' } }).isConfigured('gw:m')).toBe(true);
    });

    it('gives a config error naming the missing key when calling an unconfigured built-in', async () => {
      const models = createModelPort({ providers: {}, env: {} });
      const e = await rejection(models.complete({ model: 'openai:gpt-4.1-mini', messages: hello }));

      expect(e.code).toBe('config');
      expect(e.message).toContain('OPENAI_API_KEY');
    });
  });

  describe('provider kinds', () => {
    it('sends the openai kind to OPENAI_BASE_URL with the key as bearer token (chat completions)', async () => {
      server = await startFakeOpenAI({ respond: () => ({ text: 'from openai kind' }) });
      const models = createModelPort({ providers: {}, env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.url } });
      const result = await models.complete({ model: 'openai:gpt-4.1-mini', messages: hello });

      expect(result.text).toBe('from openai kind');
      expect(server.calls[0]!.path).toBe('/v1/chat/completions');
      expect(server.calls[0]!.headers.authorization).toBe('Bearer sk-test');
    });

    it('sends an openai-compatible key and headers when configured', async () => {
      server = await startFakeOpenAI();
      const models = createModelPort({
        providers: { gw: { kind: 'openai-compatible', baseURL: server.url, apiKeyEnv: 'GW_KEY', headers: { 'x-team': 'evals' } } },
        env: { GW_KEY: 'gw-secret' },
      });
      await models.complete({ model: 'gw:m', messages: hello });

      expect(server.calls[0]!.headers.authorization).toBe('Bearer gw-secret');
      expect(server.calls[0]!.headers['x-team']).toBe('evals');
    });

    it('refuses an openai-compatible entry without baseURL at creation', () => {
      expect(() => createModelPort({ providers: { local: { kind: 'openai-compatible' } }, env: {} })).toThrow(
        expect.objectContaining({ code: 'config', location: 'providers.local.baseURL' }),
      );
    });

    it('says anthropic has no embeddings', async () => {
      const models = createModelPort({ providers: {}, env: { ANTHROPIC_API_KEY: 'ak' } });
      const e = await rejection(models.embed({ model: 'anthropic:claude', values: ['a'] }));
      expect(e.code).toBe('config');
    });
  });
});
