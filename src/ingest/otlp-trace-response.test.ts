import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { encodeOtlpTraceResponse, partialSuccess } from './otlp-trace-response.js';

describe('partialSuccess', () => {
  it('is absent when nothing was rejected', () => {
    expect(partialSuccess([], 10)).toBeUndefined();
  });

  it('counts the rejections and names the first five with their reasons', () => {
    const rejected = Array.from({ length: 7 }, (_, i) => ({ index: i * 2, reason: `reason ${i}` }));
    expect(partialSuccess(rejected, 20)).toEqual({
      rejectedSpans: 7,
      errorMessage:
        '7 of 20 spans rejected: span 0: reason 0; span 2: reason 1; span 4: reason 2; span 6: reason 3; span 8: reason 4; and 2 more',
    });
  });
});

describe('encodeOtlpTraceResponse', () => {
  it('encodes protobuf that the OpenTelemetry exporter decodes back', () => {
    const message = 'é'.repeat(100);
    const body = encodeOtlpTraceResponse('protobuf', { rejectedSpans: 300, errorMessage: message });
    expect(body).toBeInstanceOf(Uint8Array);
    const decoded = ProtobufTraceSerializer.deserializeResponse(body as Uint8Array);
    expect(Number(decoded.partialSuccess?.rejectedSpans)).toBe(300);
    expect(decoded.partialSuccess?.errorMessage).toBe(message);
  });

  it('encodes an empty message for full success', () => {
    expect(encodeOtlpTraceResponse('protobuf', undefined)).toEqual(new Uint8Array(0));
    expect(encodeOtlpTraceResponse('json', undefined)).toBe('{}');
  });

  it('encodes JSON with int64 as a decimal string', () => {
    expect(JSON.parse(encodeOtlpTraceResponse('json', { rejectedSpans: 2, errorMessage: 'x' }) as string)).toEqual({
      partialSuccess: { rejectedSpans: '2', errorMessage: 'x' },
    });
  });
});
