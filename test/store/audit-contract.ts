import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryHash, GENESIS_HASH, type NewAuditEntry } from '../../src/core/audit-chain.js';
import type { Store } from '../../src/store/store.js';

/** How child processes reach the same database, for the multi-process append test. */
export interface SharedDatabase {
  readonly url: string;
  readonly schema?: string;
}

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const STORE_MODULE = fileURLToPath(new URL('../../src/store/store.ts', import.meta.url));

const entry = (n: number, actor = 'ana@example.com'): NewAuditEntry => ({
  actor,
  action: 'gate.decision',
  entityType: 'gate_decision',
  entityId: `gd_${n}`,
  payload: { n, outcome: n % 2 ? 'approve' : 'block', findings: [{ metric: 'cites_policy', delta: -0.04 }] },
});

/**
 * The audit log contract: one specification, run on every dialect. Tampering is done with raw SQL,
 * as an attacker with database access would.
 */
export function describeAuditContract(dialect: string, open: () => Promise<Store>, shared?: SharedDatabase): void {
  describe(`AuditRepository contract (${dialect})`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store?.close();
    });

    async function projectWith(name: string, entries: number): Promise<string> {
      const p = await store.projects.ensure(name);
      for (let i = 1; i <= entries; i += 1) await store.audit.append(p.id, entry(i));
      return p.id;
    }

    it('numbers entries 1..n per project and chains them from the genesis hash', async () => {
      const a = await projectWith('audit-a', 3);
      const b = await projectWith('audit-b', 1);
      const entries = await store.audit.list(a, { after: 0 });
      expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
      expect(entries[0]?.prevHash).toBe(GENESIS_HASH);
      expect(entries[1]?.prevHash).toBe(entries[0]?.hash);
      expect(entries[2]?.hash).toBe(entryHash(entries[1]!.hash, entries[2]!));
      expect(entries[1]).toMatchObject({ actor: 'ana@example.com', action: 'gate.decision', entityType: 'gate_decision', entityId: 'gd_2', payload: entry(2).payload });
      expect((await store.audit.list(b)).map((e) => e.seq)).toEqual([1]);
      expect(await store.audit.head(a)).toEqual({ seq: 3, hash: entries[2]?.hash });
    });

    it('returns what it appended, exactly as stored', async () => {
      const p = await store.projects.ensure('audit-return');
      const appended = await store.audit.append(p.id, entry(1));
      expect(await store.audit.get(p.id, 1)).toEqual(appended);
      expect(await store.audit.get(p.id, 2)).toBeUndefined();
    });

    it('lists the newest entries oldest first, pages forward with after, and filters by entity', async () => {
      const p = await projectWith('audit-list', 5);
      expect((await store.audit.list(p, { limit: 2 })).map((e) => e.seq)).toEqual([4, 5]);
      expect((await store.audit.list(p, { after: 1, limit: 2 })).map((e) => e.seq)).toEqual([2, 3]);
      expect((await store.audit.list(p, { after: 5 })).length).toBe(0);
      expect((await store.audit.list(p, { entityType: 'gate_decision', entityId: 'gd_4' })).map((e) => e.seq)).toEqual([4]);
    });

    it('verifies an intact chain and an empty one', async () => {
      const p = await projectWith('audit-intact', 4);
      const head = await store.audit.head(p);
      expect(await store.audit.verify(p)).toEqual({ ok: true, entries: 4, head });
      const empty = await store.projects.ensure('audit-empty');
      expect(await store.audit.verify(empty.id)).toEqual({ ok: true, entries: 0, head: null });
    });

    it('detects an entry edited in place', async () => {
      const p = await projectWith('audit-edit', 4);
      await sql`update audit_log set payload = ${JSON.stringify({ n: 2, outcome: 'approve', findings: [] })} where project_id = ${p} and seq = 2`.execute(store.db);
      expect(await store.audit.verify(p)).toMatchObject({ ok: false, entries: 2, head: { seq: 1 }, firstBad: { seq: 2, problem: 'hash mismatch' } });
    });

    it('detects an edited actor whose hash was recomputed, at the next entry', async () => {
      const p = await projectWith('audit-forge', 3);
      const e2 = (await store.audit.get(p, 2))!;
      const forged = entryHash(e2.prevHash, { ...e2, actor: 'mallory@example.com' });
      await sql`update audit_log set actor = 'mallory@example.com', hash = ${forged} where project_id = ${p} and seq = 2`.execute(store.db);
      expect((await store.audit.verify(p)).firstBad).toMatchObject({ seq: 3, problem: 'broken link' });
    });

    it('detects a deleted entry', async () => {
      const p = await projectWith('audit-delete', 5);
      await sql`delete from audit_log where project_id = ${p} and seq = 3`.execute(store.db);
      expect((await store.audit.verify(p)).firstBad).toMatchObject({ seq: 3, problem: 'gap', message: 'entry 3 is missing (the next entry is 4)', entry: { seq: 4 } });
    });

    it('detects a deleted entry whose successors were renumbered', async () => {
      const p = await projectWith('audit-renumber', 4);
      await sql`delete from audit_log where project_id = ${p} and seq = 2`.execute(store.db);
      for (const seq of [3, 4]) await sql`update audit_log set seq = ${seq - 1} where project_id = ${p} and seq = ${seq}`.execute(store.db);
      expect((await store.audit.verify(p)).firstBad).toMatchObject({ seq: 2, problem: 'broken link' });
    });

    it('detects two entries swapped', async () => {
      const p = await projectWith('audit-swap', 4);
      await sql`update audit_log set seq = 100 where project_id = ${p} and seq = 2`.execute(store.db);
      await sql`update audit_log set seq = 2 where project_id = ${p} and seq = 3`.execute(store.db);
      await sql`update audit_log set seq = 3 where project_id = ${p} and seq = 100`.execute(store.db);
      expect((await store.audit.verify(p)).firstBad).toMatchObject({ seq: 2, problem: 'broken link' });
    });

    it('keeps chains apart: tampering with one project leaves another intact', async () => {
      const bad = await projectWith('audit-apart-1', 2);
      const good = await projectWith('audit-apart-2', 2);
      await sql`update audit_log set actor = 'x' where project_id = ${bad} and seq = 1`.execute(store.db);
      expect((await store.audit.verify(bad)).ok).toBe(false);
      expect((await store.audit.verify(good)).ok).toBe(true);
    });

    it('verifies chains longer than one page', async () => {
      const p = (await store.projects.ensure('audit-long')).id;
      for (let i = 1; i <= 1105; i += 1) await store.audit.append(p, entry(i));
      expect(await store.audit.verify(p)).toMatchObject({ ok: true, entries: 1105, head: { seq: 1105 } });
      await sql`update audit_log set entity_id = 'gd_0' where project_id = ${p} and seq = 1050`.execute(store.db);
      expect(await store.audit.verify(p)).toMatchObject({ ok: false, entries: 1050, firstBad: { seq: 1050, problem: 'hash mismatch' } });
    });

    it("commits with the caller's transaction, and leaves nothing when it rolls back", async () => {
      const p = await projectWith('audit-trx', 1);
      await expect(
        store.db.transaction().execute(async (trx) => {
          await store.audit.append(p, entry(2), trx);
          throw new Error('the audited change failed');
        }),
      ).rejects.toThrow('the audited change failed');
      expect((await store.audit.list(p)).map((e) => e.seq)).toEqual([1]);
      await store.db.transaction().execute(async (trx) => {
        await store.audit.append(p, entry(2), trx);
        await store.audit.append(p, entry(3), trx);
      });
      expect((await store.audit.list(p)).map((e) => e.seq)).toEqual([1, 2, 3]);
      expect((await store.audit.verify(p)).ok).toBe(true);
    });

    it('refuses a bad entry and stores nothing', async () => {
      const p = await projectWith('audit-bad', 1);
      await expect(store.audit.append(p, { ...entry(2), actor: '' })).rejects.toMatchObject({ code: 'input' });
      await expect(store.audit.append(p, { ...entry(2), action: 'release.deleted' as never })).rejects.toMatchObject({ code: 'input' });
      await expect(store.audit.append(p, { ...entry(2), payload: 'text' as never })).rejects.toMatchObject({ code: 'input' });
      expect((await store.audit.list(p)).length).toBe(1);
    });

    it('keeps the chain gap-free under concurrent appends', async () => {
      const p = (await store.projects.ensure('audit-concurrent')).id;
      await Promise.all(Array.from({ length: 30 }, (_, i) => store.audit.append(p, entry(i + 1))));
      const entries = await store.audit.list(p, { after: 0, limit: 100 });
      expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      expect(new Set(entries.map((e) => e.entityId)).size).toBe(30);
      expect(await store.audit.verify(p)).toMatchObject({ ok: true, entries: 30 });
    });

    if (shared) {
      it('keeps the chain gap-free when several processes append at once', async () => {
        const p = (await store.projects.ensure('audit-processes')).id;
        const processes = 3;
        const each = 40;
        const actors = Array.from({ length: processes }, (_, i) => `worker-${i}`);
        const results = await appendFromChildProcesses(shared, 'audit-processes', actors, each);
        for (const r of results) expect(r.code, r.stderr).toBe(0);
        const entries = await store.audit.list(p, { after: 0, limit: 1000 });
        expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: processes * each }, (_, i) => i + 1));
        for (let i = 0; i < processes; i += 1) expect(entries.filter((e) => e.actor === `worker-${i}`).length).toBe(each);
        expect(await store.audit.verify(p)).toMatchObject({ ok: true, entries: processes * each });
      });
    }
  });
}

/**
 * Separate Node processes (through tsx), each opening its own store and appending `count` entries.
 * They start appending together: each says "ready" once its store is open, and all are then told "go".
 */
async function appendFromChildProcesses(db: SharedDatabase, project: string, actors: readonly string[], count: number): Promise<{ code: number | null; stderr: string }[]> {
  const code = (actor: string): string => `
    const { openStore } = await import(${JSON.stringify(STORE_MODULE)});
    const store = await openStore(${JSON.stringify(db.url)}, ${JSON.stringify(db.schema ? { schema: db.schema } : {})});
    const p = await store.projects.ensure(${JSON.stringify(project)});
    process.stdout.write('ready\\n');
    await new Promise((resolve) => process.stdin.once('data', resolve));
    for (let i = 0; i < ${count}; i += 1) {
      await store.audit.append(p.id, { actor: ${JSON.stringify(actor)}, action: 'policy.change', entityType: 'policy', entityId: 'p' + i, payload: { i } });
    }
    await store.close();
    process.stdin.destroy();
  `;
  let ready = 0;
  const children = actors.map((actor) => spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code(actor)], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] }));
  return Promise.all(
    children.map(
      (child) =>
        new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
          let stderr = '';
          child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          child.stdout.on('data', (d: Buffer) => {
            if (!d.toString().includes('ready')) return;
            ready += 1;
            if (ready === children.length) for (const c of children) c.stdin.write('go\n');
          });
          child.on('error', reject);
          child.on('close', (exit) => resolve({ code: exit, stderr }));
        }),
    ),
  );
}
