/**
 * OTLP ingest under overload and on bad requests, on SQLite with the writer in its worker thread:
 * a full write queue or too many bodies in flight answer 503 + Retry-After before the body is read
 * (a body that would not even decode is refused, not rejected as malformed), the keep-alive socket
 * stays usable, held requests are stored once the database lets them; failures answer a
 * google.rpc.Status in the request's encoding. The write queue is held by a real lock: another
 * connection's open write transaction on the same file.
 */
import Database from 'better-sqlite3';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProtobufReader, WIRE_LENGTH_DELIMITED, WIRE_VARINT, tag } from '../../src/ingest/protobuf-reader.js';
import { startServer, type RunningServer, type StartServerOptions } from '../../src/server/start-server.js';
import { openStore, type Store } from '../../src/store/store.js';

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  readonly reusedSocket: boolean;
}

function post(url: string, key: string, body: Buffer | string, contentType: string, agent?: http.Agent): Promise<Answer> {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/v1/traces`, { method: 'POST', agent: agent ?? false, headers: { authorization: `Bearer ${key}`, 'content-type': contentType, 'content-length': bytes.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), reusedSocket: req.reusedSocket }));
    });
    req.on('error', reject);
    req.end(bytes);
  });
}

/** A google.rpc.Status from protobuf bytes (code = 1, message = 2). */
function decodeStatus(bytes: Uint8Array): { code: number; message: string } {
  const reader = new ProtobufReader(bytes);
  let code = 0;
  let message = '';
  while (reader.pos < bytes.byteLength) {
    const key = reader.tag();
    if (key === tag(1, WIRE_VARINT)) code = reader.varint();
    else if (key === tag(2, WIRE_LENGTH_DELIMITED)) message = reader.string(bytes.byteLength);
    else throw new Error(`unexpected field ${key} in google.rpc.Status`);
  }
  return { code, message };
}

function otlpJson(traceId: string, spans: number): string {
  const now = BigInt(Date.now()) * 1_000_000n;
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'overload-test' } }] },
        scopeSpans: [
          {
            spans: Array.from({ length: spans }, (_, i) => ({
              traceId,
              spanId: (i + 1).toString(16).padStart(16, '0'),
              name: 'ChatCompletion',
              kind: 3,
              startTimeUnixNano: String(now - 1_000_000n),
              endTimeUnixNano: String(now),
            })),
          },
        ],
      },
    ],
  });
}

describe('OTLP ingest overload and error answers (SQLite, writer thread)', () => {
  let dir: string;
  let path: string;
  let store: Store;
  let key = '';
  let viewerKey = '';
  const servers: RunningServer[] = [];
  let lock: Database.Database | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'evalops-overload-'));
    path = join(dir, 'evalops.db');
    store = await openStore(`sqlite:${path}`);
    const project = await store.projects.ensure('shop');
    key = (await store.apiKeys.create({ role: 'ingest', projectId: project.id, createdBy: 'test' })).plaintext;
    viewerKey = (await store.apiKeys.create({ role: 'viewer', projectId: project.id, createdBy: 'test' })).plaintext;
  });
  afterEach(() => {
    if (lock?.inTransaction) lock.exec('rollback');
    lock?.close();
    lock = undefined;
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (options: Partial<StartServerOptions> = {}): Promise<RunningServer> => {
    const server = await startServer({ store, port: 0, host: '127.0.0.1', ...options });
    servers.push(server);
    return server;
  };
  /** Waits until the server's gauge `name` reads `value`. */
  const gauge = async (server: RunningServer, name: string, value: number): Promise<void> => {
    while (!new RegExp(`^${name} ${value}$`, 'm').test(server.metrics.render())) await new Promise((resolve) => setTimeout(resolve, 10));
  };
  /**
   * Holds the database's write lock from another connection, so the writer thread waits. The keys
   * must have been used first: the server records a key's last use (a write on its own connection,
   * which would wait for the lock too) at most once a minute.
   */
  const holdWriteLock = (): Database.Database => {
    lock = new Database(path);
    lock.exec('begin immediate');
    return lock;
  };
  const traceSpans = async (url: string, traceId: string): Promise<number> => {
    const res = await fetch(`${url}/api/v1/projects/shop/traces/${traceId}`, { headers: { authorization: `Bearer ${viewerKey}` } });
    return res.status === 200 ? ((await res.json()) as { spans: unknown[] }).spans.length : 0;
  };

  it('answers 503 with Retry-After and a google.rpc.Status when the write queue is full, without reading the body', async () => {
    const server = await start({ queue: { maxQueuedSpans: 1, minQueuedSpans: 1 } });
    expect((await post(server.url, key, otlpJson('90f7651916cd43dd8448eb211c80319c', 1), 'application/json')).status).toBe(200);
    expect(await traceSpans(server.url, '90f7651916cd43dd8448eb211c80319c')).toBe(1);
    const held = holdWriteLock();
    const heldTrace = 'a0f7651916cd43dd8448eb211c80319c';
    const first = post(server.url, key, otlpJson(heldTrace, 3), 'application/json');
    await gauge(server, 'evalops_ingest_queue_spans', 3);

    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      // Bytes that are no OTLP request at all: decoding them would answer 400, so a 503 means unread.
      const refused = await post(server.url, key, Buffer.from([0xff, 0xff, 0xff, 0x0f]), 'application/x-protobuf', agent);
      expect(refused.status).toBe(503);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(refused.headers['content-type']).toBe('application/x-protobuf');
      expect(decodeStatus(refused.body)).toEqual({ code: 14, message: expect.stringMatching(/ingest queue is full; retry after \d+ s/) });

      const refusedJson = await post(server.url, key, otlpJson('b0f7651916cd43dd8448eb211c80319c', 1), 'application/json', agent);
      expect(refusedJson.status).toBe(503);
      expect(refusedJson.reusedSocket).toBe(true); // the refused body was skipped, the socket kept
      expect(JSON.parse(refusedJson.body.toString())).toEqual({ code: 14, message: expect.stringMatching(/ingest queue is full/), details: [] });

      held.exec('commit');
      expect((await first).status).toBe(200);
      expect(await traceSpans(server.url, heldTrace)).toBe(3);

      const accepted = await post(server.url, key, otlpJson('c0f7651916cd43dd8448eb211c80319c', 2), 'application/json', agent);
      expect(accepted.status).toBe(200);
      expect(accepted.reusedSocket).toBe(true);
      expect(await traceSpans(server.url, 'c0f7651916cd43dd8448eb211c80319c')).toBe(2);
    } finally {
      agent.destroy();
    }
  });

  it('answers 503 when too many request bodies are already being received', async () => {
    const server = await start({ admission: { maxInFlightBytes: 1_000 } });
    const slowBody = Buffer.from(otlpJson('d0f7651916cd43dd8448eb211c80319c', 8));
    expect(slowBody.length).toBeGreaterThan(1_000);
    // A sender that declares its body and sends only part of it, for now.
    const slow = new Promise<number>((resolve, reject) => {
      const req = http.request(`${server.url}/v1/traces`, { method: 'POST', agent: false, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': slowBody.length } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.write(slowBody.subarray(0, 100));
      void gauge(server, 'evalops_ingest_inflight_bytes', slowBody.length).then(async () => {
        const refused = await post(server.url, key, otlpJson('e0f7651916cd43dd8448eb211c80319c', 1), 'application/json');
        expect(refused.status).toBe(503);
        expect(refused.headers['retry-after']).toBe('1');
        expect(JSON.parse(refused.body.toString())).toMatchObject({ code: 14, message: expect.stringMatching(/too many request bodies/) });
        req.end(slowBody.subarray(100));
      }, reject);
    });
    expect(await slow).toBe(200);
    expect(await traceSpans(server.url, 'd0f7651916cd43dd8448eb211c80319c')).toBe(8);
    await gauge(server, 'evalops_ingest_inflight_bytes', 0);
  });

  it('answers 503 with a google.rpc.Status, never 2xx, when the write itself fails', async () => {
    const server = await start();
    holdWriteLock(); // held past the writer's busy timeout: the transaction fails with "database is locked"
    const failed = await post(server.url, key, otlpJson('f0f7651916cd43dd8448eb211c80319c', 2), 'application/json');
    expect(failed.status).toBe(503);
    expect(failed.headers['retry-after']).toBe('1');
    expect(JSON.parse(failed.body.toString())).toEqual({ code: 14, message: expect.stringMatching(/could not store spans: database is locked/), details: [] });
    expect(await traceSpans(server.url, 'f0f7651916cd43dd8448eb211c80319c')).toBe(0);
  });

  it('answers bad requests with a google.rpc.Status in the request\'s encoding, naming the problem', async () => {
    const server = await start({ maxBodyBytes: 2_000 });
    const badProto = await post(server.url, key, Buffer.from([0xff, 0xff, 0xff, 0x0f]), 'application/x-protobuf');
    expect(badProto.status).toBe(400);
    expect(badProto.headers['content-type']).toBe('application/x-protobuf');
    expect(decodeStatus(badProto.body)).toEqual({ code: 3, message: expect.stringMatching(/^malformed OTLP protobuf body/) });

    const badJson = await post(server.url, key, '{not json', 'application/json');
    expect(badJson.status).toBe(400);
    expect(JSON.parse(badJson.body.toString())).toEqual({ code: 3, message: expect.stringMatching(/^malformed OTLP JSON body/), details: [] });

    const badType = await post(server.url, key, '{}', 'text/plain');
    expect(badType.status).toBe(415);
    expect(JSON.parse(badType.body.toString())).toEqual({ code: 12, message: expect.stringMatching(/unsupported Content-Type "text\/plain"/), details: [] });

    const tooLarge = await post(server.url, key, otlpJson('a1f7651916cd43dd8448eb211c80319c', 20), 'application/x-protobuf');
    expect(tooLarge.status).toBe(413);
    expect(decodeStatus(tooLarge.body)).toEqual({ code: 8, message: 'the body is over 2000 bytes' });
  });
});
