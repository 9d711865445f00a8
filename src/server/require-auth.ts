import type { MiddlewareHandler } from 'hono';
import { authenticate } from '../auth/authenticate.js';
import { bearerToken } from '../auth/bearer-token.js';
import type { Permission } from '../auth/roles.js';
import type { AppEnv, ServerDeps } from './app-env.js';

/**
 * Authenticates the bearer key for a permission, scoped to the route's `:project` when it has one.
 * 401 (with WWW-Authenticate) for a missing, unknown or revoked key; 403 for another project's key or
 * a role too low — the message never says whether another project exists.
 */
export function requireAuth(deps: ServerDeps, permission: Permission): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const project = c.req.param('project');
    const auth = await authenticate(deps.store, bearerToken(c.req.header('authorization')), {
      permission,
      ...(project ? { project } : {}),
      onBookkeepingError: (e) => deps.log({ level: 'warn', msg: 'could not record key use', error: String(e) }),
    });
    if (!auth.ok) {
      if (auth.status === 401) c.header('WWW-Authenticate', 'Bearer');
      return c.json({ error: { code: auth.status === 401 ? 'unauthenticated' : 'forbidden', message: auth.message } }, auth.status);
    }
    c.set('principal', auth.principal);
    await next();
  };
}
