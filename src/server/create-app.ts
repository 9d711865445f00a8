import { Hono } from 'hono';
import { isEvalOpsError } from '../core/errors.js';
import type { AppEnv } from './app-env.js';
import { HTTP_STATUS } from './http-status.js';
import { httpExceptionAnswer } from './http-exception-answer.js';
import { DEFAULT_API_BODY_LIMITS } from './api-body-limits.js';
import { redactLogSecrets } from './redact-log-secrets.js';
import { requestBodyLimit } from './request-body-limit.js';
import { healthRoutes } from './routes/health-routes.js';
import { otlpRoutes, type OtlpDeps } from './routes/otlp-routes.js';
import { apiRoutes } from './routes/api-routes.js';
import { sessionRoutes } from './routes/session-routes.js';
import { webRoutes } from './routes/web-routes.js';
import { findWebRoot } from './web-root.js';
import { securityHeaders } from './security-headers.js';

export interface AppState {
  /** True once shutdown has begun: /readyz answers 503 so load balancers stop sending work. */
  readonly draining: () => boolean;
  /** The built web UI (default: the package's dist/web when built); null serves no UI. */
  readonly webRoot?: string | null;
}

/**
 * The HTTP app: health and metrics, and the JSON API under /api/v1. Errors are mapped once: an
 * EvalOpsError to its status with `{ error: { code, message } }`, anything else to 500 without
 * internals. Every request is counted and timed for /metrics.
 */
export function createApp(deps: OtlpDeps, state: AppState): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    const route = c.req.routePath || 'unmatched';
    const seconds = (performance.now() - started) / 1000;
    deps.metrics.observeRequest(route, c.req.method, c.res.status, seconds);
    const principal = c.get('principal') as AppEnv['Variables']['principal'] | undefined;
    const queryAt = c.req.url.indexOf('?');
    deps.log({
      level: c.res.status >= 500 ? 'error' : c.res.status >= 400 ? 'warn' : 'info',
      msg: 'request',
      method: c.req.method,
      route,
      path: redactLogSecrets(c.req.path),
      ...(queryAt >= 0 ? { query: redactLogSecrets(c.req.url.slice(queryAt)) } : {}),
      status: c.res.status,
      ms: Math.round(seconds * 10_000) / 10,
      ...(principal ? { key: `eo_${principal.keyPrefix}` } : {}),
    });
  });
  app.use('*', securityHeaders(deps.trustProxy === true));
  const apiLimits = deps.apiLimits ?? DEFAULT_API_BODY_LIMITS;
  const apiCeiling = Math.max(apiLimits.maxBodyBytes, apiLimits.maxImportBytes);
  // OTLP answers its own 413 (a google.rpc.Status) under its own bound; every other body is bounded here:
  // project routes (where the bulk imports are, each checked again per operation after the key) by the
  // larger limit, everything else — the sign-in included, which reads its body before any key — by the
  // ordinary one.
  app.use('*', requestBodyLimit((path) => (path === '/v1/traces' ? undefined : path.startsWith('/api/v1/projects/') ? apiCeiling : apiLimits.maxBodyBytes)));
  app.route('/', healthRoutes(deps, state));
  app.route('/', otlpRoutes(deps));
  app.route('/api/v1', sessionRoutes(deps));
  app.route('/api/v1', apiRoutes(deps));
  app.route('/', webRoutes(state.webRoot === null ? undefined : (state.webRoot ?? findWebRoot())));
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } }, 404));
  app.onError((e, c) => {
    if (isEvalOpsError(e)) return c.json({ error: { code: e.code, message: e.describe() } }, HTTP_STATUS[e.code]);
    const clientMistake = httpExceptionAnswer(e, c);
    if (clientMistake) return clientMistake;
    deps.log({ level: 'error', msg: 'unhandled error', path: redactLogSecrets(c.req.path), error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    return c.json({ error: { code: 'internal', message: 'internal error' } }, 500);
  });
  return app;
}
