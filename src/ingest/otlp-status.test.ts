import { describe, expect, it } from 'vitest';
import { encodeOtlpStatus, GRPC_CODE } from './otlp-status.js';
import { ProtobufReader, WIRE_LENGTH_DELIMITED, WIRE_VARINT, tag } from './protobuf-reader.js';

describe('encodeOtlpStatus', () => {
  it('answers JSON requests with the protobuf JSON mapping of google.rpc.Status', () => {
    expect(JSON.parse(encodeOtlpStatus('json', { code: GRPC_CODE.UNAVAILABLE, message: 'the ingest queue is full' }) as string)).toEqual({
      code: 14,
      message: 'the ingest queue is full',
      details: [],
    });
  });

  it('answers protobuf requests with google.rpc.Status bytes: code = 1 (int32), message = 2 (string)', () => {
    const message = 'malformed OTLP protobuf body: ünïcode at byte 3';
    const bytes = encodeOtlpStatus('protobuf', { code: GRPC_CODE.INVALID_ARGUMENT, message }) as Uint8Array;
    const reader = new ProtobufReader(bytes);
    expect(reader.tag()).toBe(tag(1, WIRE_VARINT));
    expect(reader.varint()).toBe(3);
    expect(reader.tag()).toBe(tag(2, WIRE_LENGTH_DELIMITED));
    expect(reader.string(bytes.byteLength)).toBe(message);
    expect(reader.pos).toBe(bytes.byteLength);
  });

  it('answers JSON when the request named no known encoding', () => {
    expect(encodeOtlpStatus(undefined, { code: GRPC_CODE.UNIMPLEMENTED, message: 'x' })).toBe('{"code":12,"message":"x","details":[]}');
  });
});
