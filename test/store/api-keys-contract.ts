import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../src/auth/api-key.js';
import { authenticate } from '../../src/auth/authenticate.js';
import { BOOTSTRAP_ACTOR, ensureBootstrapAdminKey } from '../../src/auth/ensure-bootstrap-admin-key.js';
import { RoleSchema } from '../../src/auth/roles.js';
import { ApiKeyRepository, INSTANCE_AUDIT_PROJECT, type ApiKeyRecord } from '../../src/store/api-key-repository.js';
import type { Store } from '../../src/store/store.js';

/** How child processes reach the same database, for the bootstrap race between processes. */
export interface SharedDatabase {
  readonly url: string;
  readonly schema?: string;
}

/** A new, empty database on each call; `now` is the store's clock. */
export type OpenKeysDatabase = (options?: { now?: () => number }) => Promise<{ store: Store; shared?: SharedDatabase }>;

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const STORE_MODULE = fileURLToPath(new URL('../../src/store/store.ts', import.meta.url));
const BOOTSTRAP_MODULE = fileURLToPath(new URL('../../src/auth/ensure-bootstrap-admin-key.ts', import.meta.url));
const MINUTE = 60_000;

/**
 * The API key contract: repository, authentication and bootstrap, one specification run on every
 * dialect. Keys are looked at in the database with raw SQL too, as an attacker with a copy would.
 */
export function describeApiKeysContract(dialect: string, open: OpenKeysDatabase, options: { processes: boolean }): void {
  describe(`API keys contract (${dialect})`, () => {
    let store: Store;
    let clock = Date.parse('2025-03-01T09:00:00.000Z');
    let shop: string;
    let bank: string;
    beforeAll(async () => {
      ({ store } = await open({ now: () => clock }));
      shop = (await store.projects.ensure('shop')).id;
      bank = (await store.projects.ensure('bank')).id;
    });
    afterAll(async () => {
      await store?.close();
    });

    const tick = (ms = 1000): void => {
      clock += ms;
    };

    describe('ApiKeyRepository', () => {
      it('creates a key, returns its plaintext once and stores only its hash', async () => {
        const created = await store.apiKeys.create({ role: 'engineer', projectId: shop, name: 'ci', createdBy: 'ana@example.com' });
        expect(created.plaintext).toMatch(new RegExp(`^eo_${created.record.prefix}_[A-Za-z0-9_-]{43}$`));
        expect(created.record).toEqual({
          id: expect.stringMatching(/^key_/),
          prefix: created.record.prefix,
          role: 'engineer',
          projectId: shop,
          projectName: 'shop',
          name: 'ci',
          createdAt: new Date(clock).toISOString(),
          createdBy: 'ana@example.com',
          lastUsedAt: null,
          revokedAt: null,
          revokedBy: null,
        } satisfies ApiKeyRecord);
        const row = await store.db.selectFrom('api_keys').selectAll().where('id', '=', created.record.id).executeTakeFirstOrThrow();
        expect(row.hash).toBe(hashApiKey(created.plaintext));
        const secret = created.plaintext.slice(12);
        expect(JSON.stringify(row)).not.toContain(secret);
        expect(JSON.stringify(await store.audit.list(shop, { limit: 1000 }))).not.toContain(secret);
      });

      it('never returns the hash from create, get, resolve, list or revoke', async () => {
        const created = await store.apiKeys.create({ role: 'viewer', projectId: shop, createdBy: 'ana@example.com' });
        const hash = hashApiKey(created.plaintext);
        const revoked = await store.apiKeys.revoke(created.record.id, 'ana@example.com');
        const records = [
          created.record,
          await store.apiKeys.get(created.record.id),
          await store.apiKeys.resolve(created.record.prefix),
          await store.apiKeys.list(),
          await store.apiKeys.list({ projectId: shop }),
          revoked.record,
        ];
        for (const value of records) {
          expect(JSON.stringify(value)).not.toContain(hash);
          expect(JSON.stringify(value)).not.toContain('"hash"');
        }
        expect(JSON.stringify([created.audit, revoked.audit])).not.toContain(hash);
      });

      it('finds a key and its hash by prefix, for authentication', async () => {
        const created = await store.apiKeys.create({ role: 'ingest', projectId: bank, createdBy: 'ana@example.com' });
        const found = await store.apiKeys.findByPrefix(created.record.prefix);
        expect(found).toEqual({ record: created.record, hash: hashApiKey(created.plaintext) });
        expect(await store.apiKeys.findByPrefix('aaaaaaaa')).toBeUndefined();
        expect(await store.apiKeys.findByPrefix("x' or '1'='1")).toBeUndefined();
      });

      it('resolves a key by id, prefix, eo_prefix and the whole key', async () => {
        const created = await store.apiKeys.create({ role: 'viewer', projectId: bank, createdBy: 'ana@example.com' });
        for (const ref of [created.record.id, created.record.prefix, `eo_${created.record.prefix}`, created.plaintext]) {
          expect((await store.apiKeys.resolve(ref)).id).toBe(created.record.id);
        }
        await expect(store.apiKeys.resolve('aaaaaaaa')).rejects.toMatchObject({ code: 'not_found' });
        await expect(store.apiKeys.resolve('key_nothing')).rejects.toMatchObject({ code: 'not_found' });
      });

      it('lists keys newest first, by project, instance-wide only, or all', async () => {
        const { store: s } = await open({ now: () => clock });
        try {
          const a = (await s.projects.ensure('a')).id;
          const b = (await s.projects.ensure('b')).id;
          const k1 = await s.apiKeys.create({ role: 'viewer', projectId: a, createdBy: 'x' });
          tick();
          const k2 = await s.apiKeys.create({ role: 'owner', projectId: b, createdBy: 'x' });
          tick();
          const k3 = await s.apiKeys.create({ role: 'admin', projectId: null, createdBy: 'x' });
          tick();
          const k4 = await s.apiKeys.create({ role: 'ingest', projectId: a, createdBy: 'x' });
          const ids = (list: ApiKeyRecord[]): string[] => list.map((k) => k.id);
          expect(ids(await s.apiKeys.list())).toEqual([k4, k3, k2, k1].map((k) => k.record.id));
          expect(ids(await s.apiKeys.list({ projectId: a }))).toEqual([k4, k1].map((k) => k.record.id));
          expect(ids(await s.apiKeys.list({ projectId: null }))).toEqual([k3.record.id]);
          expect(await s.apiKeys.list({ projectId: 'prj_none' })).toEqual([]);
          expect(await s.apiKeys.count()).toBe(4);
        } finally {
          await s.close();
        }
      });

      it('refuses bad keys and stores nothing', async () => {
        const before = await store.apiKeys.count();
        await expect(store.apiKeys.create({ role: 'engineer', projectId: null, createdBy: 'ana' })).rejects.toMatchObject({ code: 'input', message: expect.stringContaining('only admin keys may be instance-wide') });
        await expect(store.apiKeys.create({ role: 'root' as never, projectId: shop, createdBy: 'ana' })).rejects.toMatchObject({ code: 'input' });
        await expect(store.apiKeys.create({ role: 'viewer', projectId: shop, name: '  ', createdBy: 'ana' })).rejects.toMatchObject({ code: 'input' });
        await expect(store.apiKeys.create({ role: 'viewer', projectId: shop, name: 'a\nb', createdBy: 'ana' })).rejects.toMatchObject({ code: 'input' });
        await expect(store.apiKeys.create({ role: 'viewer', projectId: shop, createdBy: '' })).rejects.toMatchObject({ code: 'input' });
        await expect(store.apiKeys.create({ role: 'viewer', projectId: 'prj_missing', createdBy: 'ana' })).rejects.toMatchObject({ code: 'not_found' });
        expect(await store.apiKeys.count()).toBe(before);
      });

      it('holds "instance-wide means admin" in the database too', async () => {
        const insert = (role: string) =>
          sql`insert into api_keys (id, prefix, hash, project_id, role, created_at, created_by) values (${`key_raw_${role}`}, ${`raw${role.slice(0, 5)}`}, 'h', null, ${role}, 'now', 'x')`.execute(store.db);
        await expect(insert('viewer')).rejects.toThrow();
        await expect(insert('admin')).resolves.toBeDefined();
        await sql`delete from api_keys where id = 'key_raw_admin'`.execute(store.db);
      });

      it('keeps prefixes unique in the database', async () => {
        const created = await store.apiKeys.create({ role: 'viewer', projectId: shop, createdBy: 'ana' });
        await expect(
          sql`insert into api_keys (id, prefix, hash, project_id, role, created_at, created_by) values ('key_dup', ${created.record.prefix}, 'h', ${shop}, 'viewer', 'now', 'x')`.execute(store.db),
        ).rejects.toThrow();
      });

      it('audits creation and revocation in the key project chain, without the secret', async () => {
        const p = (await store.projects.ensure('audited')).id;
        const created = await store.apiKeys.create({ role: 'owner', projectId: p, name: 'release bot', createdBy: 'ana@example.com' });
        tick();
        const revoked = await store.apiKeys.revoke(created.record.prefix, 'bo@example.com');
        const entries = await store.audit.list(p, { after: 0 });
        expect(entries.map((e) => [e.seq, e.action, e.actor, e.entityType, e.entityId])).toEqual([
          [1, 'key.create', 'ana@example.com', 'api_key', created.record.id],
          [2, 'key.revoke', 'bo@example.com', 'api_key', created.record.id],
        ]);
        expect(entries[0]?.payload).toEqual({ key: `eo_${created.record.prefix}`, role: 'owner', project: 'audited', name: 'release bot' });
        expect(created.audit).toEqual(entries[0]);
        expect(revoked.audit).toEqual(entries[1]);
        expect(await store.audit.verify(p)).toMatchObject({ ok: true, entries: 2 });
      });

      it('audits instance-wide keys in the reserved instance chain', async () => {
        const created = await store.apiKeys.create({ role: 'admin', projectId: null, name: 'ops', createdBy: 'root@example.com' });
        const instance = await store.projects.findByName(INSTANCE_AUDIT_PROJECT);
        expect(instance).toBeDefined();
        const entries = await store.audit.list(instance!.id, { entityType: 'api_key', entityId: created.record.id });
        expect(entries.map((e) => [e.action, e.actor])).toEqual([['key.create', 'root@example.com']]);
        expect(entries[0]?.payload).toMatchObject({ role: 'admin', project: null });
        expect(created.record).toMatchObject({ projectId: null, projectName: null });
      });

      it('revokes for good, and a second revocation changes and audits nothing', async () => {
        const created = await store.apiKeys.create({ role: 'engineer', projectId: bank, createdBy: 'ana' });
        tick(5000);
        const first = await store.apiKeys.revoke(`eo_${created.record.prefix}`, 'bo@example.com');
        expect(first).toMatchObject({ alreadyRevoked: false, record: { revokedAt: new Date(clock).toISOString(), revokedBy: 'bo@example.com' } });
        const head = await store.audit.head(bank);
        tick(5000);
        const second = await store.apiKeys.revoke(created.record.id, 'cy@example.com');
        expect(second).toEqual({ alreadyRevoked: true, audit: null, record: first.record });
        expect(await store.audit.head(bank)).toEqual(head);
        await expect(store.apiKeys.revoke('zzzzzzzz', 'bo')).rejects.toMatchObject({ code: 'not_found' });
        await expect(store.apiKeys.revoke(created.record.id, ' ')).rejects.toMatchObject({ code: 'input' });
      });

      it("creates with the caller's transaction, and leaves neither key nor audit entry when it rolls back", async () => {
        const p = (await store.projects.ensure('trx-keys')).id;
        let prefix = '';
        await expect(
          store.db.transaction().execute(async (trx) => {
            prefix = (await store.apiKeys.create({ role: 'viewer', projectId: p, createdBy: 'ana' }, trx)).record.prefix;
            throw new Error('the surrounding change failed');
          }),
        ).rejects.toThrow('the surrounding change failed');
        expect(await store.apiKeys.findByPrefix(prefix)).toBeUndefined();
        expect(await store.audit.list(p)).toEqual([]);
      });

      it('records the last use at most once a minute per key', async () => {
        const created = await store.apiKeys.create({ role: 'ingest', projectId: shop, createdBy: 'ana' });
        const id = created.record.id;
        const first = new Date(clock).toISOString();
        expect(await store.apiKeys.touchLastUsed(id)).toBe(true);
        expect((await store.apiKeys.get(id)).lastUsedAt).toBe(first);
        tick(59_000);
        expect(await store.apiKeys.touchLastUsed(id)).toBe(false);
        expect((await store.apiKeys.get(id)).lastUsedAt).toBe(first);
        // Another process (its own repository, no memory of the first write) is held back by the row.
        const other = new ApiKeyRepository(store.db, store.audit, store.dialect, () => clock);
        expect(await other.touchLastUsed(id)).toBe(false);
        tick(2_000);
        expect(await store.apiKeys.touchLastUsed(id)).toBe(true);
        expect((await store.apiKeys.get(id)).lastUsedAt).toBe(new Date(clock).toISOString());
        expect(await other.touchLastUsed(id)).toBe(false);
      });
    });

    describe('authenticate', () => {
      let engineer: { plaintext: string; record: ApiKeyRecord };
      beforeAll(async () => {
        engineer = await store.apiKeys.create({ role: 'engineer', projectId: shop, name: 'ci', createdBy: 'ana' });
      });

      it('accepts a good key and returns its principal', async () => {
        tick(MINUTE * 10);
        const result = await authenticate(store, engineer.plaintext, { project: 'shop', permission: 'runs:write' });
        expect(result).toEqual({ ok: true, principal: { keyId: engineer.record.id, keyPrefix: engineer.record.prefix, role: 'engineer', keyName: 'ci', projectId: shop, projectName: 'shop' } });
        expect((await store.apiKeys.get(engineer.record.id)).lastUsedAt).toBe(new Date(clock).toISOString());
      });

      it('scopes a project key to its project when the request names none', async () => {
        const result = await authenticate(store, engineer.plaintext, { permission: 'runs:read' });
        expect(result).toMatchObject({ ok: true, principal: { projectId: shop, projectName: 'shop' } });
      });

      it('answers 401 for a missing or malformed key', async () => {
        expect(await authenticate(store, undefined, { permission: 'runs:read' })).toMatchObject({ ok: false, status: 401, message: expect.stringContaining('missing API key') });
        expect(await authenticate(store, '', { permission: 'runs:read' })).toMatchObject({ ok: false, status: 401 });
        for (const bad of ['eo_short', `Bearer ${engineer.plaintext}`, `${engineer.plaintext} `, engineer.plaintext.slice(0, -1), 'x'.repeat(10_000)]) {
          expect(await authenticate(store, bad, { permission: 'runs:read' })).toEqual({ ok: false, status: 401, message: 'malformed API key: expected eo_<prefix>_<secret>' });
        }
      });

      it('answers 401 alike for an unknown prefix and a wrong secret', async () => {
        const unknown = `eo_aaaaaaaa_${engineer.plaintext.slice(12)}`;
        const last = engineer.plaintext.at(-1) === 'A' ? 'B' : 'A';
        const wrongSecret = `${engineer.plaintext.slice(0, -1)}${last}`;
        const a = await authenticate(store, unknown, { permission: 'runs:read' });
        const b = await authenticate(store, wrongSecret, { permission: 'runs:read' });
        expect(a).toEqual({ ok: false, status: 401, message: 'invalid API key' });
        expect(b).toEqual(a);
      });

      it('answers 401 "key revoked" for a revoked key, and tells it only to the holder of the key', async () => {
        const k = await store.apiKeys.create({ role: 'owner', projectId: shop, createdBy: 'ana' });
        expect((await authenticate(store, k.plaintext, { project: 'shop', permission: 'runs:read' })).ok).toBe(true);
        await store.apiKeys.revoke(k.record.id, 'ana');
        expect(await authenticate(store, k.plaintext, { project: 'shop', permission: 'runs:read' })).toEqual({ ok: false, status: 401, message: 'key revoked' });
        const guess = `${k.plaintext.slice(0, -1)}${k.plaintext.at(-1) === 'A' ? 'B' : 'A'}`;
        expect(await authenticate(store, guess, { permission: 'runs:read' })).toMatchObject({ status: 401, message: 'invalid API key' });
      });

      it('answers 403 for a key of another project, saying nothing of whether that project exists', async () => {
        const existing = await authenticate(store, engineer.plaintext, { project: 'bank', permission: 'runs:read' });
        const missing = await authenticate(store, engineer.plaintext, { project: 'nowhere', permission: 'runs:read' });
        expect(existing).toEqual({ ok: false, status: 403, message: 'this key may not access project "bank"' });
        expect(missing).toEqual({ ok: false, status: 403, message: 'this key may not access project "nowhere"' });
      });

      it('answers 403 naming the role needed when the role is too low', async () => {
        const viewer = await store.apiKeys.create({ role: 'viewer', projectId: shop, createdBy: 'ana' });
        expect((await authenticate(store, viewer.plaintext, { project: 'shop', permission: 'runs:read' })).ok).toBe(true);
        expect(await authenticate(store, viewer.plaintext, { project: 'shop', permission: 'runs:write' })).toEqual({
          ok: false,
          status: 403,
          message: 'runs:write needs the engineer role; this key has the viewer role',
        });
        expect(await authenticate(store, engineer.plaintext, { project: 'shop', permission: 'gate:override' })).toMatchObject({ status: 403, message: expect.stringContaining('needs the owner role') });
      });

      it('lets an ingest key write traces and nothing else', async () => {
        const ingest = await store.apiKeys.create({ role: 'ingest', projectId: shop, createdBy: 'ana' });
        expect(await authenticate(store, ingest.plaintext, { project: 'shop', permission: 'traces:write' })).toMatchObject({ ok: true, principal: { role: 'ingest' } });
        expect(await authenticate(store, ingest.plaintext, { project: 'shop', permission: 'traces:read' })).toMatchObject({ ok: false, status: 403 });
        expect(await authenticate(store, ingest.plaintext, { project: 'bank', permission: 'traces:write' })).toMatchObject({ ok: false, status: 403 });
        expect(await authenticate(store, engineer.plaintext, { project: 'shop', permission: 'traces:write' })).toMatchObject({ ok: false, status: 403, message: expect.stringContaining('needs the ingest role') });
      });

      it('lets an instance-wide admin key act on any project, and a project admin only on its own', async () => {
        const root = await store.apiKeys.create({ role: 'admin', projectId: null, createdBy: 'ana' });
        for (const project of ['shop', 'bank', 'not-yet-created']) {
          expect(await authenticate(store, root.plaintext, { project, permission: 'keys:manage' })).toEqual({
            ok: true,
            principal: { keyId: root.record.id, keyPrefix: root.record.prefix, role: 'admin', projectId: null },
          });
        }
        const shopAdmin = await store.apiKeys.create({ role: 'admin', projectId: shop, createdBy: 'ana' });
        expect(await authenticate(store, shopAdmin.plaintext, { project: 'shop', permission: 'keys:manage' })).toMatchObject({ ok: true, principal: { projectId: shop } });
        expect(await authenticate(store, shopAdmin.plaintext, { project: 'bank', permission: 'runs:read' })).toMatchObject({ ok: false, status: 403 });
      });

      it('accepts a good key even when recording its last use fails, and reports that failure', async () => {
        const { store: s } = await open();
        try {
          const p = (await s.projects.ensure('p')).id;
          const k = await s.apiKeys.create({ role: 'viewer', projectId: p, createdBy: 'ana' });
          // The database itself refuses the write, as a full disk or a lost lock would.
          if (s.dialect === 'sqlite') {
            await sql`create trigger no_touch before update of last_used_at on api_keys begin select raise(abort, 'disk full'); end`.execute(s.db);
          } else {
            await sql`create function no_touch() returns trigger language plpgsql as $$ begin raise exception 'disk full'; end $$`.execute(s.db);
            await sql`create trigger no_touch before update of last_used_at on api_keys for each row execute function no_touch()`.execute(s.db);
          }
          const seen: unknown[] = [];
          const result = await authenticate(s, k.plaintext, { permission: 'runs:read', onBookkeepingError: (e) => seen.push(e) });
          expect(result).toMatchObject({ ok: true, principal: { keyId: k.record.id } });
          expect(seen.map((e) => (e as Error).message)).toEqual([expect.stringContaining('disk full')]);
          expect((await s.apiKeys.get(k.record.id)).lastUsedAt).toBeNull();
        } finally {
          await s.close();
        }
      });
    });

    describe('ensureBootstrapAdminKey', () => {
      it('creates one instance-wide admin key on an empty database, then nothing', async () => {
        const { store: s } = await open();
        try {
          const created = await ensureBootstrapAdminKey(s);
          expect(created?.record).toMatchObject({ role: 'admin', projectId: null, createdBy: BOOTSTRAP_ACTOR, revokedAt: null });
          expect(await authenticate(s, created!.plaintext, { project: 'any', permission: 'keys:manage' })).toMatchObject({ ok: true });
          expect(await ensureBootstrapAdminKey(s)).toBeUndefined();
          await s.apiKeys.revoke(created!.record.id, 'ana');
          expect(await ensureBootstrapAdminKey(s)).toBeUndefined(); // revoking every key never mints a new admin key
          expect(await s.apiKeys.count()).toBe(1);
        } finally {
          await s.close();
        }
      });

      it('does nothing when any key exists', async () => {
        const { store: s } = await open();
        try {
          const p = (await s.projects.ensure('p')).id;
          await s.apiKeys.create({ role: 'viewer', projectId: p, createdBy: 'ana' });
          expect(await ensureBootstrapAdminKey(s)).toBeUndefined();
          expect(await s.apiKeys.count()).toBe(1);
        } finally {
          await s.close();
        }
      });

      it('creates exactly one key under concurrent calls', async () => {
        const { store: s } = await open();
        try {
          const results = await Promise.all(Array.from({ length: 8 }, () => ensureBootstrapAdminKey(s)));
          expect(results.filter((r) => r !== undefined)).toHaveLength(1);
          expect(await s.apiKeys.count()).toBe(1);
        } finally {
          await s.close();
        }
      });

      if (options.processes) {
        it('creates exactly one key when several processes start at once', async () => {
          const { store: s, shared } = await open();
          try {
            if (!shared) throw new Error('a database shared between processes is needed for this test');
            const results = await bootstrapFromChildProcesses(shared, 4);
            for (const r of results) expect(r.code, r.stderr).toBe(0);
            expect(results.filter((r) => r.created)).toHaveLength(1);
            expect(await s.apiKeys.count()).toBe(1);
            const [key] = await s.apiKeys.list();
            expect(key).toMatchObject({ role: 'admin', projectId: null });
            const instance = (await s.projects.findByName(INSTANCE_AUDIT_PROJECT))!;
            expect(await s.audit.verify(instance.id)).toMatchObject({ ok: true, entries: 1 });
          } finally {
            await s.close();
          }
        });
      }
    });

    it('stores only known roles', async () => {
      const roles = new Set((await store.db.selectFrom('api_keys').select('role').execute()).map((r) => r.role));
      for (const role of roles) expect(RoleSchema.safeParse(role).success).toBe(true);
    });
  });
}

/**
 * Separate Node processes (through tsx), each opening its own store and calling the bootstrap; they
 * call together once every one has its store open.
 */
async function bootstrapFromChildProcesses(db: SharedDatabase, count: number): Promise<{ code: number | null; stderr: string; created: boolean }[]> {
  const code = `
    const { openStore } = await import(${JSON.stringify(STORE_MODULE)});
    const { ensureBootstrapAdminKey } = await import(${JSON.stringify(BOOTSTRAP_MODULE)});
    const store = await openStore(${JSON.stringify(db.url)}, ${JSON.stringify(db.schema ? { schema: db.schema } : {})});
    process.stdout.write('ready\\n');
    await new Promise((resolve) => process.stdin.once('data', resolve));
    const created = await ensureBootstrapAdminKey(store);
    process.stdout.write(created ? 'created\\n' : 'none\\n');
    await store.close();
    process.stdin.destroy();
  `;
  let ready = 0;
  const children = Array.from({ length: count }, () => spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] }));
  return Promise.all(
    children.map(
      (child) =>
        new Promise<{ code: number | null; stderr: string; created: boolean }>((resolve, reject) => {
          let stderr = '';
          let stdout = '';
          child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          child.stdout.on('data', (d: Buffer) => {
            const before = stdout;
            stdout += d.toString();
            if (before.includes('ready') || !stdout.includes('ready')) return;
            ready += 1;
            if (ready === children.length) for (const c of children) c.stdin.write('go\n');
          });
          child.on('error', reject);
          child.on('close', (exit) => resolve({ code: exit, stderr, created: stdout.includes('created') }));
        }),
    ),
  );
}
