import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { webhookRetryDelay } from '../../src/core/monitor/webhook-backoff.js';
import { createWebhook, deleteWebhook, deliverDueWebhooks, emitWebhookEvent, replayWebhookDelivery, testWebhook } from '../../src/monitor/webhook-service.js';
import { openStore, type Store } from '../../src/store/store.js';
import { closedPort, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * The webhook service end to end on a real store and a real HTTP receiver (no mocks): the outbox
 * emit, signed delivery, retries on the backoff while the receiver is down, give-up after two hours,
 * the delivery log, and replay once the receiver is back. A fake clock drives the schedule. The
 * receiver is on loopback, so every call allows private targets (the operator's
 * --allow-private-webhooks); the guard itself is tested in webhook-ssrf.test.ts.
 */
const ALLOW = { allowPrivate: true } as const;
describe('webhook service', () => {
  const T0 = Date.parse('2025-03-01T09:00:00.000Z');
  let clock = T0;
  const now = (): number => clock;
  let store: Store;
  let projectId: string;
  const receivers: WebhookReceiver[] = [];

  beforeEach(async () => {
    clock = T0;
    store = await openStore(':memory:', { now });
    projectId = (await store.projects.ensure('shop')).id;
  });
  afterEach(async () => {
    for (const r of receivers.splice(0)) await r.close();
    await store.close();
  });

  async function receiver(secret: () => string, options: { port?: number; respond?: Parameters<typeof startWebhookReceiver>[0]['respond'] } = {}): Promise<WebhookReceiver> {
    const r = await startWebhookReceiver({ secret, nowSeconds: () => clock / 1000, ...options });
    receivers.push(r);
    return r;
  }

  const alertEvent = { id: 'alr_1:opened', type: 'alert.opened' as const, payload: { alert: { id: 'alr_1', title: 'pass rate dropped' } } };

  it('delivers a signed event on the first try, once however often it is emitted', async () => {
    let secret = '';
    const r = await receiver(() => secret);
    const created = await createWebhook(store, projectId, { url: r.url, events: ['alert.opened'] }, 'owner@example.com', ALLOW);
    secret = created.secret;
    await createWebhook(store, projectId, { name: 'resolved-only', url: r.url, events: ['alert.resolved'] }, 'owner@example.com', ALLOW);

    expect(await emitWebhookEvent(store, projectId, alertEvent)).toBe(1);
    expect(await emitWebhookEvent(store, projectId, alertEvent)).toBe(0);
    expect(await deliverDueWebhooks(store, { targets: ALLOW, now })).toEqual({ delivered: 1, retried: 0, failed: 0 });
    expect(await deliverDueWebhooks(store, { targets: ALLOW, now })).toEqual({ delivered: 0, retried: 0, failed: 0 });

    expect(r.received).toHaveLength(1);
    const got = r.received[0]!;
    expect(got.verification).toEqual({ ok: true });
    const [delivery] = await store.webhooks.listDeliveries(projectId);
    expect(got.headers).toMatchObject({ 'content-type': 'application/json', 'evalops-event': 'alert.opened', 'evalops-delivery': delivery!.id, 'user-agent': 'evalops-webhooks/1' });
    expect(got.headers['evalops-signature']).toMatch(new RegExp(`^t=${T0 / 1000},v1=[0-9a-f]{64}$`));
    expect(got.body).toEqual({ id: delivery!.id, eventId: 'alr_1:opened', type: 'alert.opened', createdAt: new Date(T0).toISOString(), project: 'shop', data: alertEvent.payload });
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 1, lastStatusCode: 204, deliveredAt: new Date(T0).toISOString() });
    expect(await store.webhooks.attempts(delivery!.id)).toEqual([{ attempt: 1, at: new Date(T0).toISOString(), statusCode: 204, error: null, durationMs: expect.any(Number) }]);
  });

  it('emits inside the caller’s transaction: a rolled-back change announces nothing', async () => {
    await createWebhook(store, projectId, { url: 'http://127.0.0.1:9/x' }, 'owner@example.com', ALLOW);
    await expect(
      store.db.transaction().execute(async (trx) => {
        expect(await emitWebhookEvent(store, projectId, alertEvent, trx)).toBe(1);
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    expect(await store.webhooks.listDeliveries(projectId)).toEqual([]);
  });

  it('retries on the backoff while the receiver is down, gives up after two hours, and a replay delivers the same delivery', async () => {
    const port = await closedPort();
    const { secret } = await createWebhook(store, projectId, { name: 'ops', url: `http://127.0.0.1:${port}/hooks/evalops` }, 'owner@example.com', ALLOW);
    await emitWebhookEvent(store, projectId, alertEvent);
    const [pending] = await store.webhooks.listDeliveries(projectId);
    const id = pending!.id;

    const passes: { delivered: number; retried: number; failed: number }[] = [];
    for (let guard = 0; guard < 50; guard++) {
      passes.push(await deliverDueWebhooks(store, { targets: ALLOW, now }));
      const d = await store.webhooks.delivery(id);
      if (d.status === 'failed') break;
      expect(d.status).toBe('pending');
      clock = d.nextAttemptMs - 1;
      expect(await deliverDueWebhooks(store, { targets: ALLOW, now })).toEqual({ delivered: 0, retried: 0, failed: 0 }); // not due a millisecond early
      clock = d.nextAttemptMs;
    }
    const log = await store.webhooks.attempts(id);
    const times = log.map((a) => Date.parse(a.at));
    expect(times[0]).toBe(T0);
    for (let n = 1; n < log.length; n++) expect(times[n]! - times[n - 1]!).toBe(webhookRetryDelay(n, { jitterSeed: id }));
    expect(log.length).toBeGreaterThanOrEqual(13);
    expect(log.length).toBeLessThanOrEqual(15);
    expect(times[log.length - 1]! - T0).toBeGreaterThan(2 * 3600_000);
    expect(log.every((a) => a.statusCode === null && /ECONNREFUSED/.test(a.error ?? ''))).toBe(true);
    expect(log[log.length - 1]!.error).toMatch(/gave up$/);
    expect(passes.filter((p) => p.retried === 1)).toHaveLength(log.length - 1);
    expect(passes[passes.length - 1]).toEqual({ delivered: 0, retried: 0, failed: 1 });
    expect(await store.webhooks.getDelivery(projectId, id)).toMatchObject({ status: 'failed', attempts: log.length, lastStatusCode: null });

    // The receiver is back (same URL); a replay delivers the same delivery and event, signed now.
    clock += 3600_000;
    const r = await receiver(() => secret, { port });
    const replayed = await replayWebhookDelivery(store, projectId, id, 'oncall@example.com', now);
    expect(replayed).toMatchObject({ status: 'pending', nextAttemptMs: clock });
    expect(await deliverDueWebhooks(store, { targets: ALLOW, now })).toEqual({ delivered: 1, retried: 0, failed: 0 });
    expect(r.received).toHaveLength(1);
    expect(r.received[0]!.verification).toEqual({ ok: true });
    expect(r.received[0]!.body).toMatchObject({ id, eventId: 'alr_1:opened', type: 'alert.opened' });
    const after = await store.webhooks.attempts(id);
    expect(after.map((a) => a.attempt)).toEqual(Array.from({ length: log.length + 1 }, (_, i) => i + 1));
    expect(after[after.length - 1]).toMatchObject({ statusCode: 204, error: null });
    const [entry] = (await store.audit.list(projectId, { entityType: 'webhook_delivery' })).slice(-1);
    expect(entry).toMatchObject({ action: 'webhook.replay', actor: 'oncall@example.com', entityId: id, payload: { previousStatus: 'failed', eventId: 'alr_1:opened' } });
  });

  it('records the status and the start of the answer of a failing receiver, and counts a redirect or a timeout as a failure', async () => {
    let secret = '';
    const r = await receiver(() => secret, {
      respond: (n, res) => {
        if (n === 1) res.writeHead(500, { 'content-type': 'text/plain' }).end('database   is\n down');
        else if (n === 2) res.writeHead(302, { location: 'http://127.0.0.1:9/elsewhere' }).end();
        else if (n === 3) setTimeout(() => res.writeHead(200).end(), 1500);
        else res.writeHead(200).end('ok');
      },
    });
    secret = (await createWebhook(store, projectId, { url: r.url }, 'owner@example.com', ALLOW)).secret;
    await emitWebhookEvent(store, projectId, alertEvent);
    const id = (await store.webhooks.listDeliveries(projectId))[0]!.id;
    for (let i = 0; i < 4; i++) {
      await deliverDueWebhooks(store, { targets: ALLOW, now, timeoutMs: 300 });
      clock = (await store.webhooks.delivery(id)).nextAttemptMs;
    }
    const log = await store.webhooks.attempts(id);
    expect(log.map((a) => [a.statusCode, a.error])).toEqual([
      [500, 'HTTP 500: database is down'],
      [302, 'HTTP 302'],
      [null, 'no answer within 300 ms'],
      [200, null],
    ]);
    expect((await store.webhooks.delivery(id)).status).toBe('delivered');
    expect(r.received.every((x) => x.verification.ok)).toBe(true);
  });

  it('creates with a generated secret shown once, audits changes without the secret or the URL path, and pings one webhook on demand', async () => {
    let secret = '';
    const r = await receiver(() => secret);
    const created = await createWebhook(store, projectId, { url: `${r.url}?token=abc`, events: ['alert.resolved'] }, 'owner@example.com', ALLOW);
    secret = created.secret;
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(created.webhook).toMatchObject({ name: '127.0.0.1', events: ['alert.resolved'], active: true });
    const ping = await testWebhook(store, projectId, '127.0.0.1', { now, targets: ALLOW });
    expect(ping).toMatchObject({ status: 'delivered', eventType: 'ping', lastStatusCode: 204, attempts: 1 });
    expect(r.received.map((x) => [x.body.type, x.verification.ok])).toEqual([['ping', true]]);
    await deleteWebhook(store, projectId, created.webhook.id, 'owner@example.com');
    expect(await store.webhooks.list(projectId)).toEqual([]);
    const audit = await store.audit.list(projectId, { entityType: 'webhook' });
    expect(audit.map((e) => [e.action, e.payload['change']])).toEqual([
      ['webhook.change', 'create'],
      ['webhook.change', 'delete'],
    ]);
    const text = JSON.stringify(audit);
    expect(text).not.toContain(secret);
    expect(text).not.toContain('token=abc');
    expect(audit[0]!.payload).toMatchObject({ origin: new URL(r.url).origin });
  });
});
