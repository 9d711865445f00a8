import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { WEB_SESSION_TTL_MS, type StartedWebSession } from '../store/web-session-repository.js';

/**
 * The web UI's sign-in cookie: an opaque random session id (src/store/web-session-repository.ts),
 * never the API key; http-only and SameSite=Strict, so script on the page cannot read it and other
 * sites cannot send it. `Secure` when the request came over https: directly, or — only when the
 * operator trusts the proxy in front (`--trust-proxy`) — as that proxy's X-Forwarded-Proto says.
 * Requests authenticated by the cookie that change something must also carry `X-EvalOps-CSRF: 1`:
 * a header another site cannot make a browser send without a CORS preflight, which this server
 * never grants.
 */
export const SESSION_COOKIE = 'evalops_session';
export const CSRF_HEADER = 'x-evalops-csrf';

export function sessionIdOf(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

/**
 * Whether the browser talks to us over https. X-Forwarded-Proto is a header anyone can send, so it
 * counts only behind a proxy the operator vouches for; then its first (client-side) value is used.
 */
export function isHttps(c: Context, trustProxy: boolean): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  if (!trustProxy) return false;
  const forwarded = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return forwarded === 'https';
}

export function startSession(c: Context, session: StartedWebSession, trustProxy: boolean): void {
  setCookie(c, SESSION_COOKIE, session.id, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    // As long as the session it names (absolute expiry); the server's expiry is what counts.
    maxAge: Math.floor(WEB_SESSION_TTL_MS / 1000),
    secure: isHttps(c, trustProxy),
  });
}

export function endSession(c: Context, trustProxy: boolean): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'Strict', secure: isHttps(c, trustProxy) });
}

/** Whether a cookie-authenticated request may go on: safe methods always, others with the CSRF header. */
export function passesCsrfCheck(c: Context): boolean {
  const method = c.req.method.toUpperCase();
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return true;
  return c.req.header(CSRF_HEADER) === '1';
}
