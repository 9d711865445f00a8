import type { Context, MiddlewareHandler } from 'hono';
import { jsonShapeProblem, type JsonShapeLimits } from '../core/json-shape-problem.js';
import type { IngestAdmission } from '../ingest/ingest-admission.js';
import { inflateGzipBounded } from '../ingest/inflate-gzip-bounded.js';
import type { AppEnv } from './app-env.js';
import { readBodyBounded } from './read-body-bounded.js';
import { jsonHasNul } from './refuse-nul-characters.js';
import { jsonTooLarge } from './request-body-limit.js';

export interface JsonBodyLimits extends JsonShapeLimits {
  /** Largest body, in bytes, counted after gzip is undone. */
  readonly maxBytes: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads and checks a JSON API body, after the key is authenticated (route middleware runs before the
 * validators): `application/json` only (415 otherwise), gzip or identity (415 otherwise), at most
 * `maxBytes` before and after inflating (413, reading stops at the bound), UTF-8, not empty, within
 * the depth and array-length limits and well-formed (400 naming what is wrong). The text is handed to
 * the route's validator through Hono's body cache, so the body is read once. Bytes being read and
 * inflated are charged to `admission` (shared by every JSON API route): past its bound, 503 with
 * Retry-After, as for OTLP ingest.
 */
export function readJsonBody(limits: JsonBodyLimits, admission: IngestAdmission): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const contentType = c.req.header('content-type');
    const mediaType = contentType?.split(';', 1)[0]?.trim().toLowerCase() ?? '';
    if (mediaType !== 'application/json' && !(mediaType === '' && !c.req.raw.body)) {
      return unsupported(c, `Content-Type ${JSON.stringify(contentType ?? '')} is not accepted: send the body as application/json`);
    }
    const encoding = c.req.header('content-encoding')?.trim().toLowerCase() ?? '';
    if (encoding !== '' && encoding !== 'identity' && encoding !== 'gzip' && encoding !== 'x-gzip') {
      return unsupported(c, `Content-Encoding ${JSON.stringify(encoding)} is not accepted: send gzip or no encoding`);
    }
    // Bodies being read and decoded at once are bounded across all requests, counted as they arrive and inflate.
    const admitted = admission.tryAdmit(0);
    if (!admitted.ok) return overloaded(c, admitted.retryAfterSeconds);
    try {
      const read = await readBodyBounded(c.req.raw, limits.maxBytes, admitted.charge);
      if (!read.ok) {
        if (read.reason === 'refused') return overloaded(c, 1);
        return read.reason === 'too_large' ? jsonTooLarge(c, limits.maxBytes) : c.json({ error: { code: 'input', message: 'body: the request body was cut off' } }, 400);
      }
      let bytes = read.bytes;
      if (encoding === 'gzip' || encoding === 'x-gzip') {
        const inflated = await inflateGzipBounded(bytes, limits.maxBytes, admitted.charge);
        if (!inflated.ok) {
          if (inflated.reason === 'refused') return overloaded(c, 1);
          return inflated.reason === 'too_large' ? jsonTooLarge(c, limits.maxBytes) : c.json({ error: { code: 'input', message: `body: ${inflated.message}` } }, 400);
        }
        bytes = inflated.bytes;
      }
      const problem = problemOf(bytes, limits);
      if (typeof problem === 'string') return c.json({ error: { code: 'input', message: problem } }, 400);
      // The validator reads the body through c.req.json(), which takes the cached text.
      (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(problem.text);
      return await next();
    } finally {
      admitted.release();
    }
  };
}

/** 503 with Retry-After: too many body bytes are being read at once; the client may retry. */
function overloaded(c: Context<AppEnv>, retryAfterSeconds: number): Response {
  c.header('Retry-After', String(retryAfterSeconds));
  c.header('Connection', 'close');
  return c.json({ error: { code: 'overloaded', message: `too many request bodies are being received; retry after ${retryAfterSeconds} s` } }, 503);
}

/**
 * 415, answered without reading the body: the connection is closed, as the unread rest of a body on a
 * kept-alive socket would otherwise be drained for a while and then cut under the client's next request.
 */
function unsupported(c: Context<AppEnv>, message: string): Response {
  c.header('Connection', 'close');
  return c.json({ error: { code: 'unsupported_media_type', message } }, 415);
}

function problemOf(bytes: Uint8Array, limits: JsonShapeLimits): string | { text: string } {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return 'body: not valid UTF-8';
  }
  if (text.trim() === '') return 'body: empty; send a JSON object';
  if (jsonHasNul(text)) return 'body: contains a NUL character (\\u0000), which cannot be stored';
  const shape = jsonShapeProblem(text, limits);
  if (shape !== undefined) return shape;
  try {
    JSON.parse(text);
  } catch (e) {
    return `body: not valid JSON (${e instanceof Error ? e.message : String(e)})`;
  }
  return { text };
}
