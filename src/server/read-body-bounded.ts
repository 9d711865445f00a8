import { BodyTooLargeError } from './request-body-limit.js';

/** A request body read whole, or `too_large` once more than the bound arrived (reading stopped there). */
export type BoundedBody = { readonly ok: true; readonly bytes: Uint8Array } | { readonly ok: false; readonly reason: 'too_large' | 'aborted' | 'refused' };

/**
 * Reads a request body up to `maxBytes`, counting as it streams: a body sent in chunks without a
 * Content-Length is cut off at the bound instead of being buffered to its end. The caller answers
 * 413, after dropping the rest of the body (discardBody) or with `Connection: close`. `admit` is told each chunk's
 * size before it is kept (admission control); false stops with `refused`.
 * @example const body = await readBodyBounded(c.req.raw, 1024 * 1024); if (!body.ok) return tooLarge(c)
 */
export async function readBodyBounded(request: Request, maxBytes: number, admit?: (bytes: number) => boolean): Promise<BoundedBody> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) return { ok: false, reason: 'too_large' };
  if (!request.body) return { ok: true, bytes: new Uint8Array(0) };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      // The lock is released, not the stream cancelled: the caller may read the rest and drop it
      // (discardBody) so the connection stays usable.
      if (total > maxBytes) {
        reader.releaseLock();
        return { ok: false, reason: 'too_large' };
      }
      if (admit && !admit(value.byteLength)) {
        reader.releaseLock();
        return { ok: false, reason: 'refused' };
      }
      chunks.push(value);
    }
  } catch (e) {
    // The floor bound of every body (requestBodyLimit) stopped the stream first.
    return { ok: false, reason: e instanceof BodyTooLargeError ? 'too_large' : 'aborted' };
  }
  if (chunks.length === 1) return { ok: true, bytes: chunks[0]! };
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}
