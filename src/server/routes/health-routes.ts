import { sql } from 'kysely';
import { Hono } from 'hono';
import type { AppEnv, ServerDeps } from '../app-env.js';
import { requireAuth } from '../require-auth.js';

/** /healthz (the process is up) and /readyz (the database answers): the only routes without a key. */
export function healthRoutes(deps: ServerDeps, state: { draining: () => boolean }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    if (state.draining()) return c.json({ status: 'draining' }, 503);
    try {
      await sql`select 1`.execute(deps.store.db);
      return c.json({ status: 'ready', database: deps.store.dialect });
    } catch (e) {
      return c.json({ status: 'unavailable', error: (e as Error).message }, 503);
    }
  });
  app.get('/metrics', requireAuth(deps, 'runs:read'), (c) => c.text(deps.metrics.render(), 200, { 'content-type': 'text/plain; version=0.0.4' }));
  return app;
}
