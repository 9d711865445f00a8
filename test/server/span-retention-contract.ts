import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, dayStart, ensureSpanPartition, ensureSpanPartitionsAhead, listSpanPartitions, partitionName } from '../../src/store/postgres/span-partitions.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import type { Store } from '../../src/store/store.js';

/**
 * Span retention (`retention: { spans: 30d }`) through a real server, once per database: spans that
 * started before the bound are deleted (PostgreSQL: their day partitions dropped, the default
 * partition's rows deleted), younger ones and other projects' young ones are kept, the trace page
 * and ingest still work afterwards. Spans arrive by real OTLP ingest.
 */
const NOW = Date.now();
const ns = (ms: number): string => String(BigInt(Math.round(ms)) * 1_000_000n);

function otlp(traceId: string, startMs: number, spans: number): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'retention-test' } }] },
        scopeSpans: [
          {
            spans: Array.from({ length: spans }, (_, i) => ({
              traceId,
              spanId: `${traceId.slice(0, 4)}${String(i + 1).padStart(12, '0')}`,
              ...(i > 0 ? { parentSpanId: `${traceId.slice(0, 4)}${'1'.padStart(12, '0')}` } : {}),
              name: i === 0 ? 'agent' : 'ChatCompletion',
              kind: 1,
              startTimeUnixNano: ns(startMs + i),
              endTimeUnixNano: ns(startMs + i + 50),
              attributes: [{ key: 'session.id', value: { stringValue: `s-${traceId.slice(0, 4)}` } }],
            })),
          },
        ],
      },
    ],
  });
}

const OLD = 'a1000000000000000000000000000001'; // 40 days old, own day partition on PostgreSQL
const OLDER = 'a2000000000000000000000000000002'; // 400 days old: the default partition on PostgreSQL
const EDGE = 'a3000000000000000000000000000003'; // 29 days old: kept
const RECENT = 'a4000000000000000000000000000004'; // an hour old: kept
const OTHER_OLD = 'b1000000000000000000000000000001'; // another project, 40 days old
const OTHER_RECENT = 'b2000000000000000000000000000002';

export function spanRetentionContract(name: string, open: () => Promise<Store>): void {
  describe(`span retention (${name})`, () => {
    let store: Store;
    let server: RunningServer;
    const keys: Record<string, string> = {};

    const post = async (project: string, traceId: string, startMs: number, spans: number): Promise<void> => {
      const res = await fetch(`${server.url}/v1/traces`, { method: 'POST', headers: { authorization: `Bearer ${keys[`${project}:ingest`]}`, 'content-type': 'application/json' }, body: otlp(traceId, startMs, spans) });
      expect(res.status).toBe(200);
    };
    const traceSpans = async (project: string, traceId: string): Promise<number> => {
      const res = await fetch(`${server.url}/api/v1/projects/${project}/traces/${traceId}`, { headers: { authorization: `Bearer ${keys[`${project}:viewer`]}` } });
      if (res.status === 404) return 0;
      expect(res.status).toBe(200);
      return ((await res.json()) as { spans: unknown[] }).spans.length;
    };

    beforeAll(async () => {
      store = await open();
      for (const project of ['shop', 'desk']) {
        const { id } = await store.projects.ensure(project);
        keys[`${project}:ingest`] = (await store.apiKeys.create({ role: 'ingest', projectId: id, createdBy: 'test' })).plaintext;
        keys[`${project}:viewer`] = (await store.apiKeys.create({ role: 'viewer', projectId: id, createdBy: 'test' })).plaintext;
      }
      // First without retention, to store spans of every age.
      server = await startServer({ store, port: 0, host: '127.0.0.1' });
      if (store.dialect === 'postgres') await ensureSpanPartition(store.db, dayStart(NOW - 40 * DAY_MS));
      await post('shop', OLD, NOW - 40 * DAY_MS, 3);
      await post('shop', OLDER, NOW - 400 * DAY_MS, 2);
      await post('shop', EDGE, NOW - 29 * DAY_MS, 2);
      await post('shop', RECENT, NOW - 3_600_000, 4);
      await post('desk', OTHER_OLD, NOW - 40 * DAY_MS, 2);
      await post('desk', OTHER_RECENT, NOW - 3_600_000, 1);
      await server.close();
    });
    afterAll(async () => {
      await server?.close();
      await store?.close();
    });

    it('keeps every span while no retention is set', async () => {
      server = await startServer({ store, port: 0, host: '127.0.0.1' });
      expect(await server.maintenance.runOnce()).toBeUndefined();
      expect(await store.spans.count((await store.projects.ensure('shop')).id)).toBe(11);
      await server.close();
    });

    it('deletes the spans older than the bound, of every project, and keeps the younger ones', async () => {
      server = await startServer({ store, port: 0, host: '127.0.0.1', retention: { spans: 30 * DAY_MS } });
      await server.maintenance.runOnce(); // joins (or follows) the pass the server runs at start
      expect(await traceSpans('shop', OLD)).toBe(0);
      expect(await traceSpans('shop', OLDER)).toBe(0);
      expect(await traceSpans('desk', OTHER_OLD)).toBe(0);
      expect(await traceSpans('shop', EDGE)).toBe(2);
      expect(await traceSpans('shop', RECENT)).toBe(4);
      expect(await traceSpans('desk', OTHER_RECENT)).toBe(1);
      expect(await store.spans.count((await store.projects.ensure('shop')).id)).toBe(6);
      const again = await server.maintenance.runOnce();
      expect(again).toMatchObject({ deletedSpans: 0, droppedPartitions: 0 });
    });

    it('still serves the session and trace pages, and ingests, after retention', async () => {
      const sessions = await fetch(`${server.url}/api/v1/projects/shop/sessions`, { headers: { authorization: `Bearer ${keys['shop:viewer']}` } });
      expect(sessions.status).toBe(200);
      const ids = ((await sessions.json()) as { sessions: { sessionId: string }[] }).sessions.map((s) => s.sessionId).sort();
      expect(ids).toEqual([`s-${EDGE.slice(0, 4)}`, `s-${RECENT.slice(0, 4)}`]);
      await post('shop', 'a5000000000000000000000000000005', NOW, 2);
      expect(await traceSpans('shop', 'a5000000000000000000000000000005')).toBe(2);
    });

    if (name === 'PostgreSQL') {
      it('drops the old day partitions whole and keeps the coming week created ahead', async () => {
        const partitions = await listSpanPartitions(store.db);
        expect(partitions).not.toContain(partitionName(dayStart(NOW - 40 * DAY_MS)));
        for (let d = 0; d <= 7; d++) expect(partitions).toContain(partitionName(dayStart(NOW) + d * DAY_MS));
        // The default partition keeps the 29-day-old spans (no partition of their day), nothing older.
        const { rows } = await sql<{ old: number; kept: number }>`select count(*) filter (where start_time_ms < ${NOW - 30 * DAY_MS})::int as old, count(*)::int as kept from spans_default`.execute(store.db);
        expect(rows[0]).toEqual({ old: 0, kept: 2 });
      });

      it('moves spans that arrived ahead of their day partition into it when it is created', async () => {
        // Ingest refuses spans ending over a day ahead, so this only happens when partitions were not
        // kept ahead (no server ran for a week): written here straight through the repository.
        const ahead = NOW + 10 * DAY_MS;
        const projectId = (await store.projects.ensure('shop')).id;
        const template = (await store.spans.list({ projectId, traceId: RECENT }))[0]!;
        const traceId = 'a6000000000000000000000000000006';
        const spans = [1, 2].map((i) => ({ ...template, traceId, spanId: `a6${String(i).padStart(14, '0')}`, startTimeMs: ahead + i, endTimeMs: ahead + i + 10 }));
        expect(await store.spans.insertBatch(spans.map((span) => ({ projectId, span })))).toBe(2);
        const inDefault = async (): Promise<number> => (await sql<{ n: number }>`select count(*)::int as n from spans_default where trace_id = ${traceId}`.execute(store.db)).rows[0]?.n ?? -1;
        expect(await inDefault()).toBe(2);
        expect(await ensureSpanPartitionsAhead(store.db, ahead, 0)).toBe(1);
        expect(await inDefault()).toBe(0);
        expect(await traceSpans('shop', traceId)).toBe(2);
        expect(await store.spans.insertBatch(spans.map((span) => ({ projectId, span })))).toBe(0); // sent twice: stored once
      });
    }
  });
}
