/**
 * The web UI's sign-in over real HTTP (in-process `startServer`, SQLite file): the cookie holds an
 * opaque session id, never the key; the id works on another replica of the same database; sign-out,
 * revoking the key (by the repository, or by a bare UPDATE that skips it) and the twelve hours each
 * end it; the CSRF header is still needed for writes; `Secure` follows https, and X-Forwarded-Proto
 * only with --trust-proxy. Every response, HTML and assets included, carries the security headers.
 */
import { readdirSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { findWebRoot } from '../../src/server/web-root.js';
import { hashSessionId, WEB_SESSION_TTL_MS } from '../../src/store/web-session-repository.js';
import { openStore, type Store } from '../../src/store/store.js';

describe('web UI sessions', () => {
  let clock = Date.now();
  const now = (): number => clock;
  let file: string;
  let store: Store;
  let key: string;
  let keyId: string;
  const servers: RunningServer[] = [];
  const stores: Store[] = [];

  beforeEach(async () => {
    clock = Date.now();
    file = `sqlite:${join(mkdtempSync(join(tmpdir(), 'evalops-web-sessions-')), 'db.sqlite')}`;
    store = await openStore(file, { now });
    const project = await store.projects.ensure('shop');
    const created = await store.apiKeys.create({ role: 'owner', projectId: project.id, name: 'ana@example.com', createdBy: 'test' });
    key = created.plaintext;
    keyId = created.record.id;
  });
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
    for (const s of stores.splice(0)) await s.close();
    await store.close();
  });

  async function serve(options: { trustProxy?: boolean; store?: Store } = {}): Promise<RunningServer> {
    const server = await startServer({ store: options.store ?? store, port: 0, host: '127.0.0.1', ...(options.trustProxy ? { trustProxy: true } : {}) });
    servers.push(server);
    return server;
  }

  async function signIn(url: string, headers: Record<string, string> = {}): Promise<{ cookie: string; setCookie: string }> {
    const res = await fetch(`${url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ key }) });
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie') ?? '';
    const cookie = /^evalops_session=([^;]*)/.exec(setCookie)?.[1] ?? '';
    return { cookie, setCookie };
  }

  const get = (url: string, cookie: string, path = '/api/v1/projects/shop/runs'): Promise<Response> => fetch(`${url}${path}`, { headers: { cookie: `evalops_session=${cookie}` } });

  it('puts an opaque 256-bit id in the cookie, never the key, and keeps only its hash in the database', async () => {
    const { url } = await serve();
    const { cookie, setCookie } = await signIn(url);
    expect(cookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(setCookie).not.toContain(key);
    expect(setCookie).not.toContain('eo_');
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Max-Age=43200/);
    expect(setCookie).not.toMatch(/Secure/i);
    const rows = await store.db.selectFrom('web_sessions').selectAll().execute();
    expect(rows).toEqual([{ id_hash: hashSessionId(cookie), key_id: keyId, created_at: expect.any(String), expires_ms: expect.any(Number) }]);
    expect((await get(url, cookie)).status).toBe(200);
    expect(await (await get(url, cookie, '/api/v1/session')).json()).toMatchObject({ signedIn: true, project: 'shop', role: 'owner', actor: 'ana@example.com' });
  });

  it('ends the browser’s previous session when it signs in again, and hands out a new id', async () => {
    const { url } = await serve();
    const first = await signIn(url);
    const second = await signIn(url, { cookie: `evalops_session=${first.cookie}` });
    expect(second.cookie).not.toBe(first.cookie);
    expect((await get(url, first.cookie)).status).toBe(401);
    expect((await get(url, second.cookie)).status).toBe(200);
    expect(await store.webSessions.countForKey(keyId)).toBe(1);
  });

  it('no longer takes the key itself as the cookie (the old form)', async () => {
    const { url } = await serve();
    expect((await get(url, key)).status).toBe(401);
    expect(await (await get(url, key, '/api/v1/session')).json()).toEqual({ signedIn: false });
  });

  it('still needs the CSRF header for a write by cookie', async () => {
    const { url } = await serve();
    const { cookie } = await signIn(url);
    const write = (headers: Record<string, string>) =>
      fetch(`${url}/api/v1/projects/shop/webhooks`, { method: 'POST', headers: { cookie: `evalops_session=${cookie}`, 'content-type': 'application/json', ...headers }, body: JSON.stringify({ url: 'https://203.0.113.5/x' }) }); // a public literal: no DNS, no connection at creation
    const refused = await write({});
    expect(refused.status).toBe(403);
    expect(await refused.text()).toMatch(/x-evalops-csrf/);
    expect((await store.webhooks.list((await store.projects.ensure('shop')).id)).length).toBe(0);
    expect((await write({ 'x-evalops-csrf': '1' })).status).toBe(201);
    expect((await store.webhooks.list((await store.projects.ensure('shop')).id)).length).toBe(1);
  });

  it('works on another replica of the same database, and signing out on one ends it on both', async () => {
    const a = await serve();
    const other = await openStore(file, { now });
    stores.push(other);
    const b = await serve({ store: other });
    const { cookie } = await signIn(a.url);
    expect((await get(b.url, cookie)).status).toBe(200);
    const out = await fetch(`${a.url}/api/v1/session`, { method: 'DELETE', headers: { cookie: `evalops_session=${cookie}` } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/evalops_session=;.*Max-Age=0/);
    expect((await get(b.url, cookie)).status).toBe(401);
    expect((await get(a.url, cookie)).status).toBe(401);
    expect(await store.webSessions.countForKey(keyId)).toBe(0);
  });

  it('ends every session of a key when the key is revoked', async () => {
    const { url } = await serve();
    const one = await signIn(url);
    const two = await signIn(url);
    await store.apiKeys.revoke(keyId, 'admin@example.com');
    for (const { cookie } of [one, two]) {
      const res = await get(url, cookie);
      expect(res.status).toBe(401);
    }
    expect(await store.webSessions.countForKey(keyId)).toBe(0);
  });

  it('re-reads the key on every request: a key revoked behind the repository’s back ends the session too', async () => {
    const { url } = await serve();
    const { cookie } = await signIn(url);
    await store.db.updateTable('api_keys').set({ revoked_at: new Date().toISOString(), revoked_by: 'sql' }).where('id', '=', keyId).execute();
    expect(await store.webSessions.countForKey(keyId)).toBe(1);
    const res = await get(url, cookie);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'unauthenticated', message: 'key revoked' } });
    expect(await store.webSessions.countForKey(keyId)).toBe(0);
  });

  it('expires twelve hours after sign-in however much it is used', async () => {
    const { url } = await serve();
    const { cookie } = await signIn(url);
    clock += WEB_SESSION_TTL_MS - 60_000;
    expect((await get(url, cookie)).status).toBe(200);
    clock += 60_000;
    expect((await get(url, cookie)).status).toBe(401);
    expect(await (await get(url, cookie, '/api/v1/session')).json()).toEqual({ signedIn: false });
  });

  it('marks the cookie Secure behind a trusted proxy that says https, and ignores the header otherwise', async () => {
    const plain = await serve();
    expect((await signIn(plain.url, { 'x-forwarded-proto': 'https' })).setCookie).not.toMatch(/Secure/i);
    const proxied = await serve({ trustProxy: true });
    expect((await signIn(proxied.url, { 'x-forwarded-proto': 'https' })).setCookie).toMatch(/; Secure/i);
    expect((await signIn(proxied.url, { 'x-forwarded-proto': 'http' })).setCookie).not.toMatch(/Secure/i);
    expect((await signIn(proxied.url)).setCookie).not.toMatch(/Secure/i);
    const hsts = await fetch(`${proxied.url}/healthz`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(hsts.headers.get('strict-transport-security')).toBe('max-age=15552000');
    expect((await fetch(`${plain.url}/healthz`, { headers: { 'x-forwarded-proto': 'https' } })).headers.get('strict-transport-security')).toBeNull();
  });

  it('sends the security headers on the HTML, the assets, the API and errors', async () => {
    const root = findWebRoot();
    expect(root, 'the web UI must be built (npm run build)').toBeDefined();
    const asset = readdirSync(join(root!, 'assets')).find((f) => f.endsWith('.js'))!;
    const { url } = await serve();
    for (const path of ['/', '/p/shop/runs', `/assets/${asset}`, '/favicon.svg', '/api/v1/projects/shop/runs', '/api/v1/nothing', '/healthz']) {
      const res = await fetch(`${url}${path}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"]) {
        expect(csp, `${path}: ${directive}`).toContain(directive);
      }
      expect(csp, path).not.toContain('unsafe-inline');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
    }
  });
});
