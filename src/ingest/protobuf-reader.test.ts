import { describe, expect, it } from 'vitest';
import { varintBytes } from '../../test/ingest/protobuf-writer.js';
import { ProtobufReader, ProtobufWireError, WIRE_FIXED32, tag } from './protobuf-reader.js';

const reader = (...bytes: number[]) => new ProtobufReader(Uint8Array.from(bytes));

describe('ProtobufReader', () => {
  it('reads varints, int64 (number within ±2^53, decimal string beyond), fixed64 and doubles', () => {
    expect(reader(...varintBytes(300)).varint()).toBe(300);
    expect(reader(...varintBytes(2 ** 53 - 1)).int64()).toBe(2 ** 53 - 1);
    expect(reader(...varintBytes(-1)).int64()).toBe(-1);
    expect(reader(...varintBytes(2n ** 63n - 1n)).int64()).toBe('9223372036854775807');
    const b = Buffer.alloc(16);
    b.writeBigUInt64LE(18_446_744_073_709_551_615n, 0);
    b.writeDoubleLE(-2.5, 8);
    const r = new ProtobufReader(b);
    expect(r.fixed64()).toBe(18_446_744_073_709_551_615n);
    expect(r.double()).toBe(-2.5);
  });

  it('reads length-delimited strings, hex and base64 within the limit', () => {
    const r = new ProtobufReader(Uint8Array.from([2, 0x68, 0x69, 2, 0xab, 0xcd, 1, 0xff]));
    expect(r.string(r.length)).toBe('hi');
    expect(r.hex(r.length)).toBe('abcd');
    expect(r.base64(r.length)).toBe('/w==');
  });

  it('skips fields of every supported wire type', () => {
    const r = reader(1, 2, 3, 4);
    r.skip(tag(1, WIRE_FIXED32), r.length);
    expect(r.pos).toBe(4);
  });

  it('throws a wire error with the offset for truncated or oversized input', () => {
    expect(() => reader(0x80).varint()).toThrow(ProtobufWireError);
    expect(() => reader(0x80).varint()).toThrow(/truncated varint at byte 1/);
    expect(() => reader(...Array(11).fill(0xff)).int64()).toThrow(/longer than 10 bytes/);
    expect(() => reader(1, 2, 3).fixed64()).toThrow(/truncated 8-byte value at byte 0/);
    expect(() => reader(5, 0x61).string(2)).toThrow(/length 5 runs past the end/);
    expect(() => reader(0x07).tag()).toThrow(/invalid field number 0/);
  });
});
