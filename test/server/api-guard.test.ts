/**
 * Every operation of the JSON API, checked generically: it is in the OpenAPI document with its
 * operationId and security; it answers 401 without a key; and each role gets 403 exactly when it
 * lacks the operation's permission. New operations are covered the moment they are registered.
 */
import { Hono } from 'hono';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../../src/api/operations.js';
import { permits, RoleSchema, type Role } from '../../src/auth/roles.js';
import { isEvalOpsError } from '../../src/core/errors.js';
import { HTTP_STATUS } from '../../src/server/http-status.js';
import { apiRoutes } from '../../src/server/routes/api-routes.js';
import { ServerMetrics } from '../../src/server/server-metrics.js';
import { openStore, type Store } from '../../src/store/store.js';

describe('the /api/v1 operations', () => {
  let store: Store;
  let app: Hono;
  const keys = new Map<Role, string>();

  beforeAll(async () => {
    store = await openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'evalops-guard-')), 'db.sqlite')}`);
    const project = await store.projects.ensure('shop');
    for (const role of RoleSchema.options) keys.set(role, (await store.apiKeys.create({ role, projectId: project.id, name: `${role}@example.com`, createdBy: 'test' })).plaintext);
    app = new Hono();
    app.route('/api/v1', apiRoutes({ store, metrics: new ServerMetrics(), log: () => undefined }));
    app.onError((e, c) => (isEvalOpsError(e) ? c.json({ error: { code: e.code, message: e.message } }, HTTP_STATUS[e.code]) : c.json({ error: { code: 'internal', message: String(e) } }, 500)));
  });
  afterAll(async () => store.close());

  const pathOf = (template: string): string => `/api/v1${template.replace('{project}', 'shop').replace(/\{(\w+)\}/g, 'x_$1')}`;
  const send = (op: (typeof OPERATIONS)[number], key?: string) =>
    app.request(pathOf(op.path), {
      method: op.method.toUpperCase(),
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(op.method === 'get' ? {} : { 'content-type': 'application/json' }) },
      ...(op.method === 'get' ? {} : { body: '{}' }),
    });

  it('has unique operation ids and method + path pairs', () => {
    expect(new Set(OPERATIONS.map((o) => o.id)).size).toBe(OPERATIONS.length);
    expect(new Set(OPERATIONS.map((o) => `${o.method} ${o.path}`)).size).toBe(OPERATIONS.length);
  });

  it('describes every operation in the OpenAPI document, with bearer security and its error answers', async () => {
    expect((await app.request('/api/v1/openapi.json')).status).toBe(401);
    const doc = (await (await app.request('/api/v1/openapi.json', { headers: { authorization: `Bearer ${keys.get('viewer')}` } })).json()) as { paths: Record<string, Record<string, { operationId: string; security: unknown; responses: Record<string, unknown> }>>; components: { securitySchemes: Record<string, unknown> } };
    expect(doc.components.securitySchemes['apiKey']).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const op of OPERATIONS) {
      const described = doc.paths[op.path]?.[op.method];
      expect(described, `${op.method} ${op.path}`).toBeDefined();
      expect(described!.operationId).toBe(op.id);
      expect(described!.security).toEqual([{ apiKey: [] }]);
      expect(Object.keys(described!.responses)).toEqual(expect.arrayContaining([String(op.status ?? 200), '400', '401', '403']));
    }
  });

  it('answers 401 to every operation without a key', async () => {
    for (const op of OPERATIONS) expect((await send(op)).status, `${op.method} ${op.path}`).toBe(401);
  });

  it('answers 403 exactly to the roles without the permission', async () => {
    for (const op of OPERATIONS) {
      for (const role of RoleSchema.options) {
        const res = await send(op, keys.get(role));
        const allowed = permits(role, op.permission);
        expect(res.status === 403, `${role} → ${op.method} ${op.path} (${op.permission}) answered ${res.status}`).toBe(!allowed);
        expect(res.status, `${role} → ${op.method} ${op.path}`).not.toBe(500);
      }
    }
  });
});
