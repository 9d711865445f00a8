/**
 * Several `evalops serve` replicas on one PostgreSQL: they migrate the same schema at once, take
 * OTLP on any replica, store a batch sent to two replicas once, serve each other's spans, and honour
 * a key revoked through another replica at once (no per-replica auth cache).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { openStore, type Store } from '../../src/store/store.js';
import { llmTraffic, protobufPayload } from '../ingest/sdk-payloads.js';
import { TEST_PG_URL, useTestPostgres } from '../support/test-postgres.js';

const { newSchema } = useTestPostgres('evalops_replicas');

describe('replicas sharing one PostgreSQL', () => {
  const schema = newSchema();
  let stores: Store[] = [];
  let servers: RunningServer[] = [];
  let ingestKey = '';
  let viewerKey = '';

  beforeAll(async () => {
    stores = await Promise.all([0, 1, 2].map(() => openStore(TEST_PG_URL, { schema })));
    const project = await stores[0]!.projects.ensure('shop');
    ingestKey = (await stores[0]!.apiKeys.create({ role: 'ingest', projectId: project.id, createdBy: 'test' })).plaintext;
    viewerKey = (await stores[0]!.apiKeys.create({ role: 'viewer', projectId: project.id, createdBy: 'test' })).plaintext;
    servers = await Promise.all(stores.map((store) => startServer({ store, port: 0, host: '127.0.0.1' })));
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    for (const s of stores) await s.close();
  });

  const post = (server: RunningServer, body: Uint8Array, key = ingestKey) =>
    fetch(`${server.url}/v1/traces`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-protobuf' }, body });
  const spanCount = async (): Promise<number> => {
    const client = new pg.Client({ connectionString: TEST_PG_URL });
    await client.connect();
    try {
      const { rows } = await client.query(`select count(*)::int as n from "${schema}".spans`);
      return rows[0].n as number;
    } finally {
      await client.end();
    }
  };

  it('stores a batch sent to every replica at once exactly once, and serves it from any replica', async () => {
    const shared = llmTraffic(64);
    const answers = await Promise.all(servers.map((s) => post(s, protobufPayload(shared))));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const own = llmTraffic(32);
    expect((await post(servers[1]!, protobufPayload(own))).status).toBe(200);
    expect(await spanCount()).toBe(64 + 32);
    const traceId = own[0]!.spanContext().traceId;
    for (const server of servers) {
      const res = await fetch(`${server.url}/api/v1/projects/shop/traces/${traceId}`, { headers: { authorization: `Bearer ${viewerKey}` } });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { spans: unknown[] }).spans).toHaveLength(32);
    }
  });

  it('refuses a key on every replica as soon as one replica revokes it', async () => {
    const listed = await stores[2]!.apiKeys.list({});
    const ingest = listed.find((k) => k.role === 'ingest')!;
    await stores[2]!.apiKeys.revoke(ingest.id, 'ops@example.com');
    for (const server of servers) expect((await post(server, protobufPayload(llmTraffic(2)))).status).toBe(401);
    expect(await spanCount()).toBe(96);
  });
});
