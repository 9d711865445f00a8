import { createRoute, OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import type { ApiContext } from '../../api/api-context.js';
import { ErrorBodySchema } from '../../api/api-schemas.js';
import type { Operation } from '../../api/operation.js';
import { OPERATIONS } from '../../api/operations.js';
import { describeIssues } from '../../api/parse-operation-input.js';
import { IngestAdmission } from '../../ingest/ingest-admission.js';
import type { AppEnv, ServerDeps } from '../app-env.js';
import { requireAuth } from '../require-auth.js';
import { actorOf } from '../actor-of.js';
import { DEFAULT_API_BODY_LIMITS } from '../api-body-limits.js';
import { readJsonBody } from '../read-json-body.js';
import { refuseNulCharacters } from '../refuse-nul-characters.js';
import { jsonTooLarge } from '../request-body-limit.js';

const ERROR_RESPONSES = {
  400: 'the path, query or body is invalid (the message names the field)',
  401: 'no key, or an unknown or revoked key',
  403: "the key's role or project does not allow this",
  404: 'the project or the thing named does not exist',
  409: 'the state does not allow this',
} as const;

const BODY_ERROR_RESPONSES = {
  413: 'the body is larger than the limit (after gzip is undone)',
  503: 'too many request bodies are being received at once; retry after the Retry-After seconds',
  415: 'the body is not application/json, or its Content-Encoding is not gzip',
} as const;

/**
 * The JSON API under /api/v1: every operation of src/api/operations.ts as a route that checks the
 * key's permission, validates the path, query and body with the operation's schemas (400 naming the
 * field) and calls the operation's handler; and `GET /openapi.json`, the OpenAPI 3.1 document
 * generated from the same schemas.
 */
export function apiRoutes(deps: ServerDeps, operations: readonly Operation[] = OPERATIONS): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.success) return undefined;
      const part = result.target === 'json' ? 'body' : result.target === 'param' ? 'path' : result.target;
      return c.json({ error: { code: part === 'body' ? 'input' : 'usage', message: describeIssues(result.error, part) } }, 400);
    },
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', { type: 'http', scheme: 'bearer', description: 'An EvalOps API key (eo_…)' });
  // One bound on the JSON bodies being read and decoded at once, whatever the route (default 64 MiB).
  const admission = new IngestAdmission({ isFull: () => false, retryAfterSeconds: () => 1 }, { maxInFlightBytes: Math.max((deps.apiLimits ?? DEFAULT_API_BODY_LIMITS).maxImportBytes, 64 * 1024 * 1024) });
  for (const operation of operations) mount(app, deps, operation, admission);
  // The document, like everything but /healthz and /readyz, is for key holders.
  app.use('/openapi.json', requireAuth(deps, 'runs:read'));
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'EvalOps API', version: '1', description: 'AI evaluation as release control. Every CLI capability, under /api/v1.' },
    servers: [{ url: '/api/v1' }],
  });
  return app;
}

function mount(app: OpenAPIHono<AppEnv>, deps: ServerDeps, operation: Operation, admission: IngestAdmission): void {
  const status = operation.status ?? 200;
  const request: RouteConfig['request'] = {
    params: operation.params,
    ...(operation.query ? { query: operation.query } : {}),
    ...(operation.body ? { body: { content: { 'application/json': { schema: operation.body } }, required: true } } : {}),
  };
  const route = createRoute({
    method: operation.method,
    path: operation.path,
    operationId: operation.id,
    summary: operation.summary,
    tags: [...operation.tags],
    security: [{ apiKey: [] }],
    description: `Needs the \`${operation.permission}\` permission.`,
    request,
    middleware: bodyMiddleware(deps, operation, admission),
    responses: {
      ...Object.fromEntries((operation.statusOf ? [200, 201] : [status]).map((code) => [code, { description: operation.summary, content: { 'application/json': { schema: operation.response } } }])),
      ...Object.fromEntries(Object.entries({ ...ERROR_RESPONSES, ...(operation.body ? BODY_ERROR_RESPONSES : {}) }).map(([code, description]) => [code, { description, content: { 'application/json': { schema: ErrorBodySchema } } }])),
    },
  });
  app.openapi(route, (async (c: Context<AppEnv>) => {
    const valid = (target: string): unknown => c.req.valid(target as never);
    const ctx: ApiContext = { store: deps.store, principal: c.get('principal'), actor: () => actorOf(c.get('principal')), ...(deps.webhookTargets ? { webhookTargets: deps.webhookTargets } : {}), ...(deps.scorers ? { scorers: deps.scorers } : {}), ...(deps.playground ? { playground: deps.playground } : {}), ...(deps.triage ? { triage: deps.triage } : {}) };
    const result = await operation.handle(ctx, {
      params: valid('param'),
      query: operation.query ? valid('query') : {},
      body: operation.body ? valid('json') : undefined,
    } as Parameters<Operation['handle']>[1]);
    return c.json(result, operation.statusOf?.(result) ?? status);
  }) as never);
}

/**
 * An operation's middleware: a declared body over the limit is refused before the key is even looked
 * up (nothing is read); then the key; then, for an operation with a body, the bounded read and JSON
 * checks — so no body is read before its sender is authenticated.
 */
function bodyMiddleware(deps: ServerDeps, operation: Operation, admission: IngestAdmission): MiddlewareHandler<AppEnv>[] {
  const limits = deps.apiLimits ?? DEFAULT_API_BODY_LIMITS;
  const maxBytes = operation.bulkBody ? limits.maxImportBytes : limits.maxBodyBytes;
  const auth = requireAuth(deps, operation.permission);
  if (!operation.body) return [refuseNulCharacters, auth];
  const declared: MiddlewareHandler<AppEnv> = async (c, next) => (Number(c.req.header('content-length') ?? 0) > maxBytes ? jsonTooLarge(c, maxBytes) : next());
  return [refuseNulCharacters, declared, auth, readJsonBody({ maxBytes, maxDepth: limits.maxJsonDepth, maxArrayLength: limits.maxJsonArrayLength }, admission)];
}
