import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../src/auth/api-key.js';
import { authenticate } from '../../src/auth/authenticate.js';
import { INSTANCE_AUDIT_PROJECT } from '../../src/store/api-key-repository.js';
import { openStore, type Store } from '../../src/store/store.js';
import { runCli } from './run-cli.js';

/**
 * `evalops keys create|list|revoke` end to end, on the built CLI; the keys it prints are then used
 * through the real authentication on the same database.
 */
describe('evalops keys (end to end)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-cli-keys-'));
  const dbPath = join(dir, 'db.sqlite');
  const env = { EVALOPS_DATABASE_URL: `sqlite:${dbPath}`, EVALOPS_ACTOR: 'env-actor@example.com' };
  const opts = { cwd: dir, env };
  const configDir = mkdtempSync(join(tmpdir(), 'evalops-cli-keys-config-'));
  const keys = (...args: string[]) => runCli(['keys', ...args], opts);
  const json = async (...args: string[]) => {
    const res = await keys(...args, '--json');
    expect(res.code, res.stderr).toBe(0);
    return JSON.parse(res.stdout);
  };

  async function withStore<T>(body: (store: Store) => Promise<T>): Promise<T> {
    const store = await openStore(`sqlite:${dbPath}`);
    try {
      return await body(store);
    } finally {
      await store.close();
    }
  }

  let engineer: { secret: string; plaintext: string; prefix: string; id: string };
  beforeAll(async () => {
    writeFileSync(
      join(configDir, 'evalops.yaml'),
      ['version: 1', 'project: from-config', 'target: { type: command, command: cat }', 'dataset: { name: cases, path: ./cases.jsonl }', 'metrics:', '  - { name: m, scorer: { type: contains, value: x } }', ''].join('\n'),
    );
    engineer = await json('create', '--role', 'engineer', '--project', 'shop', '--name', 'ci');
  });

  it('creates a key for a project, prints it once with a warning, and the key works', async () => {
    expect(engineer).toMatchObject({ display: `eo_${engineer.prefix}`, role: 'engineer', project: 'shop', name: 'ci', createdBy: 'env-actor@example.com', lastUsedAt: null, revokedAt: null, auditSeq: 1 });
    expect(engineer.secret).toMatch(/^eo_[a-z2-7]{8}_[A-Za-z0-9_-]{43}$/);
    expect(engineer.secret.startsWith(`eo_${engineer.prefix}_`)).toBe(true);
    expect(engineer.plaintext).toBe(engineer.secret); // the deprecated alias, for one version
    expect(engineer).not.toHaveProperty('key'); // nothing called key that is not the key
    expect((engineer as unknown as { warning: string }).warning).toMatch(/will not be shown again/);
    await withStore(async (store) => {
      expect(await authenticate(store, engineer.secret, { project: 'shop', permission: 'runs:write' })).toMatchObject({ ok: true, principal: { keyId: engineer.id, role: 'engineer' } });
      expect(await authenticate(store, engineer.secret, { project: 'shop', permission: 'gate:override' })).toMatchObject({ ok: false, status: 403 });
      const row = await store.db.selectFrom('api_keys').select('hash').where('id', '=', engineer.id).executeTakeFirstOrThrow();
      expect(row.hash).toBe(hashApiKey(engineer.secret));
    });
  });

  it('prints the key and the warning in text too', async () => {
    const res = await keys('create', '--role', 'ingest', '--project', 'shop', '--name', 'prod app', '--actor', 'ana@example.com');
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^created ingest key eo_[a-z2-7]{8} for project "shop" named "prod app"\n/);
    expect(res.stdout).toMatch(/store this key now: it will not be shown again/);
    const plaintext = /\n {2}(eo_[a-z2-7]{8}_[A-Za-z0-9_-]{43})\n/.exec(res.stdout)?.[1];
    expect(plaintext).toBeDefined();
    await withStore(async (store) => {
      expect(await authenticate(store, plaintext, { project: 'shop', permission: 'traces:write' })).toMatchObject({ ok: true, principal: { role: 'ingest' } });
    });
  });

  it('takes the project from the config (-c, or evalops.yaml in the working directory)', async () => {
    const byFlag = await json('create', '--role', 'viewer', '-c', join(configDir, 'evalops.yaml'));
    expect(byFlag.project).toBe('from-config');
    const res = await runCli(['keys', 'create', '--role', 'reviewer', '--json'], { cwd: configDir, env });
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout).project).toBe('from-config');
  });

  it('makes an admin key without a project instance-wide, audited in the instance chain', async () => {
    const admin = await json('create', '--role', 'admin', '--name', 'ops');
    expect(admin).toMatchObject({ role: 'admin', project: null, auditSeq: 1 });
    const forced = await runCli(['keys', 'create', '--role', 'admin', '--instance', '--json'], { cwd: configDir, env });
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(forced.stdout)).toMatchObject({ project: null, auditSeq: 2 });
    const audit = await runCli(['audit', 'list', '--project', INSTANCE_AUDIT_PROJECT, '--json'], opts);
    expect(audit.code, audit.stderr).toBe(0);
    expect(JSON.parse(audit.stdout).entries.map((e: { action: string; entityId: string }) => [e.action, e.entityId])).toEqual([
      ['key.create', admin.id],
      ['key.create', JSON.parse(forced.stdout).id],
    ]);
    await withStore(async (store) => {
      expect(await authenticate(store, admin.plaintext, { project: 'anything', permission: 'keys:manage' })).toMatchObject({ ok: true, principal: { projectId: null } });
    });
  });

  it.each([
    [['create', '--role', 'viewer'], /a viewer key needs a project: pass --project NAME/],
    [['create', '--role', 'root', '--project', 'shop'], /--role must be one of ingest, resolve, viewer, reviewer, engineer, owner, admin \(got "root"\)/],
    [['create', '--project', 'shop'], /required option '--role <role>'/],
    [['create', '--role', 'owner', '--instance'], /only admin keys may be instance-wide/],
    [['create', '--role', 'admin', '--instance', '--project', 'shop'], /--instance and --project exclude each other/],
    [['create', '--role', 'viewer', '--project', INSTANCE_AUDIT_PROJECT], /reserved for the instance's audit log/],
    [['create', '--role', 'viewer', '--project', 'Not A Slug'], /--project must be a slug/],
    [['create', '--role', 'viewer', '--project', ''], /--project must not be empty/],
    [['create', '--role', 'viewer', '--project', 'shop', '--name', ' '], /invalid API key: name must not be empty/],
    [['revoke', 'aaaaaaaa'], /no API key with id or prefix "aaaaaaaa"/],
    [['list', '--instance', '--project', 'shop'], /--instance and --project exclude each other/],
  ])('refuses %j with exit 2 and a clear message', async (args, message) => {
    const before = await withStore((store) => store.apiKeys.count());
    const res = await keys(...args);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(message);
    expect(await withStore((store) => store.apiKeys.count())).toBe(before);
  });

  it('prints refusals as JSON with --json', async () => {
    const res = await keys('create', '--role', 'viewer', '--json');
    expect(res.code).toBe(2);
    expect(JSON.parse(res.stdout)).toEqual({ error: { code: 'usage', message: expect.stringContaining('needs a project'), location: null, details: null } });
  });

  it('lists keys without secrets: by project, instance-wide only, or all', async () => {
    const shop = await json('list', '--project', 'shop');
    expect(shop.project).toBe('shop');
    expect(shop.keys.every((k: { project: string }) => k.project === 'shop')).toBe(true);
    expect(shop.keys.map((k: { role: string }) => k.role)).toEqual(['ingest', 'engineer']);
    expect(shop.keys[1]).toEqual({
      id: engineer.id,
      prefix: engineer.prefix,
      display: `eo_${engineer.prefix}`,
      role: 'engineer',
      project: 'shop',
      name: 'ci',
      createdAt: expect.any(String),
      createdBy: 'env-actor@example.com',
      lastUsedAt: expect.any(String), // used by the first test
      revokedAt: null,
      revokedBy: null,
    });
    const instance = await json('list', '--instance');
    expect(instance.keys.length).toBeGreaterThanOrEqual(2);
    expect(instance.keys.every((k: { project: string | null; role: string }) => k.project === null && k.role === 'admin')).toBe(true);
    const all = await json('list');
    expect(new Set(all.keys.map((k: { project: string | null }) => k.project))).toEqual(new Set(['shop', 'from-config', null]));
    expect(await json('list', '--project', 'nowhere')).toEqual({ project: 'nowhere', instanceOnly: false, keys: [] });
    const text = await keys('list', '--project', 'shop');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^key\s+role\s+project\s+name\s+created\s+last used\s+revoked\n/);
    expect(text.stdout).toMatch(new RegExp(`eo_${engineer.prefix}\\s+engineer\\s+shop\\s+ci\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\s+\\d{4}-`));
    const unused = await keys('list', '-c', join(configDir, 'evalops.yaml'));
    expect(unused.stdout).toMatch(/eo_[a-z2-7]{8}\s+viewer\s+from-config\s+—\s+\S+ \S+\s+never\s+—\n/);
    for (const out of [JSON.stringify([shop, instance, all]), text.stdout]) expect(out).not.toContain(engineer.secret.slice(12));
  });

  it('revokes a key by prefix: audited, shown in the list, refused by authentication; a second revoke is a no-op', async () => {
    const victim = await json('create', '--role', 'owner', '--project', 'shop');
    const revoked = await json('revoke', victim.prefix, '--actor', 'sec@example.com');
    expect(revoked).toMatchObject({ id: victim.id, revokedAt: expect.any(String), revokedBy: 'sec@example.com', alreadyRevoked: false, auditSeq: expect.any(Number) });
    const again = await keys('revoke', `eo_${victim.prefix}`);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`key eo_${victim.prefix} \\(owner, project "shop"\\) was already revoked at .* by sec@example\\.com`));
    const audit = await runCli(['audit', 'list', '--project', 'shop', '--json'], opts);
    const entries = JSON.parse(audit.stdout).entries.filter((e: { entityId: string }) => e.entityId === victim.id);
    expect(entries.map((e: { action: string; actor: string; seq: number }) => [e.action, e.actor])).toEqual([
      ['key.create', 'env-actor@example.com'],
      ['key.revoke', 'sec@example.com'],
    ]);
    expect(entries[1].seq).toBe(revoked.auditSeq);
    const listed = (await json('list', '--project', 'shop')).keys.find((k: { id: string }) => k.id === victim.id);
    expect(listed.revokedAt).toBe(revoked.revokedAt);
    await withStore(async (store) => {
      expect(await authenticate(store, victim.plaintext, { project: 'shop', permission: 'runs:read' })).toEqual({ ok: false, status: 401, message: 'key revoked' });
    });
    const text = await keys('revoke', engineer.id);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toBe(`revoked key eo_${engineer.prefix} (engineer, project "shop"), by env-actor@example.com\n`);
    const verify = await runCli(['audit', 'verify', '--project', 'shop'], opts);
    expect(verify.code, verify.stdout).toBe(0);
  });

  it('leaves no secret in the database files', async () => {
    const secret = engineer.secret.slice(12);
    for (const file of readdirSync(dir)) expect(readFileSync(join(dir, file)).includes(secret)).toBe(false);
  });
});
