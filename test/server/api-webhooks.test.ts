import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitWebhookEvent } from '../../src/monitor/webhook-service.js';
import { openStore } from '../../src/store/store.js';
import { runCli } from '../cli/run-cli.js';
import { apiClient, createKeyLocally, startServe, type ServeProcess } from '../support/serve-process.js';
import { closedPort, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * Webhooks over the JSON API and the CLI of a real `evalops serve` (SQLite, so its worker runs in
 * the server), with a real receiver on loopback: create (secret answered once), list (never the
 * secret), a signed ping delivered by the server, the delivery log, replay, an event from the outbox
 * delivered by the server's worker, 400 on a bad URL, 403 for an engineer, exit 2 naming the flag.
 */
describe('webhooks over the API and the CLI (end to end)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-api-webhooks-'));
  const dbUrl = `sqlite:${join(dir, 'db.sqlite')}`;
  const env = { EVALOPS_DATABASE_URL: dbUrl, EVALOPS_ACTOR: 'local@example.com' };
  const remote = (key: string) => ({ EVALOPS_API_KEY: key, EVALOPS_DATABASE_URL: 'sqlite:/nonexistent/never-opened.db' });
  let serve: ServeProcess;
  let api: ReturnType<typeof apiClient>;
  let receiver: WebhookReceiver;
  let secret = '';
  let owner = '';
  let engineer = '';

  beforeAll(async () => {
    const store = await openStore(dbUrl);
    await store.projects.ensure('shop');
    await store.close();
    receiver = await startWebhookReceiver({ secret: () => secret });
    serve = await startServe(env, ['--allow-private-webhooks']); // the receiver is on loopback
    api = apiClient(serve.url);
    owner = await createKeyLocally(env, ['--role', 'owner', '--project', 'shop', '--name', 'owner@example.com']);
    engineer = await createKeyLocally(env, ['--role', 'engineer', '--project', 'shop']);
  });
  afterAll(async () => {
    serve?.stop();
    await receiver?.close();
  });

  it('creates a webhook (its secret answered once) and lists it without the secret', async () => {
    const created = await api(owner, 'POST', '/projects/shop/webhooks', { name: 'ops', url: receiver.url, events: ['alert.opened', 'alert.resolved'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'ops', url: receiver.url, events: ['alert.opened', 'alert.resolved'], active: true, secret: expect.stringMatching(/^whsec_/) });
    secret = created.body.secret;
    const listed = await api(owner, 'GET', '/projects/shop/webhooks');
    expect(listed.status).toBe(200);
    expect(listed.body.webhooks.map((h: { name: string }) => h.name)).toEqual(['ops']);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    expect(JSON.stringify(listed.body)).not.toContain('"secret"');
    expect((await api(owner, 'POST', '/projects/shop/webhooks', { name: 'ops', url: receiver.url })).status).toBe(409);
  });

  it('sends a signed ping from the server and keeps it in the delivery log', async () => {
    const res = await api(owner, 'POST', '/projects/shop/webhooks/ops/test');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ delivered: true, delivery: { status: 'delivered', eventType: 'ping', lastStatusCode: 204, attempts: 1 } });
    expect(receiver.received).toHaveLength(1);
    const ping = receiver.received[0]!;
    expect(ping.verification).toEqual({ ok: true });
    expect(ping.headers).toMatchObject({ 'evalops-event': 'ping', 'evalops-delivery': res.body.delivery.id, 'user-agent': 'evalops-webhooks/1' });
    expect(ping.body).toMatchObject({ id: res.body.delivery.id, type: 'ping', project: 'shop', data: { webhook: 'ops' } });

    const list = await api(owner, 'GET', '/projects/shop/webhook-deliveries?status=delivered');
    expect(list.body.deliveries.map((d: { id: string }) => d.id)).toEqual([res.body.delivery.id]);
    const shown = await api(owner, 'GET', `/projects/shop/webhook-deliveries/${res.body.delivery.id}`);
    expect(shown.body).toMatchObject({ status: 'delivered', payload: { webhook: 'ops' }, log: [{ attempt: 1, statusCode: 204, error: null }] });
    expect((await api(owner, 'GET', '/projects/shop/webhook-deliveries/whd_nothere0000')).status).toBe(404);
  });

  it('delivers an event emitted into the outbox by another process through the server’s worker', async () => {
    const store = await openStore(dbUrl);
    try {
      const project = await store.projects.findByName('shop');
      expect(await emitWebhookEvent(store, project!.id, { id: 'alr_e2e:opened', type: 'alert.opened', payload: { alert: { id: 'alr_e2e' } } })).toBe(1);
      expect(await emitWebhookEvent(store, project!.id, { id: 'alr_e2e:budget', type: 'budget.exhausted', payload: {} })).toBe(0); // not subscribed
    } finally {
      await store.close();
    }
    await receiver.waitFor(2);
    expect(receiver.received[1]).toMatchObject({ verification: { ok: true }, body: { eventId: 'alr_e2e:opened', type: 'alert.opened', data: { alert: { id: 'alr_e2e' } } } });
  });

  it('answers 400 naming the field for a bad URL or event, and 403 to an engineer', async () => {
    for (const url of ['ftp://example.com/hook', 'not a url', 'http://user:pw@example.com/']) {
      const res = await api(owner, 'POST', '/projects/shop/webhooks', { url });
      expect(res.status, url).toBe(400);
      expect(res.body.error.message).toMatch(/^body field url: /);
    }
    const badEvent = await api(owner, 'POST', '/projects/shop/webhooks', { url: receiver.url, name: 'x', events: ['alert.bogus'] });
    expect(badEvent.status).toBe(400);
    expect(badEvent.body.error.message).toMatch(/^body field events/);
    expect((await api(engineer, 'POST', '/projects/shop/webhooks', { url: receiver.url })).status).toBe(403);
    expect((await api(engineer, 'GET', '/projects/shop/webhooks')).status).toBe(403);
    expect((await api(engineer, 'GET', '/projects/shop/webhook-deliveries')).status).toBe(403);
  });

  it('works from the CLI against the server: list, test, a failing ping (exit 4), replay, deliveries; exit 2 naming the flag', async () => {
    const list = await runCli(['webhooks', 'list', '--server', serve.url, '--project', 'shop', '--json'], { env: remote(owner) });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).webhooks.map((h: { name: string }) => h.name)).toEqual(['ops']);
    expect(list.stdout).not.toContain(secret);

    const test = await runCli(['webhooks', 'test', 'ops', '--server', serve.url, '--project', 'shop'], { env: remote(owner) });
    expect(test.code, test.stderr).toBe(0);
    expect(test.stdout).toMatch(/^ping delivered \(whd_\w+\): HTTP 204/);
    await receiver.waitFor(3);

    const port = await closedPort();
    const down = await runCli(['webhooks', 'create', '--url', `http://127.0.0.1:${port}/x`, '--name', 'down', '--events', 'alert.opened', '--server', serve.url, '--project', 'shop'], { env: remote(owner) });
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toMatch(/signing secret \(shown once, store it now\): whsec_/);
    const failing = await runCli(['webhooks', 'test', 'down', '--server', serve.url, '--project', 'shop', '--json'], { env: remote(owner) });
    expect(failing.code).toBe(4);
    const failed = JSON.parse(failing.stdout);
    expect(failed).toMatchObject({ delivered: false, delivery: { status: 'pending', lastStatusCode: null, lastError: expect.stringMatching(/ECONNREFUSED/), nextAttemptAt: expect.any(String) } });
    const conflict = await runCli(['webhooks', 'replay', failed.delivery.id, '--server', serve.url, '--project', 'shop'], { env: remote(owner) });
    expect(conflict.code).toBe(2);
    expect(conflict.stderr).toMatch(/only a failed or delivered delivery can be replayed/);

    const pingId = receiver.received[0]!.body.id;
    const replay = await runCli(['webhooks', 'replay', pingId, '--server', serve.url, '--project', 'shop'], { env: remote(owner) });
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout).toMatch(new RegExp(`^replay delivered \\(${pingId}\\)`));
    const again = receiver.received[receiver.received.length - 1]!;
    expect(again).toMatchObject({ verification: { ok: true }, body: { id: pingId, type: 'ping' } });

    const shown = await runCli(['webhooks', 'delivery', pingId, '--server', serve.url, '--project', 'shop'], { env: remote(owner) });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/delivered after 2 attempt\(s\)/);
    const deliveries = await runCli(['webhooks', 'deliveries', '--webhook', 'down', '--server', serve.url, '--project', 'shop', '--json'], { env: remote(owner) });
    expect(JSON.parse(deliveries.stdout).deliveries.map((d: { id: string }) => d.id)).toEqual([failed.delivery.id]);

    for (const [args, flag] of [
      [['--url', 'ftp://example.com/x'], '--url'],
      [['--url', receiver.url, '--events', 'alert.opened,alert.bogus'], '--events'],
      [['--url', receiver.url, '--secret', 'short'], '--secret'],
    ] as const) {
      const bad = await runCli(['webhooks', 'create', ...args, '--server', serve.url, '--project', 'shop'], { env: remote(owner) });
      expect(bad.code, args.join(' ')).toBe(2);
      expect(bad.stderr).toContain(flag);
    }
    const badStatus = await runCli(['webhooks', 'deliveries', '--status', 'lost', '--server', serve.url, '--project', 'shop'], { env: remote(owner) });
    expect(badStatus.code).toBe(2);
    expect(badStatus.stderr).toContain('--status');
    const forbidden = await runCli(['webhooks', 'list', '--server', serve.url, '--project', 'shop'], { env: remote(engineer) });
    expect(forbidden.code).toBe(2);
  });

  it('deletes a webhook from the local CLI, audited without the secret', async () => {
    const del = await runCli(['webhooks', 'delete', 'down', '--project', 'shop', '--json'], { env });
    expect(del.code, del.stderr).toBe(0);
    expect(JSON.parse(del.stdout).deleted.name).toBe('down');
    const audit = await runCli(['audit', 'list', '--project', 'shop', '--json'], { env });
    const entries = JSON.parse(audit.stdout).entries as { action: string; actor: string; payload: Record<string, unknown> }[];
    expect(entries.filter((e) => e.action.startsWith('webhook.')).map((e) => [e.action, e.payload['change'] ?? null, e.actor])).toEqual([
      ['webhook.change', 'create', 'owner@example.com'],
      ['webhook.change', 'create', 'owner@example.com'],
      ['webhook.replay', null, 'owner@example.com'],
      ['webhook.change', 'delete', 'local@example.com'],
    ]);
    expect(audit.stdout).not.toContain(secret);
  });
});
