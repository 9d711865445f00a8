import type { JsonValue } from '../core/json.js';
import type { EvalOpsError } from '../core/errors.js';

/**
 * One span as OTLP carried it, after wire decoding (protobuf or JSON) and before semantic mapping:
 * the common shape both decoders produce, so mapping and validation are written once.
 *
 * Ids are lowercase hex when the wire gave something recognisable ('' when absent); they are *not*
 * validated here — a span with a bad id is rejected by itself in mapping, not the whole request.
 * Times are nanoseconds since the Unix epoch (0n when absent). Attribute values are converted to JSON:
 * int64 beyond ±2^53 becomes a decimal string, bytes become base64 text.
 */
export interface OtlpSpan {
  /** Resource attributes; the same object is shared by every span of one ResourceSpans. */
  readonly resource: Readonly<Record<string, JsonValue>>;
  readonly scope: OtlpScope;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly name: string;
  /** OTLP SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  readonly kind: number;
  readonly startTimeUnixNano: bigint;
  readonly endTimeUnixNano: bigint;
  readonly attributes: Readonly<Record<string, JsonValue>>;
  readonly events: readonly OtlpEvent[];
  /** OTLP StatusCode: 0 unset, 1 ok, 2 error. */
  readonly statusCode: number;
  readonly statusMessage: string;
  /** Set when the decoder found this span malformed (e.g. a JSON field of the wrong type). */
  readonly problem?: string;
}

export interface OtlpScope {
  readonly name: string;
  readonly version: string;
}

export interface OtlpEvent {
  readonly timeUnixNano: bigint;
  readonly name: string;
  readonly attributes: Readonly<Record<string, JsonValue>>;
}

/**
 * Sets `key` on an attribute map. A key of `__proto__` would change the object's prototype under
 * plain assignment; it is defined as an own property instead, so attribute keys can never do that.
 */
export function setAttribute(target: Record<string, JsonValue>, key: string, value: JsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** What a decoder returns: the spans of a request in wire order, or why the request is unreadable. */
export type OtlpDecodeResult =
  | { readonly ok: true; readonly spans: OtlpSpan[] }
  | { readonly ok: false; readonly error: EvalOpsError };
