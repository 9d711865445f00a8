import { ROOT_CONTEXT, SpanStatusCode, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { jsonPayload, protobufPayload, sdkSpans } from '../../test/ingest/sdk-payloads.js';
import { decodeOtlpJson } from './decode-otlp-json.js';
import { decodeOtlpProtobuf } from './decode-otlp-protobuf.js';
import type { OtlpSpan } from './otlp-span.js';

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';

function decodeOk(body: unknown): OtlpSpan[] {
  const result = decodeOtlpJson(body);
  if (!result.ok) throw result.error;
  return result.spans;
}

function decodeError(body: unknown): string {
  const result = decodeOtlpJson(body);
  if (result.ok) throw new Error('expected the body to be refused');
  expect(result.error.code).toBe('input');
  expect(result.error.details).toEqual({ reason: 'malformed' });
  return result.error.message;
}

const request = (span: Record<string, unknown>, resource: Record<string, unknown> = {}) => ({
  resourceSpans: [{ resource, scopeSpans: [{ scope: { name: 's' }, spans: [span] }] }],
});

const validSpan = {
  traceId: TRACE_ID,
  spanId: SPAN_ID,
  name: 'span',
  kind: 1,
  startTimeUnixNano: '1750000000123456789',
  endTimeUnixNano: '1750000001000000000',
};

describe('decodeOtlpJson', () => {
  it('gives the same spans as the protobuf decoder for the same SDK spans', () => {
    const spans = sdkSpans((tracer) => {
      const root = tracer.startSpan('root', { startTime: [1_750_000_000, 1] }, ROOT_CONTEXT);
      const child = tracer.startSpan('child', { startTime: [1_750_000_000, 2] }, trace.setSpan(ROOT_CONTEXT, root));
      child.setAttributes({ s: 'x', i: 2 ** 40, d: 0.5, b: true, list: [1, 2] });
      child.addEvent('e', { k: 'v' }, [1_750_000_000, 3]);
      child.setStatus({ code: SpanStatusCode.ERROR, message: 'bad' });
      child.end([1_750_000_001, 0]);
      root.end([1_750_000_001, 5]);
    });
    const fromProtobuf = decodeOtlpProtobuf(protobufPayload(spans));
    if (!fromProtobuf.ok) throw fromProtobuf.error;
    expect(decodeOk(jsonPayload(spans))).toEqual(fromProtobuf.spans);
  });

  it('reads ids given as base64 or upper-case hex, int64 as strings or numbers, enums by name, snake_case fields', () => {
    const [span] = decodeOk({
      resource_spans: [
        {
          scope_spans: [
            {
              spans: [
                {
                  trace_id: Buffer.from(TRACE_ID, 'hex').toString('base64'),
                  span_id: SPAN_ID.toUpperCase(),
                  parent_span_id: '',
                  name: 'n',
                  kind: 'SPAN_KIND_CLIENT',
                  start_time_unix_nano: 1750000000123456789,
                  end_time_unix_nano: '1750000001000000000',
                  status: { code: 'STATUS_CODE_ERROR', message: 'm' },
                  attributes: [
                    { key: 'big', value: { intValue: '9007199254740993' } },
                    { key: 'small', value: { int_value: 12 } },
                    { key: 'neg', value: { intValue: '-3' } },
                    { key: 'inf', value: { doubleValue: 'Infinity' } },
                    { key: 'num', value: { doubleValue: '2.5' } },
                    { key: 'bytes', value: { bytesValue: 'AQL/' } },
                    { key: 'kv', value: { kvlistValue: { values: [{ key: 'a', value: { boolValue: false } }] } } },
                    { key: 'arr', value: { arrayValue: { values: [{ stringValue: 'x' }, {}] } } },
                    { key: 'none', value: {} },
                    { key: 'unknown_variant', value: { futureValue: 1 } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    expect(span).toMatchObject({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      parentSpanId: '',
      kind: 3,
      statusCode: 2,
      statusMessage: 'm',
      endTimeUnixNano: 1_750_000_001_000_000_000n,
      attributes: {
        big: '9007199254740993',
        small: 12,
        neg: -3,
        inf: 'Infinity',
        num: 2.5,
        bytes: 'AQL/',
        kv: { a: false },
        arr: ['x', null],
        none: null,
        unknown_variant: null,
      },
    });
    // A JSON number cannot hold nanoseconds exactly; the value is kept to the precision it arrived with.
    expect(Number(span!.startTimeUnixNano) / 1e6).toBeCloseTo(1_750_000_000_123.4568, 2);
  });

  it('accepts an empty object and missing optional parts', () => {
    expect(decodeOk({})).toEqual([]);
    expect(decodeOk({ resourceSpans: [{}] })).toEqual([]);
    const [span] = decodeOk(request({ traceId: TRACE_ID }));
    expect(span).toMatchObject({ traceId: TRACE_ID, spanId: '', name: '', startTimeUnixNano: 0n, attributes: {}, events: [] });
  });

  it('keeps an id it cannot read as given, for mapping to reject that span alone', () => {
    const [span] = decodeOk(request({ ...validSpan, traceId: 'not-an-id', spanId: 'abc' }));
    expect(span).toMatchObject({ traceId: 'not-an-id', spanId: 'abc' });
  });

  it('refuses a body whose envelope is wrong, naming the path', () => {
    expect(decodeError([])).toBe('malformed OTLP JSON body: the body: must be an object, got a list');
    expect(decodeError({ resourceSpans: {} })).toBe('malformed OTLP JSON body: resourceSpans: must be a list, got an object');
    expect(decodeError({ resourceSpans: [{ scopeSpans: [7] }] })).toBe(
      'malformed OTLP JSON body: resourceSpans[0].scopeSpans[0]: must be an object, got number 7',
    );
    expect(decodeError(request(validSpan, { attributes: [{ key: 1 }] }))).toMatch(/resourceSpans\[0\]\.resource\.attributes\[0\]\.key: must be a string/);
  });

  it('marks a malformed span with its problem and keeps the spans around it', () => {
    const spans = decodeOk({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                validSpan,
                { ...validSpan, name: 5 },
                { ...validSpan, startTimeUnixNano: 'yesterday' },
                { ...validSpan, attributes: [{ key: 'x', value: { intValue: 'twelve' } }] },
                'not a span',
                { ...validSpan, spanId: 'eee19b7ec3c1b175' },
              ],
            },
          ],
        },
      ],
    });
    expect(spans.map((s) => s.problem)).toEqual([
      undefined,
      'resourceSpans[0].scopeSpans[0].spans[1].name: must be a string, got number 5',
      'resourceSpans[0].scopeSpans[0].spans[2].startTimeUnixNano: must be unsigned nanoseconds as a decimal string or number, got "yesterday"',
      'resourceSpans[0].scopeSpans[0].spans[3].attributes[0].value.intValue: must be an integer (decimal string or number), got "twelve"',
      'resourceSpans[0].scopeSpans[0].spans[4]: must be an object, got "not a span"',
      undefined,
    ]);
    expect(spans[1]).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID });
    expect(spans[5]).toMatchObject({ spanId: 'eee19b7ec3c1b175', name: 'span' });
  });

  it('marks a span whose attribute values nest deeper than 32 levels', () => {
    let value: unknown = { stringValue: 'deep' };
    for (let i = 0; i < 40; i++) value = { arrayValue: { values: [value] } };
    const [span] = decodeOk(request({ ...validSpan, attributes: [{ key: 'deep', value }] }));
    expect(span!.problem).toMatch(/nested deeper than 32 levels/);
  });

  it('keeps a "__proto__" attribute as plain data', () => {
    const body = JSON.parse(
      JSON.stringify(request({ ...validSpan, attributes: [{ key: '__proto__', value: { kvlistValue: { values: [{ key: 'polluted', value: { boolValue: true } }] } } }] })),
    ) as unknown;
    const [span] = decodeOk(body);
    expect(Object.getPrototypeOf(span!.attributes)).toBe(Object.prototype);
    expect(Object.keys(span!.attributes)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
