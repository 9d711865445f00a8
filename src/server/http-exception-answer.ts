import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

const CODE_OF_STATUS: Readonly<Record<number, string>> = { 400: 'input', 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 413: 'too_large', 415: 'unsupported_media_type' };

/**
 * The answer to an HTTPException thrown by Hono's own middleware (a validator's malformed body, a
 * media-type gate): its 4xx status with the usual `{ error: { code, message } }` — a client mistake
 * caught there is still the client's, not a 500. Undefined for anything else.
 */
export function httpExceptionAnswer(e: unknown, c: Context): Response | undefined {
  if (!(e instanceof HTTPException) || e.status >= 500) return undefined;
  const status = e.status as ContentfulStatusCode;
  return c.json({ error: { code: CODE_OF_STATUS[status] ?? 'input', message: e.message || 'bad request' } }, status);
}
