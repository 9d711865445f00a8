import { EvalOpsError } from '../core/errors.js';
import type { JsonValue } from '../core/json.js';
import { setAttribute, type OtlpDecodeResult, type OtlpEvent, type OtlpScope, type OtlpSpan } from './otlp-span.js';

/**
 * Decodes a parsed OTLP/JSON body (the protobuf JSON mapping of `ExportTraceServiceRequest`) into OTLP
 * spans, in wire order, following the OTLP spec's JSON rules: lowerCamelCase field names (snake_case
 * accepted too), trace and span ids as hex strings (base64 of the right length accepted too, as some
 * generic protobuf-JSON encoders send it), int64 as decimal strings or numbers, enums as integers (or
 * their names), unknown fields ignored.
 *
 * A body whose envelope is wrong (not an object, `resourceSpans` not a list, …) gives
 * `{ ok: false, error }` (code `input`) naming the path. A single malformed span (a field of the wrong
 * type) comes back with `problem` set, so mapping rejects it alone and keeps the others.
 * @example decodeOtlpJson({ resourceSpans: [] }) // { ok: true, spans: [] }
 */
export function decodeOtlpJson(body: unknown): OtlpDecodeResult {
  try {
    const spans: OtlpSpan[] = [];
    const request = asObject(body, 'the body');
    const resourceSpans = optionalList(field(request, 'resourceSpans', 'resource_spans'), 'resourceSpans');
    resourceSpans.forEach((rs, i) => readResourceSpans(rs, `resourceSpans[${i}]`, spans));
    return { ok: true, spans };
  } catch (e) {
    if (e instanceof ShapeError) {
      return { ok: false, error: new EvalOpsError('input', `malformed OTLP JSON body: ${e.message}`, { details: { reason: 'malformed' } }) };
    }
    return { ok: false, error: new EvalOpsError('internal', `OTLP JSON decoding failed: ${String(e)}`, { cause: e }) };
  }
}

class ShapeError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`${path}: ${detail}`);
  }
}

const NO_SCOPE: OtlpScope = { name: '', version: '' };
const MAX_VALUE_DEPTH = 32;

type JsonObject = Record<string, unknown>;

function readResourceSpans(value: unknown, path: string, out: OtlpSpan[]): void {
  const rs = asObject(value, path);
  const resourceValue = field(rs, 'resource', 'resource');
  const resource =
    resourceValue === undefined || resourceValue === null
      ? {}
      : readAttributes(field(asObject(resourceValue, `${path}.resource`), 'attributes', 'attributes'), `${path}.resource.attributes`);
  const scopeSpans = optionalList(field(rs, 'scopeSpans', 'scope_spans'), `${path}.scopeSpans`);
  scopeSpans.forEach((ss, j) => {
    const ssPath = `${path}.scopeSpans[${j}]`;
    const scopeSpan = asObject(ss, ssPath);
    const scope = readScope(field(scopeSpan, 'scope', 'scope'), `${ssPath}.scope`);
    const spans = optionalList(field(scopeSpan, 'spans', 'spans'), `${ssPath}.spans`);
    spans.forEach((s, k) => out.push(readSpanOrProblem(s, `${ssPath}.spans[${k}]`, resource, scope)));
  });
}

function readScope(value: unknown, path: string): OtlpScope {
  if (value === undefined || value === null) return NO_SCOPE;
  const scope = asObject(value, path);
  return {
    name: optionalString(field(scope, 'name', 'name'), `${path}.name`),
    version: optionalString(field(scope, 'version', 'version'), `${path}.version`),
  };
}

function readSpanOrProblem(value: unknown, path: string, resource: Record<string, JsonValue>, scope: OtlpScope): OtlpSpan {
  try {
    return readSpan(asObject(value, path), path, resource, scope);
  } catch (e) {
    if (!(e instanceof ShapeError)) throw e;
    const raw = value !== null && typeof value === 'object' ? (value as JsonObject) : {};
    const id = (camel: string, snake: string) => {
      const v = field(raw, camel, snake);
      return typeof v === 'string' ? v : '';
    };
    return {
      resource,
      scope,
      traceId: id('traceId', 'trace_id'),
      spanId: id('spanId', 'span_id'),
      parentSpanId: '',
      name: '',
      kind: 0,
      startTimeUnixNano: 0n,
      endTimeUnixNano: 0n,
      attributes: {},
      events: [],
      statusCode: 0,
      statusMessage: '',
      problem: e.message,
    };
  }
}

function readSpan(span: JsonObject, path: string, resource: Record<string, JsonValue>, scope: OtlpScope): OtlpSpan {
  const status = field(span, 'status', 'status');
  const statusObject = status === undefined || status === null ? {} : asObject(status, `${path}.status`);
  const events = optionalList(field(span, 'events', 'events'), `${path}.events`);
  return {
    resource,
    scope,
    traceId: readId(field(span, 'traceId', 'trace_id'), 16, `${path}.traceId`),
    spanId: readId(field(span, 'spanId', 'span_id'), 8, `${path}.spanId`),
    parentSpanId: readId(field(span, 'parentSpanId', 'parent_span_id'), 8, `${path}.parentSpanId`),
    name: optionalString(field(span, 'name', 'name'), `${path}.name`),
    kind: readEnum(field(span, 'kind', 'kind'), SPAN_KIND_NAMES, `${path}.kind`),
    startTimeUnixNano: readNanos(field(span, 'startTimeUnixNano', 'start_time_unix_nano'), `${path}.startTimeUnixNano`),
    endTimeUnixNano: readNanos(field(span, 'endTimeUnixNano', 'end_time_unix_nano'), `${path}.endTimeUnixNano`),
    attributes: readAttributes(field(span, 'attributes', 'attributes'), `${path}.attributes`),
    events: events.map((e, i) => readEvent(e, `${path}.events[${i}]`)),
    statusCode: readEnum(field(statusObject, 'code', 'code'), STATUS_CODE_NAMES, `${path}.status.code`),
    statusMessage: optionalString(field(statusObject, 'message', 'message'), `${path}.status.message`),
  };
}

function readEvent(value: unknown, path: string): OtlpEvent {
  const event = asObject(value, path);
  return {
    timeUnixNano: readNanos(field(event, 'timeUnixNano', 'time_unix_nano'), `${path}.timeUnixNano`),
    name: optionalString(field(event, 'name', 'name'), `${path}.name`),
    attributes: readAttributes(field(event, 'attributes', 'attributes'), `${path}.attributes`),
  };
}

const SPAN_KIND_NAMES = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
];
const STATUS_CODE_NAMES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

function readEnum(value: unknown, names: readonly string[], path: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string') {
    const index = names.indexOf(value);
    if (index >= 0) return index;
  }
  throw new ShapeError(path, `must be an integer or one of ${names.join(', ')}, got ${describe(value)}`);
}

function readNanos(value: unknown, path: string): bigint {
  if (value === undefined || value === null) return 0n;
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return BigInt(Math.round(value));
  throw new ShapeError(path, `must be unsigned nanoseconds as a decimal string or number, got ${describe(value)}`);
}

const HEX = /^[0-9a-fA-F]*$/;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** Hex of the right length → lowercase; base64 of exactly `bytes` bytes → hex; anything else as given. */
function readId(value: unknown, bytes: number, path: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new ShapeError(path, `must be a hex string, got ${describe(value)}`);
  if (value.length === bytes * 2 && HEX.test(value)) return value.toLowerCase();
  if (value.length > 0 && value.length <= Math.ceil(bytes / 3) * 4 && BASE64.test(value)) {
    const decoded = Buffer.from(value, 'base64');
    if (decoded.length === bytes) return decoded.toString('hex');
  }
  return value;
}

function readAttributes(value: unknown, path: string): Record<string, JsonValue> {
  const attributes: Record<string, JsonValue> = {};
  optionalList(value, path).forEach((kv, i) => readKeyValue(kv, `${path}[${i}]`, attributes, 0));
  return attributes;
}

function readKeyValue(value: unknown, path: string, target: Record<string, JsonValue>, depth: number): void {
  const kv = asObject(value, path);
  const key = kv.key;
  if (typeof key !== 'string') throw new ShapeError(`${path}.key`, `must be a string, got ${describe(key)}`);
  setAttribute(target, key, readAnyValue(kv.value, `${path}.value`, depth));
}

function readAnyValue(value: unknown, path: string, depth: number): JsonValue {
  if (value === undefined || value === null) return null;
  if (depth >= MAX_VALUE_DEPTH) throw new ShapeError(path, `nested deeper than ${MAX_VALUE_DEPTH} levels`);
  const any = asObject(value, path);
  for (const key in any) {
    const v = any[key];
    switch (key) {
      case 'stringValue':
      case 'string_value':
        if (typeof v !== 'string') throw new ShapeError(`${path}.${key}`, `must be a string, got ${describe(v)}`);
        return v;
      case 'boolValue':
      case 'bool_value':
        if (typeof v !== 'boolean') throw new ShapeError(`${path}.${key}`, `must be a boolean, got ${describe(v)}`);
        return v;
      case 'intValue':
      case 'int_value':
        return readInt(v, `${path}.${key}`);
      case 'doubleValue':
      case 'double_value':
        return readDouble(v, `${path}.${key}`);
      case 'arrayValue':
      case 'array_value':
        return optionalList(listValues(v, `${path}.${key}`), `${path}.${key}.values`).map((item, i) =>
          readAnyValue(item, `${path}.${key}.values[${i}]`, depth + 1),
        );
      case 'kvlistValue':
      case 'kvlist_value': {
        const out: Record<string, JsonValue> = {};
        optionalList(listValues(v, `${path}.${key}`), `${path}.${key}.values`).forEach((kv, i) =>
          readKeyValue(kv, `${path}.${key}.values[${i}]`, out, depth + 1),
        );
        return out;
      }
      case 'bytesValue':
      case 'bytes_value':
        if (typeof v !== 'string') throw new ShapeError(`${path}.${key}`, `must be base64 text, got ${describe(v)}`);
        return v;
      default:
        // Unknown members of AnyValue are ignored, as for any message.
        break;
    }
  }
  return null;
}

function listValues(value: unknown, path: string): unknown {
  if (value === undefined || value === null) return undefined;
  return asObject(value, path).values;
}

function readInt(value: unknown, path: string): number | string {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d{1,20}$/.test(value)) {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : BigInt(value).toString();
  }
  throw new ShapeError(path, `must be an integer (decimal string or number), got ${describe(value)}`);
}

function readDouble(value: unknown, path: string): number | string {
  if (typeof value === 'number') return value;
  if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  throw new ShapeError(path, `must be a number, got ${describe(value)}`);
}

function field(o: JsonObject, camel: string, snake: string): unknown {
  const v = o[camel];
  return v === undefined ? o[snake] : v;
}

function asObject(value: unknown, path: string): JsonObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ShapeError(path, `must be an object, got ${describe(value)}`);
  }
  return value as JsonObject;
}

function optionalList(value: unknown, path: string): readonly unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ShapeError(path, `must be a list, got ${describe(value)}`);
  return value;
}

function optionalString(value: unknown, path: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new ShapeError(path, `must be a string, got ${describe(value)}`);
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
