import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from './app-env.js';
import { isHttps } from './session-cookie.js';

/**
 * Browser hardening on every response (the UI's HTML and assets, and the API): a strict
 * Content-Security-Policy — scripts, styles and everything else only from this origin, no inline
 * script or style element, no plugins, no <base>, no framing, forms posting only here —
 * `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer` (URLs hold run and trace ids),
 * and `X-Frame-Options: DENY` for browsers that predate frame-ancestors. The built UI has no inline
 * script or style; React's `style={{…}}` writes through the CSSOM, which style-src does not govern.
 * HSTS is sent only when the request came over https (directly, or by a trusted proxy's word),
 * since a browser ignores it over http and an operator on plain http must not be locked out.
 */
export function securityHeaders(trustProxy: boolean): MiddlewareHandler<AppEnv> {
  const headers = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
      formAction: ["'self'"],
    },
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    strictTransportSecurity: false,
  });
  return async (c, next) => {
    await headers(c, next);
    if (isHttps(c, trustProxy)) c.header('Strict-Transport-Security', 'max-age=15552000');
  };
}
