import { EvalOpsError } from '../core/errors.js';
import { decodeOtlpJson } from './decode-otlp-json.js';
import { decodeOtlpProtobuf } from './decode-otlp-protobuf.js';
import { inflateGzipBounded } from './inflate-gzip-bounded.js';
import type { OtlpDecodeResult } from './otlp-span.js';

/**
 * One OTLP/HTTP trace request body → OTLP spans: picks the decoder from the Content-Type, undoes a
 * gzip Content-Encoding (bounded, so a small compressed body cannot expand without limit), decodes.
 * Every failure is a value: an `input` EvalOpsError whose `details.reason` tells the edge which status
 * to answer (415 unsupported_media_type or unsupported_encoding, 413 body_too_large, 400 malformed, 503
 * overloaded when `admitInflated` refused).
 * @example await decodeOtlpRequest({ body, contentType: 'application/x-protobuf', contentEncoding: 'gzip' })
 */
export async function decodeOtlpRequest(request: OtlpRequest): Promise<OtlpDecodeResult> {
  const format = otlpFormatOf(request.contentType);
  if (format === undefined) {
    return failure(
      'unsupported_media_type',
      `unsupported Content-Type ${JSON.stringify(request.contentType ?? '')}; OTLP/HTTP takes application/x-protobuf or application/json`,
    );
  }
  const maxBytes = request.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const body = await decompress(request.body, request.contentEncoding, maxBytes, request.admitInflated);
  if (!(body instanceof Uint8Array)) return body;
  if (body.byteLength > maxBytes) return tooLarge(maxBytes);
  if (format === 'protobuf') return decodeOtlpProtobuf(body);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch (e) {
    return failure('malformed', `malformed OTLP JSON body: ${e instanceof Error ? e.message : String(e)}`);
  }
  return decodeOtlpJson(parsed);
}

export interface OtlpRequest {
  readonly body: Uint8Array;
  readonly contentType?: string | undefined;
  readonly contentEncoding?: string | undefined;
  /** Largest body accepted after decompression; default 32 MiB. */
  readonly maxBodyBytes?: number | undefined;
  /** Told the size of each inflated chunk of a gzip body; false stops with reason `overloaded` (admission control). */
  readonly admitInflated?: ((bytes: number) => boolean) | undefined;
}

export type OtlpFormat = 'protobuf' | 'json';

/** Why a request could not be decoded, in `error.details.reason`. */
export type OtlpRequestErrorReason = 'unsupported_media_type' | 'unsupported_encoding' | 'body_too_large' | 'malformed' | 'overloaded';

export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * The OTLP encoding of a Content-Type, ignoring parameters and case.
 * @example otlpFormatOf('application/json; charset=utf-8') // 'json'
 */
export function otlpFormatOf(contentType: string | undefined): OtlpFormat | undefined {
  const mediaType = contentType?.split(';', 1)[0]?.trim().toLowerCase();
  if (mediaType === 'application/x-protobuf' || mediaType === 'application/protobuf') return 'protobuf';
  if (mediaType === 'application/json') return 'json';
  return undefined;
}

async function decompress(
  body: Uint8Array,
  encoding: string | undefined,
  maxBytes: number,
  admit: ((bytes: number) => boolean) | undefined,
): Promise<Uint8Array | { ok: false; error: EvalOpsError }> {
  const name = encoding?.trim().toLowerCase() ?? '';
  if (name === '' || name === 'identity') return body;
  if (name !== 'gzip' && name !== 'x-gzip') {
    return failure('unsupported_encoding', `unsupported Content-Encoding ${JSON.stringify(encoding)}; OTLP/HTTP takes gzip or none`);
  }
  if (body.byteLength > maxBytes) return tooLarge(maxBytes);
  const inflated = await inflateGzipBounded(body, maxBytes, admit);
  if (inflated.ok) return inflated.bytes;
  if (inflated.reason === 'too_large') return tooLarge(maxBytes);
  return failure(inflated.reason === 'refused' ? 'overloaded' : 'malformed', inflated.message);
}

function tooLarge(maxBytes: number): { ok: false; error: EvalOpsError } {
  return failure('body_too_large', `the decompressed body is larger than ${maxBytes} bytes`);
}

function failure(reason: OtlpRequestErrorReason, message: string): { ok: false; error: EvalOpsError } {
  return { ok: false, error: new EvalOpsError('input', message, { details: { reason } }) };
}
