import type { SpanRejection } from './map-span.js';
import type { OtlpFormat } from './decode-otlp-request.js';

/** OTLP `ExportTracePartialSuccess`: how many spans of a request were rejected, and why. */
export interface PartialSuccess {
  readonly rejectedSpans: number;
  readonly errorMessage: string;
}

/** Rejections named in the error message; the rest are counted. */
const NAMED_REJECTIONS = 5;

/**
 * The partial success to answer for these rejections, or `undefined` when every span was accepted
 * (OTLP wants the field left out then).
 * @example partialSuccess([{ index: 2, reason: 'spanId is missing' }], 10)
 * // { rejectedSpans: 1, errorMessage: '1 of 10 spans rejected: span 2: spanId is missing' }
 */
export function partialSuccess(rejected: readonly SpanRejection[], totalSpans: number): PartialSuccess | undefined {
  if (rejected.length === 0) return undefined;
  const named = rejected.slice(0, NAMED_REJECTIONS).map((r) => `span ${r.index}: ${r.reason}`);
  const more = rejected.length > NAMED_REJECTIONS ? `; and ${rejected.length - NAMED_REJECTIONS} more` : '';
  return {
    rejectedSpans: rejected.length,
    errorMessage: `${rejected.length} of ${totalSpans} spans rejected: ${named.join('; ')}${more}`,
  };
}

/**
 * The body of an `ExportTraceServiceResponse` in the request's encoding: protobuf bytes or JSON text
 * (an empty message — zero bytes, or `{}` — when nothing was rejected).
 * @example encodeOtlpTraceResponse('json', { rejectedSpans: 1, errorMessage: 'x' })
 * // '{"partialSuccess":{"rejectedSpans":"1","errorMessage":"x"}}'
 */
export function encodeOtlpTraceResponse(format: OtlpFormat, partial: PartialSuccess | undefined): Uint8Array | string {
  if (format === 'json') {
    if (partial === undefined) return '{}';
    // int64 is a decimal string in the protobuf JSON mapping.
    return JSON.stringify({
      partialSuccess: { rejectedSpans: String(partial.rejectedSpans), errorMessage: partial.errorMessage },
    });
  }
  if (partial === undefined) return new Uint8Array(0);
  const message = Buffer.from(partial.errorMessage, 'utf8');
  const inner = [0x08, ...varint(partial.rejectedSpans), 0x12, ...varint(message.length)];
  const innerLength = inner.length + message.length;
  const head = Uint8Array.from([0x0a, ...varint(innerLength), ...inner]);
  return Buffer.concat([head, message]);
}

function varint(value: number): number[] {
  const bytes: number[] = [];
  let v = Math.max(0, Math.floor(value));
  while (v >= 0x80) {
    bytes.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  bytes.push(v);
  return bytes;
}
