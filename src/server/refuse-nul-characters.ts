import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.js';

/**
 * 400 for a NUL character in a path parameter or query value: no text column stores one (PostgreSQL
 * refuses it outright), so it is refused here on both databases alike, naming the field, instead of
 * failing in the database as a 500.
 */
export const refuseNulCharacters: MiddlewareHandler<AppEnv> = async (c, next) => {
  for (const [name, value] of Object.entries(c.req.param() as Record<string, string>)) {
    if (value.includes('\u0000')) return c.json({ error: { code: 'usage', message: `path field ${name}: contains a NUL character` } }, 400);
  }
  for (const [name, values] of Object.entries(c.req.queries())) {
    if (name.includes('\u0000') || values.some((v) => v.includes('\u0000'))) return c.json({ error: { code: 'usage', message: `query field ${name.replaceAll('\u0000', '\\u0000')}: contains a NUL character` } }, 400);
  }
  return next();
};

/** Whether JSON text holds a NUL character, raw or as the escape `\u0000` (an escaped backslash before `u0000` is not one). */
export function jsonHasNul(text: string): boolean {
  return text.includes('\u0000') || /(?:^|[^\\])(?:\\\\)*\\u0000/i.test(text);
}
