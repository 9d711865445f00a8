import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import {
  END_NS,
  PARENT_ID,
  SPAN_ID,
  START_NS,
  TRACE_ID,
  any,
  bytesField,
  concat,
  fixed32,
  hexField,
  keyValue,
  message,
  requestWith,
  spanBody,
  string,
  varint,
} from '../../test/ingest/protobuf-writer.js';
import { protobufPayload, sdkSpans } from '../../test/ingest/sdk-payloads.js';
import { decodeOtlpProtobuf } from './decode-otlp-protobuf.js';
import type { OtlpSpan } from './otlp-span.js';

function decodeOk(body: Uint8Array): OtlpSpan[] {
  const result = decodeOtlpProtobuf(body);
  if (!result.ok) throw result.error;
  return result.spans;
}

function decodeError(body: Uint8Array): string {
  const result = decodeOtlpProtobuf(body);
  if (result.ok) throw new Error('expected the body to be refused');
  expect(result.error.code).toBe('input');
  expect(result.error.details).toEqual({ reason: 'malformed' });
  return result.error.message;
}

describe('decodeOtlpProtobuf', () => {
  it('decodes what the OpenTelemetry SDK serialises: ids, times, kind, attributes, events, status, resource, scope', () => {
    const spans = sdkSpans((tracer) => {
      const root = tracer.startSpan('root', { startTime: [1_750_000_000, 123_456_789], kind: SpanKind.SERVER }, ROOT_CONTEXT);
      const child = tracer.startSpan('child', { startTime: [1_750_000_000, 5] }, trace.setSpan(ROOT_CONTEXT, root));
      child.setAttributes({ s: 'text', i: -7, d: 1.5, b: false, list: ['a', 'b'], nums: [1, 2] });
      child.addEvent('step', { n: 1 }, [1_750_000_000, 9]);
      child.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
      child.end([1_750_000_001, 0]);
      root.end([1_750_000_002, 1]);
    });
    const decoded = decodeOk(protobufPayload(spans));
    expect(decoded).toHaveLength(2);
    const [child, root] = decoded;
    expect(child).toMatchObject({
      traceId: spans[0]!.spanContext().traceId,
      spanId: spans[0]!.spanContext().spanId,
      parentSpanId: spans[1]!.spanContext().spanId,
      name: 'child',
      kind: 1,
      startTimeUnixNano: 1_750_000_000_000_000_005n,
      endTimeUnixNano: 1_750_000_001_000_000_000n,
      attributes: { s: 'text', i: -7, d: 1.5, b: false, list: ['a', 'b'], nums: [1, 2] },
      events: [{ name: 'step', timeUnixNano: 1_750_000_000_000_000_009n, attributes: { n: 1 } }],
      statusCode: 2,
      statusMessage: 'boom',
      scope: { name: 'payload-test', version: '1.0.0' },
    });
    expect(child!.resource).toMatchObject({ 'service.name': 'support-bot', 'service.version': '1.4.2' });
    expect(root).toMatchObject({ name: 'root', kind: 2, parentSpanId: '', startTimeUnixNano: 1_750_000_000_123_456_789n });
    expect(child!.problem).toBeUndefined();
  });

  it('accepts an empty body as a request with no spans', () => {
    expect(decodeOk(new Uint8Array(0))).toEqual([]);
  });

  it('converts every AnyValue variant to JSON, int64 beyond 2^53 as a decimal string', () => {
    const [span] = decodeOk(
      requestWith(
        spanBody(
          keyValue(9, 'negative', any.int(-5)),
          keyValue(9, 'huge', any.int(2n ** 60n)),
          keyValue(9, 'most_negative', any.int(-(2n ** 63n))),
          keyValue(9, 'nan', any.double(Number.NaN)),
          keyValue(9, 'bytes', any.bytes(Uint8Array.from([1, 2, 255]))),
          keyValue(9, 'nested', any.kvlist(['a', any.array(any.string('x'), any.bool(true))], ['b', any.empty()])),
          keyValue(9, 'empty', any.empty()),
        ),
      ),
    );
    expect(span!.attributes).toEqual({
      negative: -5,
      huge: '1152921504606846976',
      most_negative: '-9223372036854775808',
      nan: 'NaN',
      bytes: 'AQL/',
      nested: { a: ['x', true], b: null },
      empty: null,
    });
  });

  it('keeps a "__proto__" attribute as plain data without touching the prototype', () => {
    const [span] = decodeOk(requestWith(spanBody(keyValue(9, '__proto__', any.kvlist(['polluted', any.bool(true)])))));
    expect(Object.getPrototypeOf(span!.attributes)).toBe(Object.prototype);
    expect(Object.keys(span!.attributes)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('skips unknown fields and attaches a resource or scope that comes after its spans', () => {
    const body = message(
      1,
      message(
        2,
        bytesField(2, spanBody(varint(99, 1), fixed32(16, 1), string(3, 'vendor=1'), hexField(4, PARENT_ID))),
        message(1, string(1, 'late-scope'), string(2, '2.0')),
        string(3, 'https://schema'),
      ),
      message(1, keyValue(1, 'service.name', any.string('late-resource'))),
      varint(50, 7),
    );
    const [span] = decodeOk(body);
    expect(span).toMatchObject({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      parentSpanId: PARENT_ID,
      startTimeUnixNano: START_NS,
      endTimeUnixNano: END_NS,
      scope: { name: 'late-scope', version: '2.0' },
      resource: { 'service.name': 'late-resource' },
    });
  });

  it('passes ids of the wrong length through as hex, for mapping to reject that span alone', () => {
    const [span] = decodeOk(requestWith(concat(hexField(1, 'abcd'), hexField(2, SPAN_ID))));
    expect(span).toMatchObject({ traceId: 'abcd', spanId: SPAN_ID, startTimeUnixNano: 0n });
  });

  it('refuses a truncated body, naming the byte offset', () => {
    const body = requestWith(spanBody());
    expect(decodeError(body.subarray(0, body.length - 3))).toMatch(/^malformed OTLP protobuf body: .* at byte \d+$/);
  });

  it('refuses bytes that are not protobuf at all', () => {
    expect(decodeError(Uint8Array.from(Buffer.from('{"resourceSpans": []}')))).toMatch(/malformed OTLP protobuf body/);
  });

  it('refuses a known field with the wrong wire type', () => {
    expect(decodeError(requestWith(concat(varint(5, 3))))).toMatch(/Span field 5 has the wrong wire type 0/);
  });

  it('refuses a length that runs past its enclosing message', () => {
    const inner = Uint8Array.from([0x2a, 0x7f, 0x61]); // Span.name claiming 127 bytes, holding 1
    expect(decodeError(requestWith(inner))).toMatch(/length 127 runs past the end/);
  });

  it('refuses field number 0 and the deprecated group wire types', () => {
    expect(decodeError(Uint8Array.from([0x00, 0x01]))).toMatch(/invalid field number 0/);
    expect(decodeError(Uint8Array.from([0x13]))).toMatch(/unsupported wire type 3 \(field 2\)/);
    expect(decodeError(Uint8Array.from([0x0b]))).toMatch(/ExportTraceServiceRequest field 1 has the wrong wire type 3/);
  });

  it('refuses attribute values nested deeper than 32 levels instead of overflowing the stack', () => {
    let value = any.string('deep');
    for (let i = 0; i < 40; i++) value = any.array(value);
    expect(decodeError(requestWith(spanBody(keyValue(9, 'deep', value))))).toMatch(/nested deeper than 32 levels/);
    let ok = any.string('fine');
    for (let i = 0; i < 30; i++) ok = any.array(ok);
    expect(decodeOk(requestWith(spanBody(keyValue(9, 'fine', ok))))).toHaveLength(1);
  });
});
