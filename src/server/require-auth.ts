import type { MiddlewareHandler } from 'hono';
import { authenticate } from '../auth/authenticate.js';
import { authenticateSession } from '../auth/authenticate-session.js';
import { bearerToken } from '../auth/bearer-token.js';
import type { Permission } from '../auth/roles.js';
import type { AppEnv, ServerDeps } from './app-env.js';
import { CSRF_HEADER, passesCsrfCheck, sessionIdOf } from './session-cookie.js';

/**
 * Authenticates the request's key for a permission, scoped to the route's `:project` when it has one.
 * The key comes from `Authorization: Bearer` or, for the web UI, from the server-side session the
 * cookie's opaque id names (then a write also needs the CSRF header). 401 (with WWW-Authenticate) for a missing, unknown or revoked
 * key; 403 for another project's key or a role too low — the message never says whether another
 * project exists.
 */
export function requireAuth(deps: ServerDeps, permission: Permission): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const project = c.req.param('project');
    const header = bearerToken(c.req.header('authorization'));
    const cookie = header === undefined ? sessionIdOf(c) : undefined;
    if (cookie !== undefined && !passesCsrfCheck(c)) {
      return c.json({ error: { code: 'forbidden', message: `a request signed in by cookie that changes something needs the ${CSRF_HEADER} header` } }, 403);
    }
    const options = {
      permission,
      ...(project ? { project } : {}),
      onBookkeepingError: (e: unknown) => deps.log({ level: 'warn', msg: 'could not record key use', error: String(e) }),
    };
    const auth = cookie !== undefined ? await authenticateSession(deps.store, cookie, options) : await authenticate(deps.store, header, options);
    if (!auth.ok) {
      if (auth.status === 401) c.header('WWW-Authenticate', 'Bearer');
      return c.json({ error: { code: auth.status === 401 ? 'unauthenticated' : 'forbidden', message: auth.message } }, auth.status);
    }
    c.set('principal', auth.principal);
    await next();
  };
}
