import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { requestWith, spanBody } from '../../test/ingest/protobuf-writer.js';
import { decodeOtlpRequest, otlpFormatOf, type OtlpRequest } from './decode-otlp-request.js';

const jsonBody = Buffer.from(
  JSON.stringify({
    resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', name: 'j' }] }] }],
  }),
);

async function reasonOf(request: OtlpRequest): Promise<unknown> {
  const result = await decodeOtlpRequest(request);
  if (result.ok) throw new Error('expected the request to be refused');
  expect(result.error.code).toBe('input');
  return (result.error.details as { reason: string }).reason;
}

describe('otlpFormatOf', () => {
  it('reads the OTLP media types, ignoring parameters and case', () => {
    expect(otlpFormatOf('application/x-protobuf')).toBe('protobuf');
    expect(otlpFormatOf('Application/JSON; charset=utf-8')).toBe('json');
    expect(otlpFormatOf('text/plain')).toBeUndefined();
    expect(otlpFormatOf(undefined)).toBeUndefined();
  });
});

describe('decodeOtlpRequest', () => {
  it('decodes protobuf and JSON bodies, plain and gzipped', async () => {
    const protobuf = requestWith(spanBody());
    for (const request of [
      { body: protobuf, contentType: 'application/x-protobuf' },
      { body: gzipSync(protobuf), contentType: 'application/x-protobuf', contentEncoding: 'gzip' },
      { body: jsonBody, contentType: 'application/json' },
      { body: gzipSync(jsonBody), contentType: 'application/json; charset=utf-8', contentEncoding: 'GZIP' },
    ]) {
      const result = await decodeOtlpRequest(request);
      if (!result.ok) throw result.error;
      expect(result.spans).toHaveLength(1);
    }
  });

  it('refuses a content type that is not OTLP with unsupported_media_type', async () => {
    expect(await reasonOf({ body: jsonBody, contentType: 'text/plain' })).toBe('unsupported_media_type');
    expect(await reasonOf({ body: jsonBody })).toBe('unsupported_media_type');
  });

  it('refuses an encoding other than gzip with unsupported_encoding', async () => {
    expect(await reasonOf({ body: jsonBody, contentType: 'application/json', contentEncoding: 'br' })).toBe('unsupported_encoding');
  });

  it('refuses a gzip body that does not decompress, or JSON that does not parse, as malformed', async () => {
    expect(await reasonOf({ body: jsonBody, contentType: 'application/json', contentEncoding: 'gzip' })).toBe('malformed');
    expect(await reasonOf({ body: Buffer.from('{"resourceSpans": ['), contentType: 'application/json' })).toBe('malformed');
    expect(await reasonOf({ body: Buffer.from([0x0a, 0x7f]), contentType: 'application/x-protobuf' })).toBe('malformed');
  });

  it('refuses a body over the limit, also when only its decompressed size is over (a gzip bomb)', async () => {
    const big = Buffer.alloc(4096, 0x20);
    expect(await reasonOf({ body: big, contentType: 'application/json', maxBodyBytes: 1024 })).toBe('body_too_large');
    const bomb = gzipSync(Buffer.alloc(2 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(await reasonOf({ body: bomb, contentType: 'application/json', contentEncoding: 'gzip', maxBodyBytes: 1024 * 1024 })).toBe(
      'body_too_large',
    );
  });
});
