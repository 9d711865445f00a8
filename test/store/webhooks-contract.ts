import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EvalOpsError } from '../../src/core/errors.js';
import type { Store } from '../../src/store/store.js';
import type { NewDelivery } from '../../src/store/webhook-repository.js';

/** A fresh database, and (where the dialect has one) a second connection to it, as another process would hold. */
export interface WebhookContractDb {
  readonly store: Store;
  readonly another?: () => Promise<Store>;
}

/**
 * The webhook repository contract, run on every dialect: names unique per project, secrets never
 * read back, one delivery per webhook and event, claims under a lease that never hand one delivery
 * to two workers (also from two connections at once), a lapsed lease handed out again with the lost
 * attempt in the log, a late result fenced off, keyset paging, replay, and delete.
 */
export function describeWebhookContract(dialect: string, open: () => Promise<WebhookContractDb>): void {
  describe(`WebhookRepository contract (${dialect})`, () => {
    let db: WebhookContractDb;
    let store: Store;
    let projectId: string;
    const others: Store[] = [];
    const T0 = Date.now();
    const LEASE = 60_000;

    beforeEach(async () => {
      db = await open();
      store = db.store;
      projectId = (await store.projects.ensure('hooks')).id;
    });
    afterEach(async () => {
      for (const s of others.splice(0)) await s.close();
      await store?.close();
    });

    const hook = (name: string, events: ('*' | 'alert.opened' | 'alert.resolved')[] = ['*']) =>
      store.webhooks.create({ projectId, name, url: `http://127.0.0.1:9/${name}`, secret: `whsec_${name}_0123456789abcdef`, events });
    const event = (webhookId: string, eventId: string): NewDelivery => ({ webhookId, eventId, eventType: 'alert.opened', payload: { alert: eventId } });

    async function refusal(p: Promise<unknown>): Promise<EvalOpsError> {
      const e = await p.then(() => undefined, (x: unknown) => x);
      expect(e).toBeInstanceOf(EvalOpsError);
      return e as EvalOpsError;
    }

    it('keeps names unique per project and never reads a secret back', async () => {
      const created = await hook('ops');
      expect(created).toMatchObject({ name: 'ops', url: 'http://127.0.0.1:9/ops', events: ['*'], active: true });
      expect(Object.keys(created)).not.toContain('secret');
      expect((await refusal(hook('ops'))).code).toBe('conflict');
      const elsewhere = (await store.projects.ensure('elsewhere')).id;
      await store.webhooks.create({ projectId: elsewhere, name: 'ops', url: 'https://example.com/x', secret: 'whsec_0123456789abcdef', events: ['*'] });
      const listed = await store.webhooks.list(projectId);
      expect(listed.map((h) => h.name)).toEqual(['ops']);
      expect(JSON.stringify(listed)).not.toContain('whsec_');
      expect((await store.webhooks.get(projectId, created.id)).name).toBe('ops');
      expect((await refusal(store.webhooks.get(elsewhere, created.id))).code).toBe('not_found');
    });

    it('finds the webhooks subscribed to an event type', async () => {
      await hook('all');
      await hook('opened', ['alert.opened']);
      await hook('resolved', ['alert.resolved']);
      expect((await store.webhooks.subscribed(projectId, 'alert.opened')).map((h) => h.name).sort()).toEqual(['all', 'opened']);
      expect((await store.webhooks.subscribed(projectId, 'ping')).map((h) => h.name)).toEqual(['all']);
    });

    it('stores one delivery per webhook and event, however often the event is emitted', async () => {
      const a = await hook('a');
      const b = await hook('b');
      expect(await store.webhooks.insertDeliveries(projectId, [event(a.id, 'alr_1:opened'), event(b.id, 'alr_1:opened')])).toHaveLength(2);
      expect(await store.webhooks.insertDeliveries(projectId, [event(a.id, 'alr_1:opened')])).toEqual([]);
      const deliveries = await store.webhooks.listDeliveries(projectId);
      expect(deliveries).toHaveLength(2);
      expect(deliveries[0]).toMatchObject({ eventId: 'alr_1:opened', eventType: 'alert.opened', status: 'pending', attempts: 0, payload: { alert: 'alr_1:opened' } });
    });

    it('claims a due delivery once, under a lease, and hands it out again when the lease lapses', async () => {
      const a = await hook('a');
      const [id] = await store.webhooks.insertDeliveries(projectId, [event(a.id, 'e1')]);
      const now = Date.now() + 1000;
      const [first, ...rest] = await store.webhooks.claimDue(now, 10, LEASE);
      expect(rest).toEqual([]);
      expect(first).toMatchObject({ attempt: 1, delivery: { id, status: 'delivering', firstAttemptMs: now, nextAttemptMs: now + LEASE }, webhook: { id: a.id, secret: 'whsec_a_0123456789abcdef' } });
      expect(await store.webhooks.claimDue(now + LEASE - 1, 10, LEASE)).toEqual([]);
      expect(await store.webhooks.claimOne(id!, now + LEASE - 1, LEASE)).toBeUndefined();

      // The first worker died: after the lease the delivery is due again, as attempt 2, and the log says what happened to 1.
      const [again] = await store.webhooks.claimDue(now + LEASE, 10, LEASE);
      expect(again).toMatchObject({ attempt: 2, delivery: { id, firstAttemptMs: now } });
      expect(await store.webhooks.attempts(id!)).toEqual([{ attempt: 1, at: new Date(now + LEASE).toISOString(), statusCode: null, error: expect.stringMatching(/lease/), durationMs: 0 }]);

      // The first worker was only slow: its late result goes into the log but does not move the delivery.
      expect(await store.webhooks.recordAttempt(id!, 1, { atMs: now + LEASE + 5, statusCode: 200, error: null, durationMs: 61_000 }, { status: 'delivered' })).toBe(false);
      expect((await store.webhooks.delivery(id!)).status).toBe('delivering');
      expect(await store.webhooks.recordAttempt(id!, 2, { atMs: now + LEASE + 10, statusCode: 200, error: null, durationMs: 12 }, { status: 'delivered' })).toBe(true);
      const delivered = await store.webhooks.getDelivery(projectId, id!);
      expect(delivered).toMatchObject({ status: 'delivered', attempts: 2, lastStatusCode: 200, lastError: null, deliveredAt: new Date(now + LEASE + 10).toISOString() });
      expect((await store.webhooks.attempts(id!)).map((x) => [x.attempt, x.statusCode])).toEqual([[1, 200], [2, 200]]);
    });

    it('schedules a retry that is not due before its time, and records a give-up', async () => {
      const a = await hook('a');
      const [id] = await store.webhooks.insertDeliveries(projectId, [event(a.id, 'e1')]);
      const now = Date.now() + 1000;
      await store.webhooks.claimDue(now, 10, LEASE);
      expect(await store.webhooks.recordAttempt(id!, 1, { atMs: now + 20, statusCode: 503, error: 'HTTP 503', durationMs: 20 }, { status: 'pending', nextAttemptMs: now + 30_000 })).toBe(true);
      expect(await store.webhooks.getDelivery(projectId, id!)).toMatchObject({ status: 'pending', attempts: 1, nextAttemptMs: now + 30_000, lastStatusCode: 503, lastError: 'HTTP 503' });
      expect(await store.webhooks.claimDue(now + 29_999, 10, LEASE)).toEqual([]);
      const [second] = await store.webhooks.claimDue(now + 30_000, 10, LEASE);
      expect(second).toMatchObject({ attempt: 2, delivery: { firstAttemptMs: now } });
      expect(await store.webhooks.recordAttempt(id!, 2, { atMs: now + 30_100, statusCode: null, error: 'request failed: ECONNREFUSED', durationMs: 3 }, { status: 'failed' })).toBe(true);
      expect(await store.webhooks.getDelivery(projectId, id!)).toMatchObject({ status: 'failed', attempts: 2, lastStatusCode: null, lastError: 'request failed: ECONNREFUSED' });
      expect(await store.webhooks.claimDue(now + 10 * LEASE, 10, LEASE)).toEqual([]);
      expect((await store.webhooks.attempts(id!)).map((x) => x.error)).toEqual(['HTTP 503', 'request failed: ECONNREFUSED']);
    });

    it('replays a failed or delivered delivery with a fresh window; numbering goes on; a pending one is a conflict', async () => {
      const a = await hook('a');
      const [id] = await store.webhooks.insertDeliveries(projectId, [event(a.id, 'e1')]);
      expect((await refusal(store.webhooks.resetForReplay(projectId, id!, T0))).code).toBe('conflict');
      const now = Date.now() + 1000;
      await store.webhooks.claimDue(now, 10, LEASE);
      await store.webhooks.recordAttempt(id!, 1, { atMs: now, statusCode: 500, error: 'HTTP 500', durationMs: 1 }, { status: 'failed' });
      const later = now + 3 * 3600_000;
      const { delivery, previous } = await store.webhooks.resetForReplay(projectId, id!, later);
      expect(previous).toBe('failed');
      expect(delivery).toMatchObject({ status: 'pending', attempts: 1, roundStartAttempts: 1, nextAttemptMs: later, firstAttemptMs: null, deliveredAt: null });
      const [claim] = await store.webhooks.claimDue(later, 10, LEASE);
      expect(claim).toMatchObject({ attempt: 2, delivery: { firstAttemptMs: later, roundStartAttempts: 1 } });
      await store.webhooks.recordAttempt(id!, 2, { atMs: later, statusCode: 204, error: null, durationMs: 1 }, { status: 'delivered' });
      expect((await store.webhooks.resetForReplay(projectId, id!, later + 1)).previous).toBe('delivered');
      const elsewhere = (await store.projects.ensure('elsewhere')).id;
      expect((await refusal(store.webhooks.resetForReplay(elsewhere, id!, later + 2))).code).toBe('not_found');
    });

    it('lists deliveries newest first, by status, webhook and event type, a page at a time', async () => {
      const a = await hook('a');
      const b = await hook('b');
      for (let i = 0; i < 5; i++) await store.webhooks.insertDeliveries(projectId, [event(a.id, `e${i}`), event(b.id, `e${i}`)]);
      await store.webhooks.insertDeliveries(projectId, [{ webhookId: a.id, eventId: 'p', eventType: 'ping', payload: {} }]);
      const all = await store.webhooks.listDeliveries(projectId, { limit: 100 });
      expect(all).toHaveLength(11);
      expect(all.map((d) => d.id)).toEqual([...all.map((d) => d.id)].sort().reverse());
      const pages: string[] = [];
      for (let before: string | undefined; ; ) {
        const page = await store.webhooks.listDeliveries(projectId, { webhookId: a.id, limit: 4, ...(before ? { before } : {}) });
        pages.push(...page.map((d) => d.eventId));
        if (page.length < 4) break;
        before = page[page.length - 1]!.id;
      }
      // Ids are time-ordered (to the millisecond): paging walks the same order as one big page, no gaps, no repeats.
      expect(pages).toEqual(all.filter((d) => d.webhookId === a.id).map((d) => d.eventId));
      expect([...pages].sort()).toEqual(['e0', 'e1', 'e2', 'e3', 'e4', 'p']);
      expect((await store.webhooks.listDeliveries(projectId, { eventType: 'ping' })).map((d) => d.eventId)).toEqual(['p']);
      await store.webhooks.claimDue(Date.now() + 1000, 3, LEASE);
      expect(await store.webhooks.listDeliveries(projectId, { status: 'delivering' })).toHaveLength(3);
      expect(await store.webhooks.listDeliveries(projectId, { status: 'pending' })).toHaveLength(8);
    });

    it('deletes a webhook with its deliveries and their log', async () => {
      const a = await hook('a');
      const b = await hook('b');
      const [id] = await store.webhooks.insertDeliveries(projectId, [event(a.id, 'e1'), event(b.id, 'e1')]);
      const now = Date.now() + 1000;
      await store.webhooks.claimDue(now, 10, LEASE);
      await store.webhooks.recordAttempt(id!, 1, { atMs: now, statusCode: 500, error: 'HTTP 500', durationMs: 1 }, { status: 'pending', nextAttemptMs: now + 1 });
      expect((await store.webhooks.delete(projectId, 'a')).id).toBe(a.id);
      expect((await store.webhooks.list(projectId)).map((h) => h.name)).toEqual(['b']);
      expect((await store.webhooks.listDeliveries(projectId)).map((d) => d.webhookId)).toEqual([b.id]);
      expect(await store.webhooks.attempts(id!)).toEqual([]);
      // A worker that still held a delivery of the deleted webhook reports into nothing.
      expect(await store.webhooks.recordAttempt(id!, 2, { atMs: now, statusCode: 200, error: null, durationMs: 1 }, { status: 'delivered' })).toBe(false);
      expect((await refusal(store.webhooks.delete(projectId, 'a'))).code).toBe('not_found');
    });

    it('never hands one delivery to two claims running at once', async () => {
      const a = await hook('a');
      const b = await hook('b');
      for (let i = 0; i < 15; i++) await store.webhooks.insertDeliveries(projectId, [event(a.id, `e${i}`), event(b.id, `e${i}`)]);
      const claimers = [store, store, store];
      if (db.another) {
        const second = await db.another();
        const third = await db.another();
        others.push(second, third);
        claimers.push(second, second, third, third);
      }
      const now = Date.now() + 1000;
      const perClaim = await Promise.all(claimers.map((s) => s.webhooks.claimDue(now, 5, LEASE)));
      expect(perClaim.every((c) => c.length <= 5)).toBe(true);
      const claims = perClaim.flat();
      const rest = await store.webhooks.claimDue(now, 100, LEASE);
      const ids = [...claims, ...rest].map((c) => c.delivery.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(30);
      expect(claims.every((c) => c.attempt === 1)).toBe(true);
    });
  });
}
