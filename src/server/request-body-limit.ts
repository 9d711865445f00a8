import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.js';

/** What a route that refuses a body for its size answers. */
export type TooLargeAnswer = (c: Parameters<MiddlewareHandler<AppEnv>>[0], maxBytes: number) => Response | Promise<Response>;

/** The JSON API's 413: `{ error: { code: 'too_large', message } }`, and the connection closed (the rest of the body is not read). */
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

/**
 * A bound on the body of every request, checked before anything reads it: a declared Content-Length
 * over `maxBytes(path)` answers 413 at once; a body without one (chunked) is wrapped so that it errors
 * as soon as more than the bound has streamed in — nothing downstream can buffer past it. Routes keep
 * their own, tighter bounds (the JSON API per operation); `maxBytes` answers undefined for a path
 * that bounds its body itself.
 */
export function requestBodyLimit(maxBytes: (path: string) => number | undefined, tooLarge: TooLargeAnswer = jsonTooLarge): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const raw = c.req.raw;
    const limit = maxBytes(c.req.path);
    if (!raw.body || limit === undefined) return next();
    const declared = raw.headers.get('content-length');
    if (declared !== null && !raw.headers.has('transfer-encoding')) {
      if (Number(declared) > limit) return tooLarge(c, limit);
      await next();
      return closeIfUnread(c);
    }
    let seen = 0;
    const counted = raw.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          seen += chunk.byteLength;
          if (seen > limit) controller.error(new BodyTooLargeError(limit));
          else controller.enqueue(chunk);
        },
      }),
    );
    c.req.raw = new Request(raw, { body: counted, duplex: 'half' } as RequestInit);
    await next();
    return closeIfUnread(c);
  };
}

/**
 * An answer given without reading the body (401, 404, 415, a GET-style route) closes the connection:
 * left open, the unread body is drained for at most a moment and the socket then cut, under a client
 * that may already be sending its next request on it.
 */
function closeIfUnread(c: Parameters<MiddlewareHandler<AppEnv>>[0]): void {
  if (c.req.raw.body && !c.req.raw.bodyUsed && !c.res.headers.has('connection')) {
    try {
      c.res.headers.set('Connection', 'close');
    } catch {
      // an immutable response (a static file): the adapter's own drain applies
    }
  }
}
