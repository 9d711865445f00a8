/**
 * What the real OpenTelemetry JS SDK exporters put on the wire — protobuf and JSON, plain and gzip —
 * captured by a local HTTP server, decoded and mapped by src/ingest without a database. The mapped
 * fields are checked through the server and the API, on SQLite and PostgreSQL, in ingest-contract.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanSchema, type Span } from '../../src/core/span.js';
import { decodeOtlpRequest, otlpFormatOf } from '../../src/ingest/decode-otlp-request.js';
import { mapOtlpSpans } from '../../src/ingest/map-span.js';
import { createRedactor } from '../../src/ingest/redact.js';
import { startCaptureServer, type CaptureServer } from './otlp-capture-server.js';
import { exportWith, VARIANTS, type Produced } from './sdk-agent-trace.js';

describe.each(VARIANTS)('OTLP from the OpenTelemetry JS SDK, $name exporter (wire level)', (variant) => {
  let server: CaptureServer;
  let produced: Produced;
  let spans: Map<string, Span>;
  let rejectedCount: number;

  beforeAll(async () => {
    server = await startCaptureServer();
    produced = await exportWith(variant.make(server.tracesUrl));
    const decodedOrThrow = async () => {
      const request = server.requests[0]!;
      const decoded = await decodeOtlpRequest({ body: request.body, contentType: request.contentType, contentEncoding: request.contentEncoding });
      if (!decoded.ok) throw decoded.error;
      return decoded.spans;
    };
    const mapped = mapOtlpSpans(await decodedOrThrow(), { nowMs: Date.UTC(2025, 6, 1) });
    rejectedCount = mapped.rejected.length;
    spans = new Map(mapped.spans.map((s) => [s.name, s]));
  });
  afterAll(() => server?.close());

  it('sends one request in the format and encoding the exporter was set up with', () => {
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.contentEncoding).toBe(variant.encoding);
    expect(otlpFormatOf(server.requests[0]!.contentType)).toBe(variant.format);
  });

  it('decodes every span, each valid against the domain schema, with the ids the SDK gave', () => {
    expect(rejectedCount).toBe(0);
    expect(spans.size).toBe(6);
    for (const s of spans.values()) expect(SpanSchema.safeParse(s).success).toBe(true);
    expect(spans.get('support-agent')).toMatchObject(produced.ids['agent']!);
    expect(spans.get('ChatCompletion')?.parentSpanId).toBe(produced.ids['agent']!.spanId);
  });

  it('redacts the e-mail address and the API key, leaving the rest and the original untouched', () => {
    const original = spans.get('ChatCompletion')!;
    const llm = createRedactor(['email', 'api_key', 'credit_card']).redactSpan(original);
    expect(llm.input).toEqual([
      { role: 'system', content: 'You are a support agent.' },
      { role: 'user', content: 'Refund for A-17 please, I am [REDACTED:email]' },
    ]);
    expect(llm.attributes['input.value']).toBe('{"model":"gpt-4.1-mini","api_key":"[REDACTED:api_key]"}');
    expect(llm.attributes['llm.input_messages.1.message.contents.0.message_content.text']).toBe('Refund for A-17 please, I am [REDACTED:email]');
    expect(llm.model).toBe('gpt-4.1-mini');
    expect(original.attributes['input.value']).toContain('sk-proj-');
  });
});
