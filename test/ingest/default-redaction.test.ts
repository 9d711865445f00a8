/**
 * Redaction is on by default: the real OpenTelemetry SDK sends a span carrying a Stripe live key, one
 * of our own keys, a bearer token, a private key block and a card number to a server started with no
 * redaction option; the stored span holds none of them, while ids, e-mail addresses (opt-in) and
 * numbers that are not cards stay. With `redact: []` (`--redact none`) the span is stored as sent.
 */
import { ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { openStore, type Store } from '../../src/store/store.js';

const STRIPE = `sk_live_${'4eC39HqLyjWDarjtT1zdp7dc'}`;
const PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\nVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n-----END RSA PRIVATE KEY-----';

describe('ingest redaction on by default', () => {
  let store: Store;
  const servers: RunningServer[] = [];
  let ingest = '';
  let viewer = '';
  let ownKey = '';

  beforeAll(async () => {
    store = await openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'evalops-redact-')), 'db.sqlite')}`);
    const project = await store.projects.ensure('shop');
    ingest = (await store.apiKeys.create({ role: 'ingest', projectId: project.id, createdBy: 'test' })).plaintext;
    viewer = (await store.apiKeys.create({ role: 'viewer', projectId: project.id, createdBy: 'test' })).plaintext;
    ownKey = (await store.apiKeys.create({ role: 'admin', projectId: null, createdBy: 'test' })).plaintext;
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    await store.close();
  });

  async function sendAndRead(server: RunningServer): Promise<{ traceId: string; span: any }> {
    const exporter = new ProtoExporter({ url: `${server.url}/v1/traces`, headers: { Authorization: `Bearer ${ingest}` } });
    const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'shop-bot' }), spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const span = provider.getTracer('t').startSpan('call-payments', { kind: SpanKind.CLIENT }, ROOT_CONTEXT);
    span.setAttributes({
      'payments.key': STRIPE,
      'evalops.key': `configured with ${ownKey}`,
      'http.request.header.authorization': 'Bearer abc123def456ghi789jkl',
      'tls.key': PEM,
      'customer.card': '4111 1111 1111 1111',
      'customer.email': 'ana@example.com',
      'order.id': '4111111111111112',
      'event.time_ms': '1750000000123',
    });
    const traceId = span.spanContext().traceId;
    span.end();
    await provider.forceFlush();
    await provider.shutdown();
    const res = await fetch(`${server.url}/api/v1/projects/shop/traces/${traceId}`, { headers: { Authorization: `Bearer ${viewer}` } });
    expect(res.status).toBe(200);
    return { traceId, span: ((await res.json()) as { spans: any[] }).spans[0] };
  }

  it('stores an sk_live_ key, an eo_ key, a bearer token, a private key and a card number redacted, with no option given', async () => {
    const server = await startServer({ store, port: 0, host: '127.0.0.1' });
    servers.push(server);
    const { traceId, span } = await sendAndRead(server);
    const a = span.attributes;
    expect(a['payments.key']).toBe('[REDACTED:api_key]');
    expect(a['evalops.key']).toBe('configured with [REDACTED:api_key]');
    expect(a['http.request.header.authorization']).toBe('Bearer [REDACTED:api_key]');
    expect(a['tls.key']).toBe('[REDACTED:private_key]');
    expect(a['customer.card']).toBe('[REDACTED:credit_card]');
    expect(a['customer.email']).toBe('ana@example.com'); // opt-in
    expect(a['order.id']).toBe('4111111111111112'); // fails the Luhn check
    expect(a['event.time_ms']).toBe('1750000000123');
    expect(span.traceId).toBe(traceId);
    const stored = JSON.stringify(span);
    for (const secret of [STRIPE, ownKey, 'abc123def456ghi789jkl', 'MIIEowIBAAKCAQEA']) expect(stored).not.toContain(secret);
  });

  it('stores the span as sent with redaction turned off (redact: [], the server\'s --redact none)', async () => {
    const server = await startServer({ store, port: 0, host: '127.0.0.1', redact: [] });
    servers.push(server);
    const { span } = await sendAndRead(server);
    expect(span.attributes['payments.key']).toBe(STRIPE);
    expect(span.attributes['tls.key']).toBe(PEM);
  });
});
