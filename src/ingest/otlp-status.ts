import type { OtlpFormat } from './decode-otlp-request.js';

/** The gRPC status codes OTLP/HTTP error answers use (google.rpc.Code). */
export const GRPC_CODE = {
  INVALID_ARGUMENT: 3,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
} as const;
export type GrpcCode = (typeof GRPC_CODE)[keyof typeof GRPC_CODE];

/** A `google.rpc.Status` without details: what OTLP/HTTP puts in the body of a failed request. */
export interface OtlpStatus {
  readonly code: GrpcCode;
  readonly message: string;
}

/**
 * The body of a failed OTLP/HTTP request: a `google.rpc.Status` (code = 1 int32, message = 2 string,
 * details = 3 repeated Any, left empty) in the request's encoding — protobuf bytes for protobuf
 * requests, the protobuf JSON mapping for JSON requests (and when the request's encoding is unknown).
 * @example encodeOtlpStatus('json', { code: 14, message: 'the ingest queue is full' })
 * // '{"code":14,"message":"the ingest queue is full","details":[]}'
 */
export function encodeOtlpStatus(format: OtlpFormat | undefined, status: OtlpStatus): Uint8Array | string {
  if (format !== 'protobuf') return JSON.stringify({ code: status.code, message: status.message, details: [] });
  const message = Buffer.from(status.message, 'utf8');
  const head = Uint8Array.from([0x08, ...varint(status.code), 0x12, ...varint(message.length)]);
  return Buffer.concat([head, message]);
}

function varint(value: number): number[] {
  const bytes: number[] = [];
  let v = value;
  while (v >= 0x80) {
    bytes.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  bytes.push(v);
  return bytes;
}
