import { z } from 'zod';
import type { PageAfter } from '../store/span-queries.js';

/**
 * Keyset paging: a cursor names the last row of a page (its sort time and id), so the next page
 * starts right after it and stays stable while new traces arrive. Opaque to clients (base64url JSON).
 *
 * @example decodePageCursor(encodePageCursor({ timeMs: 1, id: 'ab' })) // { ok: true, value: { timeMs: 1, id: 'ab' } }
 */
export function encodePageCursor(after: PageAfter): string {
  return Buffer.from(JSON.stringify([after.timeMs, after.id]), 'utf8').toString('base64url');
}

const CursorJson = z.tuple([z.number().finite(), z.string().min(1).max(200)]);

/** The zod schema of a cursor parameter: a string in, the position out. */
export const PageCursorSchema = z.string().transform((text, ctx): PageAfter => {
  let json: unknown;
  try {
    json = /^[A-Za-z0-9_-]{1,400}$/.test(text) ? JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) : undefined;
  } catch {
    json = undefined;
  }
  const parsed = CursorJson.safeParse(json);
  if (!parsed.success) {
    ctx.addIssue({ code: 'custom', message: 'not a cursor this server handed out (use nextCursor of the previous page)' });
    return z.NEVER;
  }
  return { timeMs: parsed.data[0], id: parsed.data[1] };
});
