import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releaseConfigHash } from '../../src/core/release-config.js';
import { subjectBucket } from '../../src/core/subject-bucket.js';
import { createResolver, type Resolver } from '../../src/resolver/create-resolver.js';
import type { Store } from '../../src/store/store.js';
import { apiClient, startServe, type ServeProcess } from '../support/serve-process.js';

/**
 * Resolve end to end, run on every dialect: two real `evalops serve` processes on one database, the
 * SDK's resolver against one of them. Live or canary by the documented sticky hash, ETag and 304,
 * unknown tracks, role refusals both ways, the resolver's cache and background refresh, a rollback
 * made through the other server reaching the resolver within its refresh interval, and the resolver
 * failing static when its server is killed.
 */
export function describeResolveContract(dialect: string, setup: () => { env: Record<string, string>; open: () => Promise<Store> }): void {
  describe(`resolve (${dialect})`, () => {
    let store: Store;
    let env: Record<string, string>;
    let a: ServeProcess;
    let b: ServeProcess;
    const keys: Record<string, string> = {};
    let canaryId = '';
    const v1 = { prompts: { system: { template: 'You are a support bot.' } }, model: { id: 'openai:gpt-4.1-mini' } };
    const v2 = { prompts: { system: { template: 'You are a kind support bot.' } }, model: { id: 'openai:gpt-4.1-mini', parameters: { temperature: 0.2 } } };
    const resolvers: Resolver[] = [];

    beforeAll(async () => {
      ({ env } = setup());
      store = await setup().open();
      const shop = await store.projects.ensure('shop');
      const other = await store.projects.ensure('other');
      for (const role of ['resolve', 'viewer', 'ingest', 'engineer'] as const) keys[role] = (await store.apiKeys.create({ role, projectId: shop.id, createdBy: 'test' })).plaintext;
      keys['otherResolve'] = (await store.apiKeys.create({ role: 'resolve', projectId: other.id, createdBy: 'test' })).plaintext;
      keys['otherEngineer'] = (await store.apiKeys.create({ role: 'engineer', projectId: other.id, createdBy: 'test' })).plaintext;
      const live = (await store.releaseConfigs.set(shop.id, '1.0.0', v1, 'test')).release;
      await store.releases.apply(live.id, { type: 'gate', outcome: 'approve' }, 'ci');
      await store.releases.apply(live.id, { type: 'promote' }, 'test');
      const canary = (await store.releaseConfigs.set(shop.id, '1.1.0', v2, 'test')).release;
      canaryId = canary.id;
      await store.releases.apply(canary.id, { type: 'gate', outcome: 'approve' }, 'ci');
      await store.releases.apply(canary.id, { type: 'promote', percent: 20 }, 'test');
      [a, b] = await Promise.all([startServe(env, ['--no-worker']), startServe(env, ['--no-worker'])]);
    });
    afterAll(async () => {
      for (const r of resolvers) r.close();
      a?.stop();
      b?.stop();
      await store?.close();
    });

    const get = async (server: ServeProcess, path: string, key: string | undefined, headers: Record<string, string> = {}) => {
      const res = await fetch(`${server.url}/api/v1${path}`, { headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers } });
      const text = await res.text();
      return { status: res.status, etag: res.headers.get('etag'), body: text ? JSON.parse(text) : undefined };
    };
    const subjects = Array.from({ length: 200 }, (_, i) => `user-${i}`);
    const expectedRelease = (s: string) => (subjectBucket('shop', 'default', s) < 2000 ? '1.1.0' : '1.0.0');

    it('gives each subject live or the 20% canary by the documented sticky hash, with the release config', async () => {
      for (const s of subjects.slice(0, 60)) {
        const r = await get(a, `/projects/shop/resolve?subject=${encodeURIComponent(s)}`, keys['resolve']);
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ project: 'shop', track: 'default', subject: s, bucket: subjectBucket('shop', 'default', s), release: { name: expectedRelease(s) } });
        expect(r.body.config).toEqual(expectedRelease(s) === '1.1.0' ? v2 : v1);
        expect(r.body.configHash).toBe(releaseConfigHash(expectedRelease(s) === '1.1.0' ? v2 : v1));
      }
      expect(new Set(subjects.map(expectedRelease))).toEqual(new Set(['1.0.0', '1.1.0']));
    });

    it('answers 304 to If-None-Match with the ETag, for a subject and for the table', async () => {
      const first = await get(a, '/projects/shop/resolve?subject=user-1', keys['resolve']);
      expect(first.etag).toMatch(/^"[0-9a-f]+"$/);
      expect((await get(a, '/projects/shop/resolve?subject=user-1', keys['resolve'], { 'if-none-match': first.etag as string })).status).toBe(304);
      expect((await get(a, '/projects/shop/resolve?subject=user-1', keys['resolve'], { 'if-none-match': '"other"' })).status).toBe(200);
      const table = await get(a, '/projects/shop/resolve/table', keys['resolve']);
      expect(table.body.releases.map((r: { name: string; from: number; to: number }) => [r.name, r.from, r.to])).toEqual([
        ['1.1.0', 0, 2000],
        ['1.0.0', 2000, 10_000],
      ]);
      expect((await get(a, '/projects/shop/resolve/table', keys['resolve'], { 'if-none-match': `W/${table.etag}` })).status).toBe(304);
    });

    it('refuses bad input: an unknown track is a 404 listing the tracks, a missing subject a 400 naming it', async () => {
      const track = await get(a, '/projects/shop/resolve?subject=u&track=beta', keys['resolve']);
      expect(track.status).toBe(404);
      expect(track.body.error).toMatchObject({ code: 'not_found', tracks: ['default'], message: expect.stringContaining('unknown track "beta"') });
      const missing = await get(a, '/projects/shop/resolve', keys['resolve']);
      expect(missing.status).toBe(400);
      expect(missing.body.error.message).toContain('subject');
      expect((await get(a, `/projects/shop/resolve?subject=${'x'.repeat(600)}`, keys['resolve'])).status).toBe(400);
    });

    it('lets a resolve key do nothing else, and keys of another project or an ingest key not resolve this project', async () => {
      const api = apiClient(a.url);
      expect((await api(keys['resolve'], 'GET', '/projects/shop/traces')).status).toBe(403);
      expect((await api(keys['resolve'], 'GET', '/projects/shop/releases')).status).toBe(403);
      expect((await api(keys['resolve'], 'PUT', '/projects/shop/releases/9.9.9/config', { config: v1 })).status).toBe(403);
      expect((await api(keys['resolve'], 'POST', `/releases/${canaryId}/rollback?project=shop`, { reason: 'x' })).status).toBe(403);
      expect((await get(a, '/projects/shop/resolve?subject=u', keys['otherResolve'])).status).toBe(403);
      expect((await get(a, '/projects/shop/resolve/table', keys['otherEngineer'])).status).toBe(403);
      expect((await get(a, '/projects/shop/resolve?subject=u', keys['ingest'])).status).toBe(403);
      expect((await get(a, '/projects/shop/resolve?subject=u', undefined)).status).toBe(401);
      expect((await get(a, '/projects/shop/resolve?subject=u', 'eo_aaaaaaaa_notakey')).status).toBe(401);
      expect((await get(a, '/projects/shop/resolve?subject=u', keys['viewer'])).status).toBe(200);
      expect((await get(a, '/projects/other/resolve?subject=u', keys['otherResolve'])).body).toMatchObject({ release: null, config: null });
    });

    it('refuses a revoked key on every server within the key cache age (1 s), and an empty track as a 400', async () => {
      const shop = await store.projects.findByName('shop');
      const doomed = await store.apiKeys.create({ role: 'resolve', projectId: shop!.id, createdBy: 'test' });
      expect((await get(a, '/projects/shop/resolve?subject=u', doomed.plaintext)).status).toBe(200);
      expect((await get(b, '/projects/shop/resolve?subject=u', doomed.plaintext)).status).toBe(200);
      await store.apiKeys.revoke(doomed.record.id, 'test');
      const statuses = async () => [(await get(a, '/projects/shop/resolve?subject=u', doomed.plaintext)).status, (await get(b, '/projects/shop/resolve?subject=u', doomed.plaintext)).status];
      let last = await statuses();
      const deadline = Date.now() + 30_000;
      while (last.some((s) => s !== 401) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        last = await statuses();
      }
      expect(last).toEqual([401, 401]);
      const empty = await get(a, '/projects/shop/resolve?subject=u&track=', keys['resolve']);
      expect(empty.status).toBe(400);
      expect(empty.body.error.message).toContain('track');
    });

    it('serves every subject from one cached table, refreshes with If-None-Match, and follows a rollback made on another server within two refreshes', async () => {
      const calls: number[] = [];
      const counting: typeof fetch = async (input, init) => {
        const res = await fetch(input, init);
        calls.push(res.status);
        return res;
      };
      const resolver = createResolver({ url: a.url, key: keys['resolve'] as string, project: 'shop', refreshMs: 300, fetch: counting, fallback: { release: 'bundled', config: { data: { bundled: true } } } });
      resolvers.push(resolver);
      await resolver.ready();
      for (const s of subjects) expect(resolver.resolve(s)).toMatchObject({ release: expectedRelease(s), source: 'server', config: expectedRelease(s) === '1.1.0' ? v2 : v1 });
      expect(calls).toEqual([200]); // 200 subjects, one request
      await until(() => calls.length >= 3);
      expect(calls.slice(1, 3)).toEqual([304, 304]);

      const canarySubjects = subjects.filter((s) => expectedRelease(s) === '1.1.0');
      const callsAtRollback = calls.length;
      const started = Date.now();
      expect((await apiClient(b.url)(keys['engineer'], 'POST', `/releases/${canaryId}/rollback?project=shop`, { reason: 'canary regressed' })).status).toBe(200);
      await until(() => canarySubjects.every((s) => resolver.resolve(s).release === '1.0.0'));
      const elapsed = Date.now() - started;
      // The server checks its state every 250 ms, the resolver asks every 300 ms: the second request after the rollback sees it.
      expect(calls.length - callsAtRollback).toBeLessThanOrEqual(2 + 1);
      expect(elapsed).toBeLessThan(5000);
      for (const s of subjects) expect(resolver.resolve(s)).toMatchObject({ release: '1.0.0', config: v1 });
    });

    it('fails static: with its server killed the resolver keeps the last config and never throws; a new one answers the bundled fallback', async () => {
      const errors: string[] = [];
      const resolver = createResolver({ url: a.url, key: keys['resolve'] as string, project: 'shop', refreshMs: 200, timeoutMs: 500, onError: (e) => errors.push(e.message) });
      resolvers.push(resolver);
      await resolver.ready();
      expect(resolver.resolve('user-1')).toMatchObject({ release: '1.0.0', source: 'server' });
      a.stop();
      await until(() => errors.length >= 2);
      for (const s of subjects) expect(resolver.resolve(s)).toMatchObject({ release: '1.0.0', config: v1 });
      await until(() => resolver.resolve('user-1').source === 'last-known');
      expect(resolver.status().lastError).not.toBeNull();

      const fresh = createResolver({ url: a.url, key: keys['resolve'] as string, project: 'shop', timeoutMs: 500, fallback: { release: 'bundled', config: { data: { bundled: true } } }, onError: () => undefined });
      resolvers.push(fresh);
      await fresh.ready();
      expect(fresh.resolve('user-1')).toMatchObject({ release: 'bundled', source: 'fallback', config: { data: { bundled: true } } });
      const bare = createResolver({ url: a.url, key: keys['resolve'] as string, project: 'shop', timeoutMs: 500 });
      resolvers.push(bare);
      await bare.ready();
      expect(bare.resolve('user-1')).toMatchObject({ release: null, config: null, source: 'fallback' });
    });
  });
}

/** Polls until the condition holds (generous deadline: a loaded machine is slow, never a fixed wait). */
async function until(condition: () => boolean, deadlineMs = 30_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met before the deadline');
    await new Promise((r) => setTimeout(r, 20));
  }
}
