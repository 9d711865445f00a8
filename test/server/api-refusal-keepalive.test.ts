/**
 * Every refusal of the JSON API answered before its body was read to the end (401, 403, 404, 413 of an
 * operation's own bound, 415) drains the body within the request's bound and leaves the client's
 * keep-alive connection clean: the next request goes out on the same socket. A body past the bound
 * is answered with `Connection: close`, and the client's next request is served on a new socket.
 * Real server, real SQLite file, Node's keep-alive agent with one socket.
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { openStore, type Store } from '../../src/store/store.js';

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  readonly reusedSocket: boolean;
  readonly localPort: number | undefined;
}

interface Send {
  readonly method?: string;
  readonly path: string;
  readonly key?: string;
  readonly body?: Buffer;
  readonly contentType?: string;
  /** Send the body in chunks without a Content-Length. */
  readonly chunked?: boolean;
  /** A slow client: the body's first half, then the second after this pause (the adapter's own drain gives 500 ms). */
  readonly pauseMs?: number;
}

function call(url: string, agent: http.Agent, send: Send): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': send.contentType ?? 'application/json' };
    if (send.key !== undefined) headers['authorization'] = `Bearer ${send.key}`;
    if (send.body) headers[send.chunked ? 'transfer-encoding' : 'content-length'] = send.chunked ? 'chunked' : send.body.length;
    const req = http.request(`${url}${send.path}`, { method: send.method ?? 'POST', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString(), reusedSocket: req.reusedSocket, localPort: req.socket?.localPort }));
      res.on('error', reject);
    });
    req.on('error', reject);
    const body = send.body ?? Buffer.alloc(0);
    if (send.pauseMs === undefined) {
      req.end(body);
      return;
    }
    const half = Math.floor(body.length / 2);
    req.write(body.subarray(0, half));
    setTimeout(() => req.end(body.subarray(half)), send.pauseMs);
  });
}

/** A JSON body of about `bytes` bytes. */
function jsonOf(bytes: number): Buffer {
  return Buffer.from(JSON.stringify({ kind: 'thumbs', value: 1, comment: 'x'.repeat(bytes) }));
}

describe('JSON API refusals on a kept-alive connection', () => {
  let dir: string;
  let store: Store;
  let server: RunningServer;
  let owner: string;
  let viewer: string;
  let ingest: string;
  const MAX_BODY = 64 * 1024;
  const MAX_IMPORT = 256 * 1024;
  const feedback = '/api/v1/projects/keepalive/traces/0af7651916cd43dd8448eb211c80319c/feedback';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'evalops-api-keepalive-'));
    store = await openStore(`sqlite:${join(dir, 'db.sqlite')}`);
    const project = await store.projects.ensure('keepalive');
    owner = (await store.apiKeys.create({ role: 'owner', projectId: project.id, createdBy: 'test' })).plaintext;
    ingest = (await store.apiKeys.create({ role: 'ingest', projectId: project.id, createdBy: 'test' })).plaintext;
    viewer = (await store.apiKeys.create({ role: 'viewer', projectId: project.id, createdBy: 'test' })).plaintext;
    server = await startServer({ store, port: 0, host: '127.0.0.1', apiLimits: { maxBodyBytes: MAX_BODY, maxImportBytes: MAX_IMPORT } });
  });
  afterAll(async () => {
    await server?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The refusal, then a GET on the same agent: it must go out on the same socket and be served. */
  async function refusedThenReused(send: Send, status: number): Promise<void> {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const refused = await call(server.url, agent, send);
      expect({ status: refused.status, connection: refused.headers['connection'] }, refused.body).toEqual({ status, connection: 'keep-alive' });
      expect(JSON.parse(refused.body)).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
      const next = await call(server.url, agent, { method: 'GET', path: '/api/v1/projects/keepalive/traces', key: viewer });
      expect({ status: next.status, reusedSocket: next.reusedSocket, samePort: next.localPort === refused.localPort }).toEqual({ status: 200, reusedSocket: true, samePort: true });
    } finally {
      agent.destroy();
    }
  }

  it('401 for an unknown key, body declared and sent slowly', async () => {
    await refusedThenReused({ path: feedback, key: 'eo_unknown_key_0000000000000000', body: jsonOf(48 * 1024), pauseMs: 1200 }, 401);
  });

  it('401 without a key, body chunked and sent slowly', async () => {
    await refusedThenReused({ path: feedback, body: jsonOf(48 * 1024), chunked: true, pauseMs: 1200 }, 401);
  });

  it('403 for a key whose role may not write', async () => {
    await refusedThenReused({ path: feedback, key: viewer, body: jsonOf(8 * 1024), chunked: true, pauseMs: 1200 }, 403);
  });

  it("413 for a body over the operation's bound but within the project routes' bound, declared and chunked", async () => {
    await refusedThenReused({ path: feedback, key: ingest, body: jsonOf(MAX_BODY + 16 * 1024), pauseMs: 1200 }, 413);
    await refusedThenReused({ path: feedback, key: ingest, body: jsonOf(MAX_BODY + 16 * 1024), chunked: true, pauseMs: 1200 }, 413);
  });

  it('415 for a body that is not JSON', async () => {
    await refusedThenReused({ path: feedback, key: ingest, body: Buffer.alloc(16 * 1024, 0x61), contentType: 'text/plain', pauseMs: 1200 }, 415);
  });

  it('404 for an unknown route with a body', async () => {
    await refusedThenReused({ path: '/api/v1/projects/keepalive/no-such-thing', key: owner, body: jsonOf(4 * 1024), chunked: true }, 404);
  });

  it('400 for malformed JSON read to its end', async () => {
    await refusedThenReused({ path: feedback, key: ingest, body: Buffer.from('{"kind":') }, 400);
  });

  it('closes the connection past the bound (declared or chunked), and the next request is served on a new socket', async () => {
    for (const chunked of [false, true]) {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        // The client may still be writing when the server closes: a reset then is the expected end, not a failure.
        const refused = await call(server.url, agent, { path: feedback, key: 'eo_unknown_key_0000000000000000', body: jsonOf(MAX_IMPORT + 64 * 1024), chunked }).catch((e: NodeJS.ErrnoException) => ({ status: 0, code: e.code, headers: {} as http.IncomingHttpHeaders }));
        if (refused.status === 0) expect(['ECONNRESET', 'EPIPE']).toContain((refused as { code?: string }).code);
        else expect({ status: refused.status, connection: refused.headers['connection'] }).toEqual({ status: chunked ? 401 : 413, connection: 'close' });
        const next = await call(server.url, agent, { method: 'GET', path: '/api/v1/projects/keepalive/traces', key: viewer });
        expect({ status: next.status, reusedSocket: next.reusedSocket }).toEqual({ status: 200, reusedSocket: false });
      } finally {
        agent.destroy();
      }
    }
  });
});
