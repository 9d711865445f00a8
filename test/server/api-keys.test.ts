import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { apiClient, createKeyLocally, startServe, type ServeProcess } from '../support/serve-process.js';

/**
 * API keys over the JSON API of a real `evalops serve`: an admin key of a project manages that
 * project's keys only, an instance-wide admin key every key; the plaintext is answered once; the
 * actor of creation and revocation is the calling key's name; the CLI's --server mode prints what
 * local mode prints.
 */
describe('API keys over the API (end to end)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-api-keys-'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'local@example.com' };
  const remote = (key: string) => ({ EVALOPS_API_KEY: key, EVALOPS_DATABASE_URL: 'sqlite:/nonexistent/never-opened.db' });
  const keys: Record<string, string> = {};
  let serve: ServeProcess;
  let api: ReturnType<typeof apiClient>;
  let created: { id: string; prefix: string; plaintext: string };

  beforeAll(async () => {
    serve = await startServe(env); // first: the bootstrap admin key is created only on an empty key table
    api = apiClient(serve.url);
    keys['shopAdmin'] = await createKeyLocally(env, ['--role', 'admin', '--project', 'shop', '--name', 'shop-admin@example.com']);
    keys['owner'] = await createKeyLocally(env, ['--role', 'owner', '--project', 'shop']);
    keys['viewer'] = await createKeyLocally(env, ['--role', 'viewer', '--project', 'shop']);
    keys['otherAdmin'] = await createKeyLocally(env, ['--role', 'admin', '--project', 'elsewhere', '--name', 'their-admin']);
  });

  afterAll(() => serve?.stop());

  it("creates a key in the admin key's project, answering its plaintext once; the new key works", async () => {
    const res = await api(keys['shopAdmin'], 'POST', '/keys', { role: 'engineer', project: 'shop', name: 'ci' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ role: 'engineer', project: 'shop', name: 'ci', createdBy: 'shop-admin@example.com', revokedAt: null, warning: expect.stringMatching(/will not be shown again/) });
    expect(res.body.secret).toMatch(/^eo_[a-z2-7]{8}_[A-Za-z0-9_-]{43}$/);
    expect(res.body.plaintext).toBe(res.body.secret); // deprecated alias
    expect(res.body.display).toBe(`eo_${res.body.prefix}`);
    expect(res.body).not.toHaveProperty('key');
    created = res.body;
    const whoami = await api(created.plaintext, 'GET', '/whoami');
    expect(whoami.body).toEqual({ project: 'shop', role: 'engineer', actor: 'ci' });
    const audit = JSON.parse((await runCli(['audit', 'list', '--project', 'shop', '--json'], { env })).stdout).entries;
    expect(audit.filter((e: { entityId: string }) => e.entityId === created.id).map((e: { action: string; actor: string }) => [e.action, e.actor])).toEqual([['key.create', 'shop-admin@example.com']]);
  });

  it('keeps a project admin key to its project: other projects 403, instance-wide keys 403, their keys 404', async () => {
    const forElsewhere = await api(keys['shopAdmin'], 'POST', '/keys', { role: 'viewer', project: 'elsewhere' });
    expect(forElsewhere.status).toBe(403);
    expect(forElsewhere.body.error.message).toBe('this key may not access project "elsewhere"');
    expect((await api(keys['shopAdmin'], 'POST', '/keys', { role: 'admin', project: null })).status).toBe(403);
    expect((await api(keys['shopAdmin'], 'GET', '/keys?instance=true')).status).toBe(403);
    expect((await api(keys['shopAdmin'], 'GET', '/keys?project=elsewhere')).status).toBe(403);
    const theirs = (await api(serve.adminKey, 'GET', '/keys?project=elsewhere')).body.keys[0];
    const revokeTheirs = await api(keys['shopAdmin'], 'POST', `/keys/${theirs.prefix}/revoke`);
    const revokeNone = await api(keys['shopAdmin'], 'POST', '/keys/aaaaaaaa/revoke');
    expect([revokeTheirs.status, revokeNone.status]).toEqual([404, 404]);
    expect(revokeTheirs.body.error.message).toBe(`no API key with id or prefix "${theirs.prefix}"`);
    const bootstrapPrefix = serve.adminKey.slice(3, 11);
    expect((await api(keys['shopAdmin'], 'POST', `/keys/eo_${bootstrapPrefix}/revoke`)).status).toBe(404);
    expect((await api(serve.adminKey, 'GET', '/keys?project=elsewhere')).body.keys[0].revokedAt).toBeNull();
  });

  it('refuses every key operation to roles below admin', async () => {
    for (const key of [keys['owner']!, keys['viewer']!]) {
      expect((await api(key, 'POST', '/keys', { role: 'viewer', project: 'shop' })).status).toBe(403);
      expect((await api(key, 'GET', '/keys')).status).toBe(403);
      expect((await api(key, 'POST', `/keys/${created.prefix}/revoke`)).status).toBe(403);
    }
    const cli = await runCli(['keys', 'list', '--server', serve.url], { env: remote(keys['owner']!) });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/keys:manage/);
  });

  it('refuses bad bodies with the field named, creating nothing', async () => {
    const count = async () => (await api(serve.adminKey, 'GET', '/keys')).body.keys.length;
    const before = await count();
    const cases: Array<[unknown, RegExp]> = [
      [{ role: 'root', project: 'shop' }, /^body field role: /],
      [{ role: 'viewer' }, /^body field project: /],
      [{ role: 'viewer', project: 'Not A Slug' }, /^body field project: must be a slug/],
      [{ role: 'viewer', project: 'shop', name: ' ' }, /invalid API key: name must not be empty/],
      [{ role: 'viewer', project: null }, /only admin keys may be instance-wide/],
      [{ role: 'viewer', project: '_instance' }, /reserved for the instance's audit log/],
    ];
    for (const [body, message] of cases) {
      const res = await api(serve.adminKey, 'POST', '/keys', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    const whole = await api(serve.adminKey, 'POST', `/keys/${created.plaintext}/revoke`);
    expect(whole.status).toBe(400);
    expect(whole.body.error.message).toMatch(/^path field key: .*never by the whole key/);
    expect((await api(serve.adminKey, 'GET', '/keys?instance=true&project=shop')).status).toBe(400);
    expect(await count()).toBe(before);
  });

  it("lists keys without secrets: a project admin its project's, the instance admin all; the CLI with --server prints what it prints locally", async () => {
    const shop = await api(keys['shopAdmin'], 'GET', '/keys');
    expect(shop.status).toBe(200);
    expect(shop.body.project).toBe('shop');
    expect(shop.body.keys.every((k: { project: string }) => k.project === 'shop')).toBe(true);
    expect(shop.body.keys.map((k: { role: string }) => k.role)).toEqual(['engineer', 'viewer', 'owner', 'admin']);
    expect(JSON.stringify(shop.body)).not.toContain(created.plaintext.slice(12));
    expect(JSON.stringify(shop.body)).not.toMatch(/hash|plaintext|secret/);
    const all = await api(serve.adminKey, 'GET', '/keys');
    expect(new Set(all.body.keys.map((k: { project: string | null }) => k.project))).toEqual(new Set(['shop', 'elsewhere', null]));

    const viaCli = await runCli(['keys', 'list', '--server', serve.url, '--json'], { env: remote(keys['shopAdmin']!) });
    expect(viaCli.code, viaCli.stderr).toBe(0);
    const local = await runCli(['keys', 'list', '--project', 'shop', '--json'], { env });
    // lastUsedAt moves as keys are used; everything else is the same document
    const stable = (doc: { keys: Array<Record<string, unknown>> }) => ({ ...doc, keys: doc.keys.map(({ lastUsedAt, ...k }) => k) });
    expect(stable(JSON.parse(viaCli.stdout))).toEqual(stable(JSON.parse(local.stdout)));
    const instanceOnly = await runCli(['keys', 'list', '--instance', '--server', serve.url, '--json'], { env: remote(serve.adminKey) });
    expect(JSON.parse(instanceOnly.stdout)).toMatchObject({ project: null, instanceOnly: true, keys: [{ name: 'bootstrap admin', role: 'admin', project: null }] });
  });

  it('creates keys with the CLI against the server: in the key\'s project by default, instance-wide with the instance key', async () => {
    const res = await runCli(['keys', 'create', '--role', 'reviewer', '--name', 'labeler', '--server', serve.url], { env: remote(keys['shopAdmin']!) });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^created reviewer key eo_[a-z2-7]{8} for project "shop" named "labeler"\n\n {2}eo_[a-z2-7]{8}_\S{43}\n/);
    const instance = await runCli(['keys', 'create', '--role', 'admin', '--instance', '--name', 'ops', '--server', serve.url, '--json'], { env: remote(serve.adminKey) });
    expect(instance.code, instance.stderr).toBe(0);
    expect(JSON.parse(instance.stdout)).toMatchObject({ role: 'admin', project: null, name: 'ops', createdBy: 'bootstrap admin' });
    const refused = await runCli(['keys', 'create', '--role', 'admin', '--instance', '--server', serve.url, '--json'], { env: remote(keys['shopAdmin']!) });
    expect(refused.code).toBe(2);
    expect(JSON.parse(refused.stdout).error).toMatchObject({ code: 'forbidden' });
  });

  it('revokes under the calling key\'s name: the key stops working; a second revoke says so', async () => {
    const res = await api(keys['shopAdmin'], 'POST', `/keys/${created.prefix}/revoke`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ id: created.id, revokedBy: 'shop-admin@example.com', alreadyRevoked: false, auditSeq: expect.any(Number) });
    expect((await api(created.plaintext, 'GET', '/whoami')).status).toBe(401);
    const again = await runCli(['keys', 'revoke', created.plaintext, '--server', serve.url], { env: remote(keys['shopAdmin']!) });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`key eo_${created.prefix} \\(engineer, project "shop"\\) was already revoked at .* by shop-admin@example\\.com`));
    const viewerPrefix = (await api(keys['shopAdmin'], 'GET', '/keys')).body.keys.find((k: { role: string }) => k.role === 'viewer').prefix;
    const text = await runCli(['keys', 'revoke', viewerPrefix, '--server', serve.url], { env: remote(keys['shopAdmin']!) });
    expect(text.stdout).toBe(`revoked key eo_${viewerPrefix} (viewer, project "shop"), by shop-admin@example.com\n`);
    const verify = await runCli(['audit', 'verify', '--project', 'shop'], { env });
    expect(verify.code, verify.stdout).toBe(0);
  });

  it('describes the key operations in the OpenAPI document', async () => {
    const doc = (await api(serve.adminKey, 'GET', '/openapi.json')).body;
    expect(doc.paths['/keys'].post.operationId).toBe('createKey');
    expect(doc.paths['/keys'].get.operationId).toBe('listKeys');
    expect(doc.paths['/keys/{key}/revoke'].post.operationId).toBe('revokeKey');
  });
});
