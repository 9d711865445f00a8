import { setSession, setUser } from '@arizeai/openinference-core';
import { OpenAIInstrumentation } from '@arizeai/openinference-instrumentation-openai';
import { context } from '@opentelemetry/api';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanSchema, type Span } from '../../src/core/span.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import type { Store } from '../../src/store/store.js';
import { startFakeOpenAI, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { exportWith, VARIANTS, type Produced } from './sdk-agent-trace.js';

/**
 * Ingest end to end, run once per database: real OpenTelemetry SDK exporters and the real `openai`
 * client instrumented by OpenInference send to a real server (`startServer`, redacting e-mail
 * addresses and API keys); the spans are read back through the API and every mapped field checked.
 */
export function ingestContract(label: string, open: () => Promise<Store>): void {
  describe(`OTLP ingest through the server and the API (${label})`, () => {
    let store: Store;
    let server: RunningServer;
    const keys: Record<string, string> = {};

    beforeAll(async () => {
      store = await open();
      const project = await store.projects.ensure('support-bot');
      for (const role of ['ingest', 'viewer'] as const) keys[role] = (await store.apiKeys.create({ role, projectId: project.id, createdBy: 'test' })).plaintext;
      server = await startServer({ store, port: 0, host: '127.0.0.1', redact: ['email', 'api_key'] });
    });
    afterAll(async () => {
      await server?.close();
      await store?.close();
    });

    const auth = (key: string) => ({ Authorization: `Bearer ${key}` });
    async function api<T>(path: string): Promise<T> {
      const res = await fetch(`${server.url}/api/v1/projects/support-bot${path}`, { headers: auth(keys['viewer']!) });
      expect(res.status, `GET ${path}`).toBe(200);
      return (await res.json()) as T;
    }
    const spansOf = async (traceId: string): Promise<Span[]> => (await api<{ spans: Span[] }>(`/traces/${traceId}`)).spans;

    describe.each(VARIANTS)('from the OpenTelemetry SDK, $name exporter', (variant) => {
      let produced: Produced;
      let spans: Map<string, Span>;
      const span = (name: string): Span => {
        const found = spans.get(name);
        if (found === undefined) throw new Error(`no span named ${name}; got ${[...spans.keys()].join(', ')}`);
        return found;
      };

      beforeAll(async () => {
        produced = await exportWith(variant.make(`${server.url}/v1/traces`, auth(keys['ingest']!)));
        spans = new Map((await spansOf(produced.ids['agent']!.traceId)).map((s) => [s.name, s]));
      });

      it('stores every span, valid against the domain schema, with the ids the SDK gave', () => {
        expect(spans.size).toBe(6);
        for (const s of spans.values()) expect(SpanSchema.safeParse(s).success).toBe(true);
        expect(span('support-agent')).toMatchObject(produced.ids['agent']!);
        expect(span('ChatCompletion')).toMatchObject(produced.ids['llm']!);
        expect(span('ChatCompletion').parentSpanId).toBe(produced.ids['agent']!.spanId);
        expect(span('support-agent').parentSpanId).toBeUndefined();
      });

      it('keeps nanosecond times as milliseconds with the sub-millisecond part', () => {
        const agent = span('support-agent');
        expect(agent.startTimeMs).toBeCloseTo(1_750_000_000_123.4568, 3);
        expect(agent.endTimeMs).toBe(1_750_000_001_000);
        expect(agent.durationMs).toBeCloseTo(876.543211, 6);
        expect(span('chat claude-sonnet').events).toEqual([{ name: 'retry', timeMs: 1_750_000_000_500, attributes: { attempt: 1 } }]);
      });

      it('maps the resource, session, user, release, variant, status and OTel kind, and keeps every attribute with its type', () => {
        const agent = span('support-agent');
        expect(agent).toMatchObject({
          kind: 'AGENT',
          otelKind: 'server',
          status: 'ok',
          serviceName: 'support-bot',
          environment: 'staging',
          release: 'rel-2025-06',
          variant: 'v-abc123',
          sessionId: 'sess-42',
          userId: 'user-7',
          input: 'Where is my refund for order A-17?',
          inputMimeType: 'text/plain',
          output: 'Your refund was issued yesterday.',
          scope: { name: 'evalops-test', version: '0.0.1' },
        });
        expect(agent.resource).toMatchObject({ 'service.name': 'support-bot', 'service.version': '1.4.2' });
        expect(span('lookup_order').release).toBe('1.4.2'); // no evalops.release: the resource's service.version
        expect(agent.attributes).toMatchObject({ 'tag.tags': ['refund', 'es'], 'app.retry_count': 3, 'app.big_number': 2 ** 40, 'app.ratio': 0.25, 'app.flag': true, 'openinference.span.kind': 'AGENT' });
      });

      it('maps an OpenInference LLM span (redacted before storage) and TOOL span', () => {
        const llm = span('ChatCompletion');
        expect(llm).toMatchObject({
          kind: 'LLM',
          model: 'gpt-4.1-mini',
          provider: 'openai',
          usage: { inputTokens: 120, outputTokens: 30, totalTokens: 150 },
          costUsd: 0.00042,
          toolCalls: [{ id: 'call_1', name: 'lookup_order', arguments: { orderId: 'A-17' } }],
          availableTools: [{ name: 'lookup_order', description: 'Find an order by id', parameters: { type: 'object', properties: { orderId: { type: 'string' } } } }],
        });
        expect(llm.input).toEqual([
          { role: 'system', content: 'You are a support agent.' },
          { role: 'user', content: 'Refund for A-17 please, I am [REDACTED:email]' },
        ]);
        expect(llm.output).toEqual([{ role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'lookup_order', arguments: { orderId: 'A-17' } }] }]);
        expect(llm.attributes['input.value']).toBe('{"model":"gpt-4.1-mini","api_key":"[REDACTED:api_key]"}');
        expect(JSON.stringify(llm)).not.toMatch(/ana@example\.com|sk-proj-/);
        expect(span('lookup_order')).toMatchObject({ kind: 'TOOL', tool: { name: 'lookup_order', arguments: { orderId: 'A-17' }, result: { status: 'refunded' } } });
      });

      it('maps OTel GenAI spans: chat with structured messages and error status, execute_tool, legacy prompt/completion', () => {
        const chat = span('chat claude-sonnet');
        expect(chat).toMatchObject({
          kind: 'LLM',
          model: 'claude-sonnet-20250514',
          provider: 'anthropic',
          usage: { inputTokens: 200, outputTokens: 50, totalTokens: 250 },
          status: 'error',
          statusMessage: 'rate limited once',
          toolCalls: [{ id: 'call_w', name: 'get_weather', arguments: { city: 'Paris' } }],
          availableTools: [{ name: 'get_weather', parameters: { type: 'object' } }],
        });
        expect(chat.input).toEqual([
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Weather in Paris?' },
        ]);
        expect(chat.output).toEqual([{ role: 'assistant', content: 'Let me check.', toolCalls: [{ id: 'call_w', name: 'get_weather', arguments: { city: 'Paris' } }] }]);
        expect(span('execute_tool get_weather')).toMatchObject({ kind: 'TOOL', otelKind: 'internal', tool: { name: 'get_weather', arguments: { city: 'Paris' }, result: 'rainy, 14°C' } });
        expect(span('openai.chat')).toMatchObject({
          kind: 'LLM',
          model: 'gpt-4o',
          input: [{ role: 'user', content: 'Say hi' }],
          output: [{ role: 'assistant', content: 'Hi!' }],
          usage: { inputTokens: 5, outputTokens: 2, totalTokens: 7 },
        });
      });

      it('finds the trace by attribute, session and errors, and summarises it', async () => {
        const traceId = produced.ids['agent']!.traceId;
        const list = async (query: string) => (await api<{ traces: { traceId: string }[] }>(`/traces?limit=100&${query}`)).traces.map((t) => t.traceId);
        expect(await list('attr=app.retry_count=3&attr=app.flag=true')).toContain(traceId);
        expect(await list(`attr=${encodeURIComponent('gen_ai.provider.name=anthropic')}`)).toContain(traceId);
        expect(await list('attr=app.retry_count=4')).not.toContain(traceId);
        expect(await list('session=sess-42&errors=true')).toContain(traceId);
        const summary = (await api<{ traces: Record<string, unknown>[] }>(`/traces?limit=100&session=sess-42`)).traces.find((t) => t['traceId'] === traceId);
        expect(summary).toMatchObject({ name: 'support-agent', kind: 'AGENT', spans: 6, errors: 1, sessionId: 'sess-42', userId: 'user-7', release: 'rel-2025-06', inputTokens: 120 + 200 + 5, outputTokens: 30 + 50 + 2 });
      });
    });

    describe('from the openai client instrumented by OpenInference', () => {
      let fake: FakeOpenAIServer;
      let traceIds: string[];

      beforeAll(async () => {
        fake = await startFakeOpenAI({
          respond: (request) =>
            request.body?.messages?.some((m) => m.role === 'tool')
              ? { text: 'Order A-17 has shipped; it arrives tomorrow.', usage: { promptTokens: 61, completionTokens: 9 } }
              : { toolCalls: [{ name: 'lookup_order', arguments: { orderId: 'A-17' } }], usage: { promptTokens: 42, completionTokens: 7 } },
        });
        const provider = new NodeTracerProvider({
          resource: resourceFromAttributes({ 'service.name': 'support-bot', 'service.version': '2.0.0' }),
          spanProcessors: [new BatchSpanProcessor(new ProtoExporter({ url: `${server.url}/v1/traces`, headers: auth(keys['ingest']!) }))],
        });
        provider.register(); // the AsyncLocalStorage context manager: the session travels through awaits
        const instrumentation = new OpenAIInstrumentation({ tracerProvider: provider });
        instrumentation.manuallyInstrument(OpenAI);
        const client = new OpenAI({ baseURL: fake.url, apiKey: 'sk-test-not-a-real-key', maxRetries: 0 });
        const tools = [{ type: 'function' as const, function: { name: 'lookup_order', description: 'Find an order by id', parameters: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] } } }];
        const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
          { role: 'system', content: 'You are the support agent of ACME.' },
          { role: 'user', content: 'Where is my order A-17? Write to me at ana@example.com' },
        ];
        const conversation = setUser(setSession(context.active(), { sessionId: 'sess-openai-1' }), { userId: 'user-9' });
        await context.with(conversation, async () => {
          const first = await client.chat.completions.create({ model: 'gpt-4.1-mini', messages, tools });
          const reply = first.choices[0]!.message;
          const call = reply.tool_calls?.[0];
          if (call === undefined || call.type !== 'function') throw new Error('the fake server did not call the tool');
          messages.push(reply, { role: 'tool', tool_call_id: call.id, content: JSON.stringify({ status: 'shipped' }) });
          await client.chat.completions.create({ model: 'gpt-4.1-mini', messages, tools });
        });
        await provider.forceFlush();
        await provider.shutdown();
        instrumentation.disable();
        const listed = await api<{ traces: { traceId: string }[] }>('/traces?session=sess-openai-1&order=asc');
        traceIds = listed.traces.map((t) => t.traceId);
      });
      afterAll(async () => fake?.close());

      it('sends one LLM span per completion, both in the session', async () => {
        expect(fake.calls.filter((c) => c.endpoint === 'chat')).toHaveLength(2);
        expect(traceIds).toHaveLength(2);
      });

      it('maps the tool-calling completion: kind, model, provider, messages, offered tool, tool call with arguments, tokens, session, user', async () => {
        const [llm] = await spansOf(traceIds[0]!);
        expect(llm).toMatchObject({
          kind: 'LLM',
          name: 'OpenAI Chat Completions',
          model: 'gpt-4.1-mini',
          provider: 'openai',
          status: 'ok',
          sessionId: 'sess-openai-1',
          userId: 'user-9',
          release: '2.0.0',
          usage: { inputTokens: 42, outputTokens: 7, totalTokens: 49 },
          toolCalls: [{ id: expect.stringMatching(/^call_/), name: 'lookup_order', arguments: { orderId: 'A-17' } }],
          availableTools: [{ name: 'lookup_order', description: 'Find an order by id' }],
          scope: { name: '@arizeai/openinference-instrumentation-openai' },
        });
        expect(llm!.input).toEqual([
          { role: 'system', content: 'You are the support agent of ACME.' },
          { role: 'user', content: 'Where is my order A-17? Write to me at [REDACTED:email]' },
        ]);
        expect(llm!.output).toEqual([{ role: 'assistant', content: '', toolCalls: [{ id: expect.any(String), name: 'lookup_order', arguments: { orderId: 'A-17' } }] }]);
      });

      it('maps the answer after the tool result: the tool message in the input, the text in the output', async () => {
        const [llm] = await spansOf(traceIds[1]!);
        const input = llm!.input as { role: string; content: string; toolCallId?: string; toolCalls?: unknown[] }[];
        expect(input.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool']);
        expect(input[2]!.toolCalls).toEqual([{ id: expect.any(String), name: 'lookup_order', arguments: { orderId: 'A-17' } }]);
        expect(input[3]).toMatchObject({ role: 'tool', content: '{"status":"shipped"}', toolCallId: expect.any(String) });
        expect(llm!.output).toEqual([{ role: 'assistant', content: 'Order A-17 has shipped; it arrives tomorrow.' }]);
        expect(llm).toMatchObject({ usage: { inputTokens: 61, outputTokens: 9 }, sessionId: 'sess-openai-1' });
      });

      it('groups both completions into the session with their tokens', async () => {
        const { session, traces } = await api<{ session: Record<string, unknown>; traces: { traceId: string }[] }>('/sessions/sess-openai-1');
        expect(session).toMatchObject({ sessionId: 'sess-openai-1', userId: 'user-9', traces: 2, spans: 2, errors: 0, inputTokens: 103, outputTokens: 16, totalTokens: 119 });
        expect(traces.map((t) => t.traceId)).toEqual(traceIds);
      });
    });
  });
}
