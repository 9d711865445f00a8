/**
 * A tiny protobuf writer for tests: builds OTLP messages by field number, including shapes no real
 * SDK sends (unknown fields, odd orders, negative int64, wrong wire types), to test the decoder's edges.
 * @example message(1, message(2, string(5, 'span name'))) // ResourceSpans › ScopeSpans › Span.name
 */

export function varintBytes(value: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

function key(field: number, wireType: number): number[] {
  return varintBytes(field * 8 + wireType);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

/** A length-delimited field holding these bytes (a nested message, bytes or a string). */
export function bytesField(field: number, payload: Uint8Array): Uint8Array {
  return concat(Uint8Array.from([...key(field, 2), ...varintBytes(payload.length)]), payload);
}

export function message(field: number, ...children: Uint8Array[]): Uint8Array {
  return bytesField(field, concat(...children));
}

export function string(field: number, text: string): Uint8Array {
  return bytesField(field, Uint8Array.from(Buffer.from(text, 'utf8')));
}

export function hexField(field: number, hex: string): Uint8Array {
  return bytesField(field, Uint8Array.from(Buffer.from(hex, 'hex')));
}

export function varint(field: number, value: number | bigint): Uint8Array {
  return Uint8Array.from([...key(field, 0), ...varintBytes(value)]);
}

export function fixed64(field: number, value: bigint): Uint8Array {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(value);
  return concat(Uint8Array.from(key(field, 1)), b);
}

export function double(field: number, value: number): Uint8Array {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(value);
  return concat(Uint8Array.from(key(field, 1)), b);
}

export function fixed32(field: number, value: number): Uint8Array {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value);
  return concat(Uint8Array.from(key(field, 5)), b);
}

/** `KeyValue { key = 1; value = 2 }` as field `field` of its parent (9 on Span, 1 on Resource). */
export function keyValue(field: number, name: string, anyValue: Uint8Array): Uint8Array {
  return message(field, string(1, name), message(2, anyValue));
}

export const any = {
  string: (text: string) => string(1, text),
  bool: (value: boolean) => varint(2, value ? 1 : 0),
  int: (value: number | bigint) => varint(3, value),
  double: (value: number) => double(4, value),
  array: (...values: Uint8Array[]) => message(5, ...values.map((v) => message(1, v))),
  kvlist: (...pairs: Array<[string, Uint8Array]>) => message(6, ...pairs.map(([k, v]) => keyValue(1, k, v))),
  bytes: (data: Uint8Array) => bytesField(7, data),
  empty: () => new Uint8Array(0),
};

export const TRACE_ID = '5b8efff798038103d269b633813fc60c';
export const SPAN_ID = 'eee19b7ec3c1b174';
export const PARENT_ID = 'eee19b7ec3c1b173';
export const START_NS = 1_750_000_000_123_456_789n;
export const END_NS = 1_750_000_001_000_000_000n;

/** A valid Span message body (no field tag), with extra fields appended. */
export function spanBody(...extra: Uint8Array[]): Uint8Array {
  return concat(
    hexField(1, TRACE_ID),
    hexField(2, SPAN_ID),
    string(5, 'span'),
    varint(6, 3),
    fixed64(7, START_NS),
    fixed64(8, END_NS),
    ...extra,
  );
}

/** ExportTraceServiceRequest › ResourceSpans › ScopeSpans › these Span bodies. */
export function requestWith(...spanBodies: Uint8Array[]): Uint8Array {
  return message(1, message(2, ...spanBodies.map((body) => bytesField(2, body))));
}
