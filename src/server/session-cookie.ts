import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

/**
 * The web UI's sign-in: the API key, kept in an http-only, SameSite=Strict cookie — never in the
 * page's storage, so script on the page cannot read it. Requests authenticated by the cookie that
 * change something must also carry `X-EvalOps-CSRF: 1`: a header another site cannot make a browser
 * send without a CORS preflight, which this server never grants.
 */
export const SESSION_COOKIE = 'evalops_session';
export const CSRF_HEADER = 'x-evalops-csrf';

/** Twelve hours: a working day, after which the UI asks for the key again. */
const MAX_AGE_SECONDS = 12 * 60 * 60;

export function sessionKeyOf(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

export function startSession(c: Context, key: string): void {
  setCookie(c, SESSION_COOKIE, key, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    maxAge: MAX_AGE_SECONDS,
    secure: new URL(c.req.url).protocol === 'https:',
  });
}

export function endSession(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}

/** Whether a cookie-authenticated request may go on: safe methods always, others with the CSRF header. */
export function passesCsrfCheck(c: Context): boolean {
  const method = c.req.method.toUpperCase();
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return true;
  return c.req.header(CSRF_HEADER) === '1';
}
