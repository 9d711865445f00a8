/**
 * A minimal reader of the protobuf wire format: the few wire types OTLP uses, bounds-checked at every
 * step. Malformed bytes raise `ProtobufWireError` with the byte offset; decoders turn it into a value.
 * Written by hand because the OpenTelemetry packages only serialise requests (they decode responses),
 * and a generic protobuf runtime would cost a dependency and speed on the ingest path.
 */

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH_DELIMITED = 2;
export const WIRE_FIXED32 = 5;

export class ProtobufWireError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`);
    this.name = 'ProtobufWireError';
  }
}

const RECURRING_SLOTS = 1024;
const MAX_RECURRING_LENGTH = 64;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

export class ProtobufReader {
  pos = 0;
  private readonly buf: Buffer;
  private readonly recurring: Array<string | undefined> = new Array<string | undefined>(RECURRING_SLOTS);

  constructor(bytes: Uint8Array) {
    this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.buf.length;
  }

  /** An unsigned varint of up to 53 bits (tags, lengths, enums, counts). */
  varint(): number {
    const buf = this.buf;
    let pos = this.pos;
    let result = 0;
    let multiplier = 1;
    for (let i = 0; i < 8; i++) {
      if (pos >= buf.length) throw new ProtobufWireError('truncated varint', pos);
      const b = buf[pos++]!;
      result += (b & 0x7f) * multiplier;
      if (b < 0x80) {
        this.pos = pos;
        return result;
      }
      multiplier *= 128;
    }
    throw new ProtobufWireError('varint longer than 53 bits', this.pos);
  }

  /** A signed int64 varint: a number when it fits in ±2^53, else its decimal string. */
  int64(): number | string {
    const buf = this.buf;
    const start = this.pos;
    let end = start;
    while (true) {
      if (end >= buf.length) throw new ProtobufWireError('truncated varint', end);
      if (end - start >= 10) throw new ProtobufWireError('varint longer than 10 bytes', start);
      if (buf[end++]! < 0x80) break;
    }
    if (end - start <= 7) return this.varint();
    let value = 0n;
    for (let i = end - 1; i >= start; i--) value = (value << 7n) | BigInt(buf[i]! & 0x7f);
    this.pos = end;
    const signed = BigInt.asIntN(64, value);
    return signed <= MAX_SAFE && signed >= MIN_SAFE ? Number(signed) : signed.toString();
  }

  bool(): boolean {
    return this.int64() !== 0;
  }

  fixed64(): bigint {
    this.need(8);
    const value = this.buf.readBigUInt64LE(this.pos);
    this.pos += 8;
    return value;
  }

  double(): number {
    this.need(8);
    const value = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return value;
  }

  /** Reads a length prefix and returns the end offset of the length-delimited field that follows. */
  delimitedEnd(limit: number): number {
    const length = this.varint();
    const end = this.pos + length;
    if (end > limit) throw new ProtobufWireError(`length ${length} runs past the end of its message`, this.pos);
    return end;
  }

  string(limit: number): string {
    const end = this.delimitedEnd(limit);
    const text = this.buf.toString('utf8', this.pos, end);
    this.pos = end;
    return text;
  }

  /**
   * Like `string`, for the short ASCII strings that recur in a body (attribute keys, roles, model
   * names): each is decoded once per reader and then served from a small table, which saves the
   * decoding and gives V8 the same string object (cheaper as a property key) every time.
   */
  recurringString(limit: number): string {
    const end = this.delimitedEnd(limit);
    const start = this.pos;
    const length = end - start;
    this.pos = end;
    const buf = this.buf;
    if (length > MAX_RECURRING_LENGTH) return buf.toString('utf8', start, end);
    let hash = length;
    for (let i = start; i < end; i++) {
      const b = buf[i]!;
      if (b >= 0x80) return buf.toString('utf8', start, end);
      hash = Math.imul(hash ^ b, 0x01000193);
    }
    const slot = hash & (RECURRING_SLOTS - 1);
    const cached = this.recurring[slot];
    if (cached !== undefined && cached.length === length) {
      let i = 0;
      while (i < length && cached.charCodeAt(i) === buf[start + i]) i++;
      if (i === length) return cached;
    }
    const text = buf.toString('latin1', start, end);
    this.recurring[slot] = text;
    return text;
  }

  hex(limit: number): string {
    const end = this.delimitedEnd(limit);
    const text = this.buf.toString('hex', this.pos, end);
    this.pos = end;
    return text;
  }

  base64(limit: number): string {
    const end = this.delimitedEnd(limit);
    const text = this.buf.toString('base64', this.pos, end);
    this.pos = end;
    return text;
  }

  /** Reads a tag; returns field number × 8 + wire type (compare with `tag(field, wireType)`). */
  tag(): number {
    const start = this.pos;
    const key = this.varint();
    if (key < 8) throw new ProtobufWireError('invalid field number 0', start);
    return key;
  }

  /** Skips the value of a field of this wire type (an unknown field). */
  skip(key: number, limit: number): void {
    const wireType = key % 8;
    switch (wireType) {
      case WIRE_VARINT:
        this.int64();
        return;
      case WIRE_FIXED64:
        this.need(8);
        this.pos += 8;
        return;
      case WIRE_LENGTH_DELIMITED:
        this.pos = this.delimitedEnd(limit);
        return;
      case WIRE_FIXED32:
        this.need(4);
        this.pos += 4;
        return;
      default:
        throw new ProtobufWireError(`unsupported wire type ${wireType} (field ${Math.floor(key / 8)})`, this.pos);
    }
  }

  private need(bytes: number): void {
    if (this.pos + bytes > this.buf.length) throw new ProtobufWireError(`truncated ${bytes}-byte value`, this.pos);
  }
}

/** The tag key of a field: `tag(1, WIRE_LENGTH_DELIMITED)` is 0x0a. */
export function tag(field: number, wireType: number): number {
  return field * 8 + wireType;
}
