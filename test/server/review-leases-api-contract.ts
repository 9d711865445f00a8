import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rubricFromLabels } from '../../src/core/review/rubric.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import type { Store } from '../../src/store/store.js';

/**
 * Review over HTTP, on every dialect: queue leases (range checked, expiry audited), skip and release
 * (audited; another project's key reaches nothing), reviewers asking for their next item at once
 * never sharing one, and the agreement of every reviewer pair (with `?pair=` checked).
 */
export function describeReviewLeasesApi(dialect: string, open: (now: () => number) => Promise<Store>): void {
  describe(`review leases and pairwise agreement over HTTP (${dialect})`, () => {
    let store: Store;
    let server: RunningServer;
    let clock = Date.parse('2026-12-06T12:00:00Z');
    const project = `leases-api-${Date.now()}`;
    const keys: Record<string, string> = {};

    beforeAll(async () => {
      store = await open(() => clock);
      const p = await store.projects.ensure(project);
      const other = await store.projects.ensure(`${project}-other`);
      keys.lead = (await store.apiKeys.create({ role: 'engineer', projectId: p.id, createdBy: 't', name: 'lead' })).plaintext;
      for (const r of ['ann', 'bo', 'cy', ...Array.from({ length: 8 }, (_, i) => `p${i}`)]) keys[r] = (await store.apiKeys.create({ role: 'reviewer', projectId: p.id, createdBy: 't', name: r })).plaintext;
      keys.intruder = (await store.apiKeys.create({ role: 'owner', projectId: other.id, createdBy: 't', name: 'ann' })).plaintext;
      server = await startServer({ store, port: 0, host: '127.0.0.1' });
    });
    afterAll(async () => {
      await server?.close();
      await store?.close();
    });

    async function call(who: string, method: string, path: string, body?: unknown, projectName = project): Promise<{ status: number; body: any }> {
      const res = await fetch(`${server.url}/api/v1/projects/${projectName}/review${path}`, {
        method,
        headers: { authorization: `Bearer ${keys[who]}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: await res.json() };
    }

    async function queueWith(name: string, items: number, extra: Record<string, unknown> = {}): Promise<void> {
      const rubric = rubricFromLabels(['poor', 'fair', 'good'], ['good']);
      const created = await call('lead', 'POST', '/queues', { name, metric: 'helpfulness', rubric, ...extra });
      expect(created.status).toBe(201);
      const q = await store.reviews.getQueue((await store.projects.findByName(project))!.id, name);
      await store.reviews.addItems(
        q,
        Array.from({ length: items }, (_, i) => ({ key: `k${i}`, source: 'result' as const, runId: 'run_x', exampleId: `e${i}`, reason: 'sample' as const, payload: { input: `q${i}`, output: `a${i}`, toolCalls: [], slices: [], judge: null, checks: {}, latencyMs: null, costUsd: null } })),
      );
    }

    async function auditActions(): Promise<string[]> {
      const p = await store.projects.findByName(project);
      return (await store.audit.list(p!.id)).map((e) => e.action);
    }

    it('refuses a lease out of range with a 400 naming leaseMinutes, and defaults to 30', async () => {
      const rubric = rubricFromLabels(['poor', 'good'], ['good']);
      for (const leaseMinutes of [0, 10_081, 2.5]) {
        const r = await call('lead', 'POST', '/queues', { name: 'bad', metric: 'helpfulness', rubric, leaseMinutes });
        expect(r.status).toBe(400);
        expect(r.body.error.message).toMatch(/leaseMinutes/);
      }
      const ok = await call('lead', 'POST', '/queues', { name: 'plain', metric: 'helpfulness', rubric });
      expect(ok.body.leaseMinutes).toBe(30);
    });

    it('skip hands the item to someone else, never back; release gives it back; both audited', async () => {
      await queueWith('sr', 2);
      const first = (await call('ann', 'POST', '/queues/sr/next')).body.item;
      const skipped = await call('ann', 'POST', `/queues/sr/items/${first.id}/skip`);
      expect(skipped.status).toBe(200);
      expect(skipped.body.assigned).toBe(0);
      const annNext = (await call('ann', 'POST', '/queues/sr/next')).body.item;
      expect(annNext.id).not.toBe(first.id);
      expect((await call('bo', 'POST', '/queues/sr/next')).body.item.id).toBe(first.id);
      const released = await call('ann', 'POST', `/queues/sr/items/${annNext.id}/release`);
      expect(released.status).toBe(200);
      expect((await call('ann', 'POST', '/queues/sr/next')).body.item.id).toBe(annNext.id);
      const again = await call('cy', 'POST', `/queues/sr/items/${annNext.id}/release`);
      expect(again.status).toBe(409); // cy does not hold it
      expect(await auditActions()).toEqual(expect.arrayContaining(['review.skip', 'review.release']));
    });

    it("does not let another project's key skip or release an item", async () => {
      await queueWith('guarded', 1);
      const held = (await call('ann', 'POST', '/queues/guarded/next')).body.item;
      for (const how of ['skip', 'release']) {
        const r = await call('intruder', 'POST', `/queues/guarded/items/${held.id}/${how}`);
        expect([403, 404]).toContain(r.status);
        const viaOwn = await call('intruder', 'POST', `/queues/guarded/items/${held.id}/${how}`, undefined, `${project}-other`);
        expect(viaOwn.status).toBe(404);
      }
      const item = await store.reviews.getItem(await store.reviews.getQueue((await store.projects.findByName(project))!.id, 'guarded'), held.id);
      expect(item.assigned).toBe(1);
    });

    it('returns an item after the lease and audits the expiry', async () => {
      await queueWith('leased', 1, { leaseMinutes: 5 });
      const held = (await call('ann', 'POST', '/queues/leased/next')).body.item;
      expect((await call('bo', 'POST', '/queues/leased/next')).body.item).toBeNull();
      clock += 5 * 60_000 + 1;
      expect((await call('bo', 'POST', '/queues/leased/next')).body.item.id).toBe(held.id);
      const label = await call('ann', 'POST', `/queues/leased/items/${held.id}/labels`, { label: 'good' });
      expect(label.status).toBe(403); // ann's lease ended: the item is not hers any more
      expect(await auditActions()).toContain('review.lease_expired');
    });

    it('never gives one item to two reviewers asking at once', async () => {
      await queueWith('race', 5);
      const reviewers = Array.from({ length: 8 }, (_, i) => `p${i}`);
      const answers = await Promise.all(reviewers.map((r) => call(r, 'POST', '/queues/race/next')));
      expect(answers.map((a) => a.status)).toEqual(reviewers.map(() => 200));
      const ids = answers.flatMap((a) => (a.body.item ? [a.body.item.id as string] : []));
      expect(ids).toHaveLength(5);
      expect(new Set(ids).size).toBe(5);
    });

    it("reports Cohen's kappa of every reviewer pair, unweighted, linear and quadratic, and checks ?pair", async () => {
      await queueWith('three', 6, { reviewersPerItem: 3 });
      const plan: Record<string, string[]> = { ann: ['poor', 'fair', 'good', 'good', 'poor', 'fair'], bo: ['poor', 'fair', 'good', 'fair', 'poor', 'good'], cy: ['fair', 'fair', 'good', 'good', 'poor', 'poor'] };
      for (const [who, labels] of Object.entries(plan)) {
        for (;;) {
          const item = (await call(who, 'POST', '/queues/three/next')).body.item;
          if (item === null) break;
          expect((await call(who, 'POST', `/queues/three/items/${item.id}/labels`, { label: labels[item.position] })).status).toBe(201);
        }
      }
      const agreement = await call('ann', 'GET', '/queues/three/agreement');
      expect(agreement.status).toBe(200);
      expect(agreement.body.pairwise.map((p: any) => p.raters.join('×'))).toEqual(['ann×bo', 'ann×cy', 'bo×cy']);
      for (const p of agreement.body.pairwise) {
        expect(p.n).toBe(6);
        for (const k of [p.unweighted, p.linear, p.quadratic]) {
          expect(typeof k.value).toBe('number');
          expect(k.ci95[0]).toBeLessThanOrEqual(k.value);
        }
      }
      // ann × bo agree on 4 of 6 (poor, fair, good, poor); marginals ann (2, 2, 2), bo (2, 2, 2): κ = (4/6 − 1/3)/(2/3) = 0.5.
      expect(agreement.body.pairwise[0].unweighted.value).toBeCloseTo(0.5, 10);
      expect(agreement.body.perLabel.every((l: any) => l.specificAgreement === null || Array.isArray(l.specificAgreementCi95))).toBe(true);
      const one = await call('ann', 'GET', '/queues/three/agreement?pair=cy,bo');
      expect(one.body.pairwise.map((p: any) => p.raters.join('×'))).toEqual(['bo×cy']);
      const unknown = await call('ann', 'GET', '/queues/three/agreement?pair=ann,zed');
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toMatch(/pair.*"zed"/);
      expect((await call('ann', 'GET', '/queues/three/agreement?pair=ann')).status).toBe(400);
    });
  });
}
