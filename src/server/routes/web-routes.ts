import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';

/**
 * The web UI: the built files of `web/` (dist/web), with hashed assets cached for a year, and
 * index.html for every other GET so the UI's own routes (/runs/…) load on refresh. Mounted last,
 * after the API and OTLP routes, which it never shadows.
 */
export function webRoutes(webRoot: string | undefined): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  if (webRoot === undefined) {
    app.get('/', (c) => c.json({ message: 'the web UI is not built: run `npm run build`; the API is under /api/v1' }, 404));
    return app;
  }
  app.use('/assets/*', async (c, next) => {
    await next();
    if (c.res.status === 200) c.header('Cache-Control', 'public, max-age=31536000, immutable');
  });
  app.use('/assets/*', serveStatic({ root: webRoot }));
  app.get('/favicon.svg', serveStatic({ root: webRoot }));
  app.get('*', async (c, next) => {
    if (c.req.path.startsWith('/api/') || c.req.path.startsWith('/v1/')) return next();
    c.header('Cache-Control', 'no-cache');
    return serveStatic({ root: webRoot, path: 'index.html' })(c, next);
  });
  return app;
}
