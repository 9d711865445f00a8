/**
 * The webhook SSRF guard at the edges: the JSON API of a server started without
 * --allow-private-webhooks refuses to create a webhook to a loopback, private or metadata address
 * (400 naming the url field) and its ping to one stored earlier never reaches the receiver; with
 * the switch the same calls go through. `evalops worker --once` refuses and allows the same way.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emitWebhookEvent } from '../../src/monitor/webhook-service.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { openStore, type Store } from '../../src/store/store.js';
import { runCli } from '../cli/run-cli.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

describe('webhook SSRF guard at the API and the worker', () => {
  let dbUrl: string;
  let store: Store;
  let owner: string;
  let receiver: WebhookReceiver;
  let server: RunningServer | undefined;

  beforeEach(async () => {
    dbUrl = `sqlite:${join(mkdtempSync(join(tmpdir(), 'evalops-hook-guard-')), 'db.sqlite')}`;
    store = await openStore(dbUrl);
    const project = await store.projects.ensure('shop');
    owner = (await store.apiKeys.create({ role: 'owner', projectId: project.id, createdBy: 'test' })).plaintext;
    receiver = await startWebhookReceiver({ secret: () => 'whsec_guard_secret_123456' });
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await receiver.close();
    await store.close();
  });

  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const res = await fetch(`${server!.url}/api/v1/projects/shop${path}`, {
      method,
      headers: { authorization: `Bearer ${owner}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: await res.json() };
  };

  it('refuses private targets by default: creation answers 400, a stored one is never pinged', async () => {
    server = await startServer({ store, port: 0, host: '127.0.0.1' });
    for (const url of [receiver.url, `http://localhost:${receiver.port}/x`, 'http://[::ffff:127.0.0.1]/x', 'http://10.0.0.7/x', 'http://169.254.169.254/latest/meta-data/']) {
      const res = await call('POST', '/webhooks', { url, name: 'x' });
      expect(res.status, url).toBe(400);
      expect(res.body.error.message, url).toMatch(/^body field url: refused: .*--allow-private-webhooks/);
    }
    await store.webhooks.create({ projectId: (await store.projects.ensure('shop')).id, name: 'old', url: receiver.url, secret: 'whsec_guard_secret_123456', events: ['*'] });
    const ping = await call('POST', '/webhooks/old/test');
    expect(ping.status).toBe(200);
    expect(ping.body).toMatchObject({ delivered: false, delivery: { lastStatusCode: null, lastError: expect.stringMatching(/^refused: 127\.0\.0\.1 is a loopback address/) } });
    expect(receiver.received).toHaveLength(0);
  });

  it('lets them through with --allow-private-webhooks', async () => {
    server = await startServer({ store, port: 0, host: '127.0.0.1', allowPrivateWebhooks: true });
    expect((await call('POST', '/webhooks', { url: receiver.url, name: 'local' })).status).toBe(201);
    expect((await call('POST', '/webhooks/local/test')).body).toMatchObject({ delivered: true });
    expect(receiver.received).toHaveLength(1);
  });

  it('evalops worker --once refuses a loopback target unless given --allow-private-webhooks', async () => {
    const projectId = (await store.projects.ensure('shop')).id;
    await store.webhooks.create({ projectId, name: 'local', url: receiver.url, secret: 'whsec_guard_secret_123456', events: ['*'] });
    await emitWebhookEvent(store, projectId, { id: 'alr_1:opened', type: 'alert.opened', payload: {} });
    const env = { EVALOPS_DATABASE_URL: dbUrl };
    const guarded = await runCli(['worker', '--once'], { env });
    expect(guarded.code, guarded.stderr).toBe(0);
    expect(receiver.received).toHaveLength(0);
    const [delivery] = await store.webhooks.listDeliveries(projectId);
    expect(delivery).toMatchObject({ status: 'pending', lastError: expect.stringMatching(/^refused: 127\.0\.0\.1/) });
    // Due again at once, so the next worker pass tries it.
    await store.db.updateTable('webhook_deliveries').set({ next_attempt_ms: 0 }).execute();
    const allowed = await runCli(['worker', '--once', '--allow-private-webhooks'], { env });
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(receiver.received).toHaveLength(1);
    expect((await store.webhooks.delivery(delivery!.id)).status).toBe('delivered');
  });
});
