import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashSessionId, WEB_SESSION_TTL_MS } from '../../src/store/web-session-repository.js';
import type { Store } from '../../src/store/store.js';

/** A fresh database per test: `open` opens it with the given clock, `again` a second connection to it (another replica). */
export interface WebSessionContractDb {
  readonly open: (now: () => number) => Promise<Store>;
  readonly again: (now: () => number) => Promise<Store>;
}

/**
 * The web session repository contract, run on every dialect: opaque ids of 256 bits stored only as
 * their hash, found until the absolute expiry and not after, ended by sign-out and by revoking the
 * key (in the revocation's transaction), visible from a second connection (another replica).
 */
export function describeWebSessionContract(dialect: string, db: () => WebSessionContractDb): void {
  describe(`WebSessionRepository contract (${dialect})`, () => {
    const T0 = Date.parse('2026-01-05T08:00:00.000Z');
    let clock = T0;
    const now = (): number => clock;
    let store: Store;
    const others: Store[] = [];
    let keyId: string;
    let current: WebSessionContractDb;

    beforeEach(async () => {
      clock = T0;
      current = db();
      store = await current.open(now);
      const project = await store.projects.ensure('web');
      keyId = (await store.apiKeys.create({ role: 'viewer', projectId: project.id, createdBy: 'ops@example.com' })).record.id;
    });
    afterEach(async () => {
      for (const s of others.splice(0)) await s.close();
      await store.close();
    });

    it('starts a session with a fresh 256-bit id and stores only its hash', async () => {
      const a = await store.webSessions.start(keyId);
      const b = await store.webSessions.start(keyId);
      expect(a.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(a.id, 'base64url')).toHaveLength(32);
      expect(a.id).not.toBe(b.id);
      expect(a.expiresMs).toBe(T0 + WEB_SESSION_TTL_MS);
      const rows = await store.db.selectFrom('web_sessions').selectAll().orderBy('created_at').execute();
      expect(rows.map((r) => r.id_hash).sort()).toEqual([hashSessionId(a.id), hashSessionId(b.id)].sort());
      expect(JSON.stringify(rows)).not.toContain(a.id);
      expect(await store.webSessions.find(a.id)).toEqual({ keyId, createdAt: new Date(T0).toISOString(), expiresMs: T0 + WEB_SESSION_TTL_MS });
    });

    it('finds nothing for an unknown, malformed or hashed id', async () => {
      const { id } = await store.webSessions.start(keyId);
      expect(await store.webSessions.find(`${id.slice(0, -1)}${id.endsWith('A') ? 'B' : 'A'}`)).toBeUndefined();
      expect(await store.webSessions.find(hashSessionId(id))).toBeUndefined();
      expect(await store.webSessions.find('')).toBeUndefined();
      expect(await store.webSessions.find("' or 1=1 --")).toBeUndefined();
    });

    it('expires at twelve hours, absolute: use does not extend it', async () => {
      const { id } = await store.webSessions.start(keyId);
      clock = T0 + WEB_SESSION_TTL_MS - 1;
      expect(await store.webSessions.find(id)).toMatchObject({ keyId });
      clock = T0 + WEB_SESSION_TTL_MS;
      expect(await store.webSessions.find(id)).toBeUndefined();
      // An expired session is swept out when the next one starts.
      await store.webSessions.start(keyId);
      expect(await store.db.selectFrom('web_sessions').select('id_hash').where('id_hash', '=', hashSessionId(id)).execute()).toEqual([]);
    });

    it('ends one session at sign-out, leaving the others', async () => {
      const a = await store.webSessions.start(keyId);
      const b = await store.webSessions.start(keyId);
      expect(await store.webSessions.end(a.id)).toBe(true);
      expect(await store.webSessions.end(a.id)).toBe(false);
      expect(await store.webSessions.find(a.id)).toBeUndefined();
      expect(await store.webSessions.find(b.id)).toMatchObject({ keyId });
    });

    it('ends every session of a key when the key is revoked, and only that key’s', async () => {
      const other = (await store.apiKeys.create({ role: 'viewer', projectId: (await store.projects.ensure('web')).id, createdBy: 'ops@example.com' })).record.id;
      const a = await store.webSessions.start(keyId);
      const b = await store.webSessions.start(keyId);
      const c = await store.webSessions.start(other);
      expect(await store.webSessions.countForKey(keyId)).toBe(2);
      await store.apiKeys.revoke(keyId, 'ops@example.com');
      expect(await store.webSessions.find(a.id)).toBeUndefined();
      expect(await store.webSessions.find(b.id)).toBeUndefined();
      expect(await store.webSessions.countForKey(keyId)).toBe(0);
      expect(await store.webSessions.find(c.id)).toMatchObject({ keyId: other });
    });

    it('is shared by every connection to the database (another replica signs in and out alike)', async () => {
      const replica = await current.again(now);
      others.push(replica);
      const { id } = await store.webSessions.start(keyId);
      expect(await replica.webSessions.find(id)).toMatchObject({ keyId });
      await replica.webSessions.end(id);
      expect(await store.webSessions.find(id)).toBeUndefined();
    });

    it('refuses a session for a key that does not exist (foreign key)', async () => {
      if (dialect.startsWith('sqlite')) await sql`pragma foreign_keys = on`.execute(store.db);
      await expect(store.webSessions.start('key_nothere')).rejects.toThrow();
    });
  });
}

