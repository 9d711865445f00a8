/**
 * OTLP ingest end to end: the real OpenTelemetry SDK and its OTLP/HTTP exporters (protobuf and JSON)
 * send to `startServer` on loopback; spans are read back through the API.
 */
import { OpenInferenceSpanKind, SemanticConventions as OI } from '@arizeai/openinference-semantic-conventions';
import { ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { openStore, type Store } from '../../src/store/store.js';

describe('POST /v1/traces (end to end with the OpenTelemetry SDK)', () => {
  let store: Store;
  let server: RunningServer;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    store = await openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'evalops-otlp-')), 'db.sqlite')}`);
    const project = await store.projects.ensure('shop');
    for (const role of ['ingest', 'viewer'] as const) keys[role] = (await store.apiKeys.create({ role, projectId: project.id, createdBy: 'test' })).plaintext;
    server = await startServer({ store, port: 0, host: '127.0.0.1', redact: ['email'] });
  });
  afterAll(async () => {
    await server.close();
    await store.close();
  });

  async function send(exporter: SpanExporter, build: (provider: BasicTracerProvider) => void): Promise<void> {
    const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'shop-bot', 'service.version': '1.4.2' }), spanProcessors: [new SimpleSpanProcessor(exporter)] });
    build(provider);
    await provider.forceFlush();
    await provider.shutdown();
  }
  const headers = (key: string) => ({ Authorization: `Bearer ${key}` });
  const getTrace = async (traceId: string, key = keys['viewer']!) => fetch(`${server.url}/api/v1/projects/shop/traces/${traceId}`, { headers: headers(key) });

  for (const [format, Exporter] of [['protobuf', ProtoExporter], ['json', JsonExporter]] as const) {
    it(`stores spans sent as ${format}, mapped by OpenInference, redacted, read back through the API`, async () => {
      let traceId = '';
      await send(new Exporter({ url: `${server.url}/v1/traces`, headers: headers(keys['ingest']!) }), (provider) => {
        const tracer = provider.getTracer('test');
        const span = tracer.startSpan('ChatCompletion', { kind: SpanKind.CLIENT }, ROOT_CONTEXT);
        traceId = span.spanContext().traceId;
        span.setAttributes({
          [OI.OPENINFERENCE_SPAN_KIND]: OpenInferenceSpanKind.LLM,
          [OI.LLM_MODEL_NAME]: 'gpt-4.1-mini',
          [`${OI.LLM_INPUT_MESSAGES}.0.${OI.MESSAGE_ROLE}`]: 'user',
          [`${OI.LLM_INPUT_MESSAGES}.0.${OI.MESSAGE_CONTENT}`]: 'my email is ana@example.com, where is order 17?',
          [`${OI.LLM_OUTPUT_MESSAGES}.0.${OI.MESSAGE_ROLE}`]: 'assistant',
          [`${OI.LLM_OUTPUT_MESSAGES}.0.${OI.MESSAGE_CONTENT}`]: 'It ships tomorrow.',
          [OI.LLM_TOKEN_COUNT_PROMPT]: 12,
          [OI.LLM_TOKEN_COUNT_COMPLETION]: 5,
          [OI.SESSION_ID]: 'sess-1',
          'evalops.release': 'r-7',
        });
        span.end();
      });
      const res = await getTrace(traceId);
      expect(res.status).toBe(200);
      const { spans } = (await res.json()) as { spans: Record<string, unknown>[] };
      expect(spans).toHaveLength(1);
      expect(spans[0]).toMatchObject({ traceId, kind: 'LLM', model: 'gpt-4.1-mini', sessionId: 'sess-1', release: 'r-7', serviceName: 'shop-bot', usage: { inputTokens: 12, outputTokens: 5 } });
      expect(JSON.stringify(spans[0])).not.toMatch(/ana@example\.com/);
      expect(JSON.stringify(spans[0]!['input'])).toMatch(/\[REDACTED:email\]/);
    });
  }

  it('stores a span sent twice once', async () => {
    const body = (spanId: string) =>
      JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 't' }, spans: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId, name: 'x', kind: 1, startTimeUnixNano: String(BigInt(Date.now() - 1000) * 1_000_000n), endTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n) }] }] }] });
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${server.url}/v1/traces`, { method: 'POST', headers: { ...headers(keys['ingest']!), 'content-type': 'application/json' }, body: body('b7ad6b7169203331') });
      expect(res.status).toBe(200);
    }
    const { spans } = (await (await getTrace('0af7651916cd43dd8448eb211c80319c')).json()) as { spans: unknown[] };
    expect(spans).toHaveLength(1);
  });

  it('rejects bad spans individually in partial_success and keeps the good ones', async () => {
    const now = BigInt(Date.now()) * 1_000_000n;
    const span = (spanId: string, start: bigint, end: bigint) => ({ traceId: '1af7651916cd43dd8448eb211c80319c', spanId, name: 's', kind: 1, startTimeUnixNano: String(start), endTimeUnixNano: String(end) });
    const res = await fetch(`${server.url}/v1/traces`, {
      method: 'POST',
      headers: { ...headers(keys['ingest']!), 'content-type': 'application/json' },
      body: JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span('c7ad6b7169203331', now - 1_000_000n, now), span('', now, now), span('d7ad6b7169203331', now, now - 5_000_000_000n)] }] }] }),
    });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    expect(answer.partialSuccess.rejectedSpans).toBe('2');
    expect(answer.partialSuccess.errorMessage).toMatch(/span 1: .*spanId/);
    const { spans } = (await (await getTrace('1af7651916cd43dd8448eb211c80319c')).json()) as { spans: { spanId: string }[] };
    expect(spans.map((s) => s.spanId)).toEqual(['c7ad6b7169203331']);
  });

  it('answers bad requests with a clear 4xx and stays up', async () => {
    const post = (body: string | Uint8Array, contentType: string, key = keys['ingest']!) => fetch(`${server.url}/v1/traces`, { method: 'POST', headers: { ...headers(key), 'content-type': contentType }, body });
    expect((await post('{not json', 'application/json')).status).toBe(400);
    expect((await post(new Uint8Array([0xff, 0xff, 0xff, 0x0f]), 'application/x-protobuf')).status).toBe(400);
    expect((await post('{}', 'text/plain')).status).toBe(415);
    expect((await post('{}', 'application/json', keys['viewer']!)).status).toBe(403);
    expect((await post('{}', 'application/json', 'eo_aaaaaaaa_wrong')).status).toBe(401);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
