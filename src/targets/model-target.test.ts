import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAIOptions, type FakeOpenAIServer } from '../../test/support/fake-openai-server.js';
import { importModule } from '../config/import-module.js';
import { EvalOpsError } from '../core/errors.js';
import { ModelTargetConfigSchema, type TargetConfigOf } from '../core/target-config.js';
import { createModelPort } from '../models/ai-sdk-model-port.js';
import { modelTarget, modelTargetVariant } from './model-target.js';
import type { InvokeContext, TargetDeps } from './target.js';

let server: FakeOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const config = (over: Record<string, unknown> = {}): TargetConfigOf<'model'> =>
  ModelTargetConfigSchema.parse({ type: 'model', model: 'fake:bot-1', ...over });

const context = (over: Partial<InvokeContext> = {}): InvokeContext => ({
  exampleId: 'ex-1',
  trial: 0,
  metadata: { tier: 'gold' },
  signal: new AbortController().signal,
  ...over,
});

async function depsFor(options: FakeOpenAIOptions = {}, pricing?: Record<string, { inputPerMTok: number; outputPerMTok: number }>): Promise<TargetDeps> {
  server = await startFakeOpenAI(options);
  return {
    baseDir: '.',
    importModule,
    models: createModelPort({ providers: { fake: { kind: 'openai-compatible', baseURL: server.url, ...(pricing ? { pricing } : {}) } }, env: {} }),
  };
}

async function rejection(p: Promise<unknown>): Promise<EvalOpsError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(EvalOpsError);
  return e as EvalOpsError;
}

describe('modelTarget', () => {
  it('renders prompt and system over input and metadata and returns the text, usage and cost', async () => {
    const deps = await depsFor({ respond: () => ({ text: 'Refunds take 5 days.', usage: { promptTokens: 100, completionTokens: 20 } }) }, {
      'bot-1': { inputPerMTok: 1, outputPerMTok: 10 },
    });
    const target = await modelTarget(
      config({ system: 'You serve {{metadata.tier}} customers.', prompt: 'Question: {{input.question}}', temperature: 0.3, maxTokens: 200 }),
      deps,
    );
    const out = await target.invoke({ question: 'How long do refunds take?' }, context());

    expect(out).toEqual({
      output: 'Refunds take 5 days.',
      toolCalls: [],
      usage: { inputTokens: 100, outputTokens: 20, totalTokens: 120 },
      costUsd: (100 * 1 + 20 * 10) / 1_000_000,
    });
    const body = server!.calls[0]!.body!;
    expect(body.messages).toEqual([
      { role: 'system', content: 'You serve gold customers.' },
      { role: 'user', content: 'Question: How long do refunds take?' },
    ]);
    expect(body.model).toBe('bot-1');
    expect(body.temperature).toBe(0.3);
    expect(body.max_tokens).toBe(200);
  });

  it('sends the input itself without a prompt: text as is, objects as JSON', async () => {
    const deps = await depsFor();
    const target = await modelTarget(config(), deps);
    await target.invoke('plain question', context());
    await target.invoke({ q: 1 }, context());

    expect(server!.calls.map((c) => c.body?.messages)).toEqual([[{ role: 'user', content: 'plain question' }], [{ role: 'user', content: '{"q":1}' }]]);
  });

  it('declares the configured tools and returns the tool calls', async () => {
    const deps = await depsFor({ respond: () => ({ toolCalls: [{ name: 'issue_refund', arguments: { orderId: 'A1', amount: 20 } }] }) });
    const target = await modelTarget(
      config({ tools: [{ name: 'issue_refund', description: 'Refunds an order', parameters: { type: 'object', properties: { orderId: { type: 'string' }, amount: { type: 'number' } } } }] }),
      deps,
    );
    const out = await target.invoke('refund A1', context());

    expect(out.output).toBe('');
    expect(out.toolCalls).toEqual([{ name: 'issue_refund', arguments: { orderId: 'A1', amount: 20 } }]);
    expect(server!.calls[0]!.body!.tools!.map((t) => t.function.name)).toEqual(['issue_refund']);
  });

  it("sends a conversation's tool calls and results as OpenAI tool_calls and tool messages", async () => {
    const deps = await depsFor({ respond: () => ({ text: 'Your refund is on its way.' }) });
    const target = await modelTarget(config({ system: 'You are a support agent.', tools: [{ name: 'lookup_order' }, { name: 'issue_refund' }] }), deps);
    await target.converse(
      [
        { role: 'user', content: 'my kettle broke, order 1234' },
        {
          role: 'assistant',
          content: 'Let me look that up.',
          toolCalls: [
            { name: 'lookup_order', arguments: { id: '1234' }, result: { status: 'shipped' } },
            { name: 'issue_refund', arguments: { id: '1234' }, error: 'refund service down' },
          ],
        },
        { role: 'tool', content: '{"status":"shipped"}', name: 'lookup_order', toolCallId: 'call_0_0' },
        { role: 'tool', content: 'refund service down', name: 'issue_refund', toolCallId: 'call_0_1' },
        { role: 'user', content: 'so?' },
        { role: 'assistant', content: '', toolCalls: [{ name: 'issue_refund', arguments: { id: '1234' } }] },
        { role: 'user', content: 'did it work?' },
      ],
      { ...context(), conversation: { turn: 2, exampleId: 'ex-1' } },
    );

    const messages = server!.calls[0]!.body!.messages as unknown as Array<Record<string, unknown>>;
    const call = (id: string, name: string) => ({ id, type: 'function', function: { name, arguments: '{"id":"1234"}' } });
    expect(messages).toEqual([
      { role: 'system', content: 'You are a support agent.' },
      { role: 'user', content: 'my kettle broke, order 1234' },
      { role: 'assistant', content: 'Let me look that up.', tool_calls: [call('call_0_0', 'lookup_order'), call('call_0_1', 'issue_refund')] },
      { role: 'tool', tool_call_id: 'call_0_0', content: '{"status":"shipped"}' },
      { role: 'tool', tool_call_id: 'call_0_1', content: 'refund service down' },
      { role: 'user', content: 'so?' },
      { role: 'assistant', content: null, tool_calls: [call('call_1_0', 'issue_refund')] },
      // A call of a model target was recorded, never run: the provider still needs its result.
      { role: 'tool', tool_call_id: 'call_1_0', content: 'not run: this evaluation records tool calls without executing them' },
      { role: 'user', content: 'did it work?' },
    ]);
  });

  it('rejects with a retryable target error after timeoutMs', async () => {
    const deps = await depsFor({ respond: () => ({ text: 'too late', delayMs: 10_000 }) });
    const target = await modelTarget(config({ timeoutMs: 50 }), deps);
    const e = await rejection(target.invoke('hi', context()));

    expect(e.code).toBe('target');
    expect(e.retryable).toBe(true);
    expect(e.message).toContain('timed out after 50 ms');
  });

  it('rejects with a non-retryable target error when the caller aborts', async () => {
    const deps = await depsFor({ respond: () => ({ text: 'late', delayMs: 10_000 }) });
    const target = await modelTarget(config(), deps);
    const controller = new AbortController();
    const pending = target.invoke('hi', context({ signal: controller.signal }));
    controller.abort();
    const e = await rejection(pending);

    expect(e.code).toBe('target');
    expect(e.retryable).toBe(false);
  });

  it('turns a 429 into a retryable target error keeping status and retryAfterMs', async () => {
    const deps = await depsFor({ respond: () => ({ status: 429, retryAfter: 2 }) });
    const e = await rejection((await modelTarget(config(), deps)).invoke('hi', context()));

    expect(e.code).toBe('target');
    expect(e.retryable).toBe(true);
    expect(e.details).toEqual({ status: 429, retryAfterMs: 2000 });
  });

  it('turns a 400 into a non-retryable target error', async () => {
    const deps = await depsFor({ respond: () => ({ status: 400, message: 'context too long' }) });
    const e = await rejection((await modelTarget(config(), deps)).invoke('hi', context()));

    expect(e.code).toBe('target');
    expect(e.retryable).toBe(false);
    expect(e.message).toContain('context too long');
  });

  describe('configuration', () => {
    it('refuses a target without a model port', async () => {
      await expect(modelTarget(config(), { baseDir: '.', importModule })).rejects.toMatchObject({ code: 'config', location: 'target.model' });
    });

    it('refuses a model whose provider is not configured', async () => {
      const deps: TargetDeps = { baseDir: '.', importModule, models: createModelPort({ providers: {}, env: {} }) };
      await expect(modelTarget(config({ model: 'openai:gpt-4.1-mini' }), deps)).rejects.toMatchObject({ code: 'config' });
    });
  });

  describe('variant', () => {
    it('is stable for the same behaviour and ignores the timeout', () => {
      expect(modelTargetVariant(config({ prompt: 'Q: {{input}}' }))).toBe(modelTargetVariant(config({ prompt: 'Q: {{input}}' })));
      expect(modelTargetVariant(config({ timeoutMs: 5 }))).toBe(modelTargetVariant(config()));
    });

    it('changes with model, system, prompt, tools, temperature, max tokens and version', () => {
      const base = modelTargetVariant(config());
      const changed = [
        config({ model: 'fake:bot-2' }),
        config({ system: 'Be brief.' }),
        config({ prompt: 'Q: {{input}}' }),
        config({ tools: [{ name: 'search' }] }),
        config({ temperature: 0.5 }),
        config({ maxTokens: 10 }),
        config({ version: 'v2' }),
      ].map(modelTargetVariant);

      for (const v of changed) expect(v).not.toBe(base);
      expect(new Set(changed).size).toBe(changed.length);
    });

    it('is the variant of the built target', async () => {
      const deps = await depsFor();
      expect((await modelTarget(config(), deps)).variant).toBe(modelTargetVariant(config()));
    });
  });
});
