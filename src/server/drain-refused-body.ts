import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.js';
import { discardBody, type DiscardLimits } from './discard-body.js';

/**
 * Route middleware: once the route answered a refusal (any 4xx or 5xx: 401, 403, 413, 415, 429, 503)
 * without reading the whole body, the rest of the body is read and dropped before the answer is
 * sent (bounded by `limits`), so the client's keep-alive connection stays usable and it never sees a
 * reset; a body past the bounds gets `Connection: close` instead. Only for routes whose every
 * `Connection: close` is about an unread body: a drained body lifts it. A route that read its body to the
 * end costs nothing here (the stream is already done).
 */
export function drainRefusedBody(limits: () => DiscardLimits): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const body = c.req.raw.body;
    if (c.res.status < 400 || !body || body.locked) return;
    const outcome = await discardBody(c.req.raw, limits());
    try {
      // A `Connection: close` set inside because the body was unread (requestBodyLimit) is lifted once it is drained.
      if (outcome === 'drained') c.res.headers.delete('Connection');
      else c.res.headers.set('Connection', 'close');
    } catch {
      // an immutable response: the adapter's own drain applies
    }
  };
}
