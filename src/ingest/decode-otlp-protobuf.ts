import { EvalOpsError } from '../core/errors.js';
import type { JsonValue } from '../core/json.js';
import { setAttribute, type OtlpDecodeResult, type OtlpEvent, type OtlpScope, type OtlpSpan } from './otlp-span.js';
import {
  ProtobufReader,
  ProtobufWireError,
  WIRE_FIXED64,
  WIRE_LENGTH_DELIMITED,
  WIRE_VARINT,
  tag,
} from './protobuf-reader.js';

/**
 * Decodes an OTLP/HTTP protobuf body (`ExportTraceServiceRequest` of opentelemetry-proto
 * `collector/trace/v1`) into OTLP spans, in wire order. Unknown fields are skipped, as protobuf
 * requires. Bytes that are not a well-formed request give `{ ok: false, error }` (code `input`) naming
 * the message, field and byte offset; nothing is thrown.
 * @example decodeOtlpProtobuf(new Uint8Array()) // { ok: true, spans: [] } (an empty request is valid)
 */
export function decodeOtlpProtobuf(body: Uint8Array): OtlpDecodeResult {
  const reader = new ProtobufReader(body);
  const spans: MutableSpan[] = [];
  try {
    const end = reader.length;
    while (reader.pos < end) {
      const key = reader.tag();
      if (key === tag(1, LEN)) readResourceSpans(reader, end, spans);
      else skipField(reader, key, end, 'ExportTraceServiceRequest');
    }
    return { ok: true, spans };
  } catch (e) {
    if (e instanceof ProtobufWireError) {
      return {
        ok: false,
        error: new EvalOpsError('input', `malformed OTLP protobuf body: ${e.message}`, { details: { reason: 'malformed' } }),
      };
    }
    return { ok: false, error: new EvalOpsError('internal', `OTLP protobuf decoding failed: ${String(e)}`, { cause: e }) };
  }
}

/** Nesting of array and key-value-list attribute values accepted before the body is refused. */
const MAX_VALUE_DEPTH = 32;

const LEN = WIRE_LENGTH_DELIMITED;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type MutableSpan = Mutable<OtlpSpan>;

const NO_SCOPE: OtlpScope = { name: '', version: '' };

/**
 * Each reader below loops over the fields of one message until its end, reads the fields it knows and
 * hands the others to `skipField`. Loops rather than a generic callback walker: this is the hot path
 * of ingest.
 */

/** Fields of each message that we read: meeting one of them with another wire type is an error. */
const KNOWN_FIELDS: Readonly<Record<string, readonly number[]>> = {
  ExportTraceServiceRequest: [1],
  ResourceSpans: [1, 2],
  Resource: [1],
  ScopeSpans: [1, 2],
  InstrumentationScope: [1, 2],
  Span: [1, 2, 4, 5, 6, 7, 8, 9, 11, 15],
  Event: [1, 2, 3],
  Status: [2, 3],
  KeyValue: [1, 2],
  AnyValue: [1, 2, 3, 4, 5, 6, 7],
  ArrayValue: [1],
  KeyValueList: [1],
};

/** Skips a field the reader does not use; a used field number with the wrong wire type is malformed. */
function skipField(r: ProtobufReader, key: number, limit: number, message: string): void {
  const field = Math.floor(key / 8);
  if (KNOWN_FIELDS[message]?.includes(field)) {
    throw new ProtobufWireError(`${message} field ${field} has the wrong wire type ${key % 8}`, r.pos);
  }
  r.skip(key, limit);
}

/** A message's last field must end exactly where the message does. */
function expectEnd(r: ProtobufReader, limit: number, message: string): void {
  if (r.pos !== limit) throw new ProtobufWireError(`${message} ends inside a field`, r.pos);
}

function readResourceSpans(r: ProtobufReader, end: number, out: MutableSpan[]): void {
  const limit = r.delimitedEnd(end);
  const first = out.length;
  let resource: Record<string, JsonValue> = {};
  while (r.pos < limit) {
    const key = r.tag();
    if (key === tag(1, LEN)) resource = readResource(r, limit);
    else if (key === tag(2, LEN)) readScopeSpans(r, limit, out);
    else skipField(r, key, limit, 'ResourceSpans');
  }
  expectEnd(r, limit, 'ResourceSpans');
  // The resource may come after the spans on the wire.
  for (let i = first; i < out.length; i++) out[i]!.resource = resource;
}

function readResource(r: ProtobufReader, end: number): Record<string, JsonValue> {
  const limit = r.delimitedEnd(end);
  const attributes: Record<string, JsonValue> = {};
  while (r.pos < limit) {
    const key = r.tag();
    if (key === tag(1, LEN)) readKeyValue(r, limit, attributes, 0);
    else skipField(r, key, limit, 'Resource');
  }
  expectEnd(r, limit, 'Resource');
  return attributes;
}

function readScopeSpans(r: ProtobufReader, end: number, out: MutableSpan[]): void {
  const limit = r.delimitedEnd(end);
  const first = out.length;
  let scope = NO_SCOPE;
  while (r.pos < limit) {
    const key = r.tag();
    if (key === tag(1, LEN)) scope = readScope(r, limit);
    else if (key === tag(2, LEN)) out.push(readSpan(r, limit));
    else skipField(r, key, limit, 'ScopeSpans');
  }
  expectEnd(r, limit, 'ScopeSpans');
  for (let i = first; i < out.length; i++) out[i]!.scope = scope;
}

function readScope(r: ProtobufReader, end: number): OtlpScope {
  const limit = r.delimitedEnd(end);
  let name = '';
  let version = '';
  while (r.pos < limit) {
    const key = r.tag();
    if (key === tag(1, LEN)) name = r.recurringString(limit);
    else if (key === tag(2, LEN)) version = r.recurringString(limit);
    else skipField(r, key, limit, 'InstrumentationScope');
  }
  expectEnd(r, limit, 'InstrumentationScope');
  return { name, version };
}

function readSpan(r: ProtobufReader, end: number): MutableSpan {
  const limit = r.delimitedEnd(end);
  const attributes: Record<string, JsonValue> = {};
  const events: OtlpEvent[] = [];
  const span: MutableSpan = {
    resource: {},
    scope: NO_SCOPE,
    traceId: '',
    spanId: '',
    parentSpanId: '',
    name: '',
    kind: 0,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    attributes,
    events,
    statusCode: 0,
    statusMessage: '',
  };
  while (r.pos < limit) {
    const key = r.tag();
    switch (key) {
      case SPAN_TRACE_ID:
        span.traceId = r.hex(limit);
        break;
      case SPAN_SPAN_ID:
        span.spanId = r.hex(limit);
        break;
      case SPAN_PARENT_SPAN_ID:
        span.parentSpanId = r.hex(limit);
        break;
      case SPAN_NAME:
        span.name = r.recurringString(limit);
        break;
      case SPAN_KIND:
        span.kind = Number(r.int64());
        break;
      case SPAN_START:
        span.startTimeUnixNano = r.fixed64();
        break;
      case SPAN_END:
        span.endTimeUnixNano = r.fixed64();
        break;
      case SPAN_ATTRIBUTE:
        readKeyValue(r, limit, attributes, 0);
        break;
      case SPAN_EVENT:
        events.push(readEvent(r, limit));
        break;
      case SPAN_STATUS:
        readStatus(r, limit, span);
        break;
      default:
        skipField(r, key, limit, 'Span');
    }
  }
  expectEnd(r, limit, 'Span');
  return span;
}

const SPAN_TRACE_ID = tag(1, LEN);
const SPAN_SPAN_ID = tag(2, LEN);
const SPAN_PARENT_SPAN_ID = tag(4, LEN);
const SPAN_NAME = tag(5, LEN);
const SPAN_KIND = tag(6, WIRE_VARINT);
const SPAN_START = tag(7, WIRE_FIXED64);
const SPAN_END = tag(8, WIRE_FIXED64);
const SPAN_ATTRIBUTE = tag(9, LEN);
const SPAN_EVENT = tag(11, LEN);
const SPAN_STATUS = tag(15, LEN);

function readEvent(r: ProtobufReader, end: number): OtlpEvent {
  const limit = r.delimitedEnd(end);
  let timeUnixNano = 0n;
  let name = '';
  const attributes: Record<string, JsonValue> = {};
  while (r.pos < limit) {
    const key = r.tag();
    if (key === tag(1, WIRE_FIXED64)) timeUnixNano = r.fixed64();
    else if (key === tag(2, LEN)) name = r.recurringString(limit);
    else if (key === tag(3, LEN)) readKeyValue(r, limit, attributes, 0);
    else skipField(r, key, limit, 'Event');
  }
  expectEnd(r, limit, 'Event');
  return { timeUnixNano, name, attributes };
}

function readStatus(r: ProtobufReader, end: number, span: MutableSpan): void {
  const limit = r.delimitedEnd(end);
  while (r.pos < limit) {
    const key = r.tag();
    if (key === tag(2, LEN)) span.statusMessage = r.string(limit);
    else if (key === tag(3, WIRE_VARINT)) span.statusCode = Number(r.int64());
    else skipField(r, key, limit, 'Status');
  }
  expectEnd(r, limit, 'Status');
}

const KV_KEY = tag(1, LEN);
const KV_VALUE = tag(2, LEN);

function readKeyValue(r: ProtobufReader, end: number, target: Record<string, JsonValue>, depth: number): void {
  const limit = r.delimitedEnd(end);
  let name = '';
  let value: JsonValue = null;
  while (r.pos < limit) {
    const key = r.tag();
    if (key === KV_KEY) name = r.recurringString(limit);
    else if (key === KV_VALUE) value = readAnyValue(r, limit, depth);
    else skipField(r, key, limit, 'KeyValue');
  }
  expectEnd(r, limit, 'KeyValue');
  setAttribute(target, name, value);
}

const ANY_STRING = tag(1, LEN);
const ANY_BOOL = tag(2, WIRE_VARINT);
const ANY_INT = tag(3, WIRE_VARINT);
const ANY_DOUBLE = tag(4, WIRE_FIXED64);
const ANY_ARRAY = tag(5, LEN);
const ANY_KVLIST = tag(6, LEN);
const ANY_BYTES = tag(7, LEN);

function readAnyValue(r: ProtobufReader, end: number, depth: number): JsonValue {
  if (depth >= MAX_VALUE_DEPTH) {
    throw new ProtobufWireError(`attribute value nested deeper than ${MAX_VALUE_DEPTH} levels`, r.pos);
  }
  const limit = r.delimitedEnd(end);
  let value: JsonValue = null;
  while (r.pos < limit) {
    const key = r.tag();
    switch (key) {
      case ANY_STRING:
        value = r.recurringString(limit);
        break;
      case ANY_BOOL:
        value = r.bool();
        break;
      case ANY_INT:
        value = r.int64();
        break;
      case ANY_DOUBLE: {
        const n = r.double();
        value = Number.isFinite(n) ? n : String(n);
        break;
      }
      case ANY_ARRAY:
        value = readArrayValue(r, limit, depth + 1);
        break;
      case ANY_KVLIST:
        value = readKeyValueList(r, limit, depth + 1);
        break;
      case ANY_BYTES:
        value = r.base64(limit);
        break;
      default:
        skipField(r, key, limit, 'AnyValue');
    }
  }
  expectEnd(r, limit, 'AnyValue');
  return value;
}

function readArrayValue(r: ProtobufReader, end: number, depth: number): JsonValue[] {
  const limit = r.delimitedEnd(end);
  const values: JsonValue[] = [];
  while (r.pos < limit) {
    const key = r.tag();
    if (key === tag(1, LEN)) values.push(readAnyValue(r, limit, depth));
    else skipField(r, key, limit, 'ArrayValue');
  }
  expectEnd(r, limit, 'ArrayValue');
  return values;
}

function readKeyValueList(r: ProtobufReader, end: number, depth: number): Record<string, JsonValue> {
  const limit = r.delimitedEnd(end);
  const values: Record<string, JsonValue> = {};
  while (r.pos < limit) {
    const key = r.tag();
    if (key === tag(1, LEN)) readKeyValue(r, limit, values, depth);
    else skipField(r, key, limit, 'KeyValueList');
  }
  expectEnd(r, limit, 'KeyValueList');
  return values;
}
