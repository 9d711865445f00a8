/**
 * Every refusal on `POST /v1/traces` (401, 403, 400, 413, 415, 503) leaves the client's keep-alive
 * connection clean: the refused body is read and dropped before the answer, so a client sending its
 * body slowly still gets the refusal, not a reset, and its next request goes out on the same socket.
 * A body past the drain bound is answered with `Connection: close` and never takes the server down.
 * Real server, real SQLite file with the writer thread, Node's keep-alive agent with one socket.
 */
import Database from 'better-sqlite3';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer, type StartServerOptions } from '../../src/server/start-server.js';
import { openStore, type Store } from '../../src/store/store.js';

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  readonly reusedSocket: boolean;
  readonly localPort: number | undefined;
}

interface Send {
  readonly key: string;
  readonly body: Buffer;
  readonly contentType?: string;
  /** Send the body in chunks without a Content-Length. */
  readonly chunked?: boolean;
  /**
   * A slow client: the body's first half goes out, then the second after this pause. The server's
   * HTTP adapter gives an unread body half a second before cutting the socket; a refusal that does
   * not read the body must not depend on the client being faster than that.
   */
  readonly pauseMs?: number;
}

function post(url: string, agent: http.Agent, send: Send): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { authorization: `Bearer ${send.key}`, 'content-type': send.contentType ?? 'application/json' };
    if (!send.chunked) headers['content-length'] = send.body.length;
    const req = http.request(`${url}/v1/traces`, { method: 'POST', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString(), reusedSocket: req.reusedSocket, localPort: req.socket?.localPort }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (send.pauseMs === undefined) {
      req.end(send.body);
      return;
    }
    const half = Math.floor(send.body.length / 2);
    req.write(send.body.subarray(0, half));
    setTimeout(() => req.end(send.body.subarray(half)), send.pauseMs);
  });
}

/** An OTLP JSON body of `spans` spans, padded to about `bytes` with a long attribute. */
function otlpJson(traceId: string, spans: number, bytes = 0): Buffer {
  const now = BigInt(Date.now()) * 1_000_000n;
  const padding = 'x'.repeat(Math.max(0, Math.floor(bytes / Math.max(1, spans))));
  return Buffer.from(
    JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'keepalive-test' } }] },
          scopeSpans: [
            {
              spans: Array.from({ length: spans }, (_, i) => ({
                traceId,
                spanId: (i + 1).toString(16).padStart(16, '0'),
                name: 'ChatCompletion',
                kind: 3,
                startTimeUnixNano: String(now - 1_000_000n),
                endTimeUnixNano: String(now),
                attributes: [{ key: 'padding', value: { stringValue: padding } }],
              })),
            },
          ],
        },
      ],
    }),
  );
}

const SLOW = 1_200;

describe('OTLP refusals on a kept-alive connection', () => {
  let dir: string;
  let path: string;
  let store: Store;
  let key = '';
  let viewerKey = '';
  let instanceKey = '';
  const servers: RunningServer[] = [];
  const agents: http.Agent[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'evalops-keepalive-'));
    path = join(dir, 'evalops.db');
    store = await openStore(`sqlite:${path}`);
    const project = await store.projects.ensure('shop');
    key = (await store.apiKeys.create({ role: 'ingest', projectId: project.id, createdBy: 'test' })).plaintext;
    viewerKey = (await store.apiKeys.create({ role: 'viewer', projectId: project.id, createdBy: 'test' })).plaintext;
    instanceKey = (await store.apiKeys.create({ role: 'admin', projectId: null, createdBy: 'test' })).plaintext;
  });
  afterAll(async () => {
    for (const a of agents) a.destroy();
    for (const s of servers) await s.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (options: Partial<StartServerOptions> = {}): Promise<RunningServer> => {
    const server = await startServer({ store, port: 0, host: '127.0.0.1', ...options });
    servers.push(server);
    return server;
  };
  const keepAliveAgent = (): http.Agent => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    agents.push(agent);
    return agent;
  };
  const traceSpans = async (url: string, traceId: string): Promise<number> => {
    const res = await fetch(`${url}/api/v1/projects/shop/traces/${traceId}`, { headers: { authorization: `Bearer ${viewerKey}` } });
    return res.status === 200 ? ((await res.json()) as { spans: unknown[] }).spans.length : 0;
  };
  /** A good request on the same agent: stored, on the socket the refusal used. */
  const expectSocketStillServes = async (server: RunningServer, agent: http.Agent, refused: Answer, traceId: string): Promise<void> => {
    const next = await post(server.url, agent, { key, body: otlpJson(traceId, 2) });
    expect(next.status).toBe(200);
    expect(next.reusedSocket).toBe(true);
    expect(next.localPort).toBe(refused.localPort);
    expect(await traceSpans(server.url, traceId)).toBe(2);
  };

  it('answers 401 for an unknown key after the whole body, even from a slow client, and keeps the socket', async () => {
    const server = await start();
    const agent = keepAliveAgent();
    const warm = await post(server.url, agent, { key, body: otlpJson('11000000000000000000000000000001', 1) });
    expect(warm.status).toBe(200);
    const refused = await post(server.url, agent, { key: 'eo_unknown_key', body: otlpJson('11000000000000000000000000000002', 64, 2_000_000), pauseMs: SLOW });
    expect(refused.status).toBe(401);
    expect(refused.headers['connection']).toBe('keep-alive');
    expect(refused.reusedSocket).toBe(true);
    expect(refused.localPort).toBe(warm.localPort);
    await expectSocketStillServes(server, agent, refused, '11000000000000000000000000000003');
  });

  it('answers 403 for a key without the ingest permission, and 400 for a missing project header, keeping the socket', async () => {
    const server = await start();
    const agent = keepAliveAgent();
    const forbidden = await post(server.url, agent, { key: viewerKey, body: otlpJson('12000000000000000000000000000001', 16, 1_000_000), pauseMs: SLOW });
    expect(forbidden.status).toBe(403);
    const noProject = await post(server.url, agent, { key: instanceKey, body: otlpJson('12000000000000000000000000000002', 16, 1_000_000), pauseMs: SLOW });
    expect(noProject.status).toBe(400);
    expect(noProject.body).toMatch(/X-EvalOps-Project/);
    expect(noProject.reusedSocket).toBe(true);
    await expectSocketStillServes(server, agent, noProject, '12000000000000000000000000000003');
  });

  it('answers 415 for an unsupported type after the body, keeping the socket', async () => {
    const server = await start();
    const agent = keepAliveAgent();
    const refused = await post(server.url, agent, { key, body: Buffer.alloc(1_000_000, 0x61), contentType: 'text/plain', pauseMs: SLOW });
    expect(refused.status).toBe(415);
    await expectSocketStillServes(server, agent, refused, '13000000000000000000000000000001');
  });

  it('answers 413 for a body over the limit, declared or sent in chunks, and keeps the socket while the body is within the drain bound', async () => {
    const server = await start({ maxBodyBytes: 100_000 });
    const agent = keepAliveAgent();
    const declared = await post(server.url, agent, { key, body: otlpJson('14000000000000000000000000000001', 16, 1_000_000), pauseMs: SLOW });
    expect(declared.status).toBe(413);
    expect(declared.body).toMatch(/over 100000 bytes/);
    await expectSocketStillServes(server, agent, declared, '14000000000000000000000000000002');
    const chunked = await post(server.url, agent, { key, body: otlpJson('14000000000000000000000000000003', 16, 1_000_000), chunked: true, pauseMs: SLOW });
    expect(chunked.status).toBe(413);
    expect(chunked.reusedSocket).toBe(true);
    await expectSocketStillServes(server, agent, chunked, '14000000000000000000000000000004');
  });

  it('closes the connection after a 413 for a declared body past the drain bound, and the client gets the answer', async () => {
    const server = await start({ maxBodyBytes: 10_000, maxDrainBytes: 50_000 });
    const agent = keepAliveAgent();
    const refused = await post(server.url, agent, { key, body: otlpJson('15000000000000000000000000000001', 4, 40_000_000) });
    expect(refused.status).toBe(413);
    expect(refused.headers['connection']).toBe('close');
    const next = await post(server.url, agent, { key, body: otlpJson('15000000000000000000000000000002', 2) });
    expect(next.status).toBe(200);
    expect(next.reusedSocket).toBe(false);
  });

  it('answers 503 with Retry-After of at most 10 s while the queue is full, after the body, keeping the socket', async () => {
    const server = await start({ queue: { maxQueuedSpans: 1, minQueuedSpans: 1 } });
    const agent = keepAliveAgent();
    const warm = await post(server.url, agent, { key, body: otlpJson('16000000000000000000000000000001', 1) });
    expect(warm.status).toBe(200);
    const lock = new Database(path);
    try {
      lock.exec('begin immediate'); // the writer thread waits: the queue holds the next request
      const held = post(server.url, keepAliveAgent(), { key, body: otlpJson('16000000000000000000000000000002', 3) });
      while (!/^evalops_ingest_queue_spans 3$/m.test(server.metrics.render())) await new Promise((resolve) => setTimeout(resolve, 10));
      const refused = await post(server.url, agent, { key, body: otlpJson('16000000000000000000000000000003', 64, 2_000_000), pauseMs: SLOW });
      expect(refused.status).toBe(503);
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(10);
      expect(refused.reusedSocket).toBe(true);
      lock.exec('commit');
      expect((await held).status).toBe(200);
      await expectSocketStillServes(server, agent, refused, '16000000000000000000000000000004');
    } finally {
      if (lock.inTransaction) lock.exec('rollback');
      lock.close();
    }
  });
});
