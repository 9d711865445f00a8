import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.js';
import { discardBody, type DiscardOutcome } from './discard-body.js';

/** What a route that refuses a body for its size answers. */
export type TooLargeAnswer = (c: Parameters<MiddlewareHandler<AppEnv>>[0], maxBytes: number) => Response | Promise<Response>;

/**
 * The JSON API's 413: `{ error: { code: 'too_large', message } }`, with `Connection: close`; the
 * rest of the body is then drained within the request's bound when it can be (requestBodyLimit),
 * which lifts the close.
 */
export const jsonTooLarge: TooLargeAnswer = (c, maxBytes) => {
  c.header('Connection', 'close');
  return c.json({ error: { code: 'too_large', message: `the request body is larger than ${maxBytes} bytes` } }, 413);
};

/** Thrown into a body stream that runs past its bound (a reader that did not count gets this error). */
export class BodyTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the request body is larger than ${maxBytes} bytes`);
  }
}

/** Milliseconds spent at most dropping the rest of a refused body before the connection is closed instead. */
const MAX_DRAIN_MS = 10_000;

/**
 * A bound on the body of every request, checked before anything reads it: a declared Content-Length
 * over `maxBytes(path)` answers 413 at once, with `Connection: close`; any other body is wrapped so
 * that it errors as soon as more than the bound has streamed in — nothing downstream can buffer past
 * it. Routes keep their own, tighter bounds (the JSON API per operation); `maxBytes` answers undefined
 * for a path that bounds (and drains) its body itself.
 *
 * A refusal answered before the body was read to its end (401, 403, 404, 413 of an operation's own
 * bound, 415, 503…) reads the rest of the body, within the same bound and 10 s, and drops it before
 * the answer leaves, so the client's keep-alive connection stays usable (the adapter would otherwise
 * drain it for a moment only, then cut the socket under a client still sending). Past the bound, or
 * too slow, the answer carries `Connection: close`.
 */
export function requestBodyLimit(maxBytes: (path: string) => number | undefined, tooLarge: TooLargeAnswer = jsonTooLarge): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const raw = c.req.raw;
    const limit = maxBytes(c.req.path);
    if (!raw.body || limit === undefined) return next();
    const declared = raw.headers.get('content-length');
    if (declared !== null && !raw.headers.has('transfer-encoding') && Number(declared) > limit) return tooLarge(c, limit);
    const body = new CountedBody(raw.body, limit);
    c.req.raw = new Request(raw, { body: body.stream, duplex: 'half' } as RequestInit);
    await next();
    await settleBody(c, body);
  };
}

/**
 * After the answer: a body read to its end needs nothing (a `Connection: close` set for it is lifted);
 * a body left unread or half read is drained when it can be (the stream is not held by a reader and
 * has not errored past its bound), else the connection closes.
 */
async function settleBody(c: Parameters<MiddlewareHandler<AppEnv>>[0], body: CountedBody): Promise<void> {
  let outcome: DiscardOutcome | 'done';
  if (body.ended) outcome = 'done';
  else if (!c.req.raw.body || c.req.raw.body.locked || body.overLimit) outcome = 'aborted';
  else outcome = await discardBody(c.req.raw, { maxBytes: Number.POSITIVE_INFINITY, maxMs: MAX_DRAIN_MS });
  try {
    if (outcome === 'done' || outcome === 'drained') {
      if (c.res.status >= 400) c.res.headers.delete('Connection');
    } else c.res.headers.set('Connection', 'close');
  } catch {
    // an immutable response (a static file): the adapter's own drain applies
  }
}

/**
 * A request body counted as it is read: it errors with BodyTooLargeError once more than `limit` bytes
 * came in (the source is released, not cancelled), and knows whether it was read to its end. Nothing
 * is read ahead of the reader (high-water mark 0), so an answer given without reading leaves the
 * source untouched for the drain.
 */
class CountedBody {
  readonly stream: ReadableStream<Uint8Array>;
  ended = false;
  overLimit = false;
  private seen = 0;

  constructor(source: ReadableStream<Uint8Array>, limit: number) {
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    this.stream = new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          reader ??= source.getReader();
          const { done, value } = await reader.read();
          if (done) {
            this.ended = true;
            controller.close();
            return;
          }
          this.seen += value.byteLength;
          if (this.seen > limit) {
            this.overLimit = true;
            reader.releaseLock();
            controller.error(new BodyTooLargeError(limit));
            return;
          }
          controller.enqueue(value);
        },
        cancel: (reason) => (reader ?? source).cancel(reason),
      },
      { highWaterMark: 0 },
    );
  }
}
