import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { openStore, type Store } from '../../src/store/store.js';

/** A raw request (node:http, so chunked bodies and odd headers go out as written). */
function send(url: string, method: string, path: string, headers: Record<string, string>, body?: Buffer | Buffer[]): Promise<{ status: number; body: any; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          // not JSON (the web UI's HTML): kept as text
        }
        resolve({ status: res.statusCode!, body, headers: res.headers });
      });
    });
    req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'EPIPE' || (e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
    for (const chunk of Array.isArray(body) ? body : body ? [body] : []) req.write(chunk);
    req.end();
  });
}

describe('JSON API input bounds and client mistakes', () => {
  let store: Store;
  let server: RunningServer;
  let key: string;
  const logLines: string[] = [];
  const path = '/api/v1/projects/bounds/datasets/d/versions';
  const traces = '/api/v1/projects/bounds/traces';

  beforeAll(async () => {
    store = await openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'evalops-bounds-')), 'db.sqlite')}`);
    const project = await store.projects.ensure('bounds');
    key = (await store.apiKeys.create({ role: 'owner', projectId: project.id, createdBy: 'test' })).plaintext;
    server = await startServer({ store, port: 0, host: '127.0.0.1', apiLimits: { maxBodyBytes: 64 * 1024, maxImportBytes: 256 * 1024 }, log: (e) => void logLines.push(JSON.stringify(e)) });
  });
  afterAll(async () => {
    await server?.close();
    await store?.close();
  });
  const auth = (): Record<string, string> => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json' });

  it('refuses a declared oversized body with 413 before authenticating, and a chunked one as it streams', async () => {
    const big = Buffer.alloc(300 * 1024, 0x20);
    expect(await send(server.url, 'POST', path, { 'content-type': 'application/json', 'content-length': String(big.length) }, big)).toMatchObject({ status: 413, body: { error: { code: 'too_large' } } });
    const chunked = await send(server.url, 'POST', path, { ...auth(), 'transfer-encoding': 'chunked' }, Array.from({ length: 40 }, () => Buffer.alloc(16 * 1024, 0x20)));
    expect(chunked).toMatchObject({ status: 413, body: { error: { code: 'too_large', message: 'the request body is larger than 262144 bytes' } } });
  });

  it('bounds the sign-in body, read before any key, by the ordinary limit', async () => {
    const big = Buffer.alloc(100 * 1024, 0x20);
    expect(await send(server.url, 'POST', '/api/v1/session', { 'content-type': 'application/json', 'content-length': String(big.length) }, big)).toMatchObject({ status: 413 });
    const chunked = await send(server.url, 'POST', '/api/v1/session', { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, Array.from({ length: 8 }, () => Buffer.alloc(16 * 1024, 0x20)));
    expect(chunked.status).toBeGreaterThanOrEqual(400);
    expect(chunked.status).toBeLessThan(500);
  });

  it('does not parse a body before the key is checked (the refused body is only drained)', async () => {
    const res = await send(server.url, 'POST', path, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, [Buffer.from('{"examples":')]);
    expect(res.status).toBe(401);
    expect(res.headers['connection']).toBe('keep-alive');
  });

  it('bounds a gzip body after inflating it (413 for a bomb), and takes a small gzip body', async () => {
    const bomb = gzipSync(Buffer.alloc(10 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect(await send(server.url, 'POST', path, { ...auth(), 'content-encoding': 'gzip' }, bomb)).toMatchObject({ status: 413, body: { error: { code: 'too_large' } } });
    const ok = await send(server.url, 'POST', path, { ...auth(), 'content-encoding': 'gzip' }, gzipSync(JSON.stringify({ examples: [{ input: 'hi' }] })));
    expect(ok).toMatchObject({ status: 201, body: { examples: 1 } });
  });

  it('answers every malformed body with a 4xx naming the problem', async () => {
    const cases: [Record<string, string>, string | Buffer, number, RegExp][] = [
      [auth(), '', 400, /^body: empty/],
      [auth(), '{"examples":[{"input":', 400, /^body: not valid JSON/],
      [auth(), 'hello', 400, /^body: not valid JSON/],
      [auth(), Buffer.from([0x7b, 0xff, 0x7d]), 400, /^body: not valid UTF-8/],
      [auth(), `{"examples":[{"input":${'['.repeat(100)}${']'.repeat(100)}}]}`, 400, /^body\.examples\[0\]\.input\[0\]\[0\]\[0\]… is nested deeper than 64 levels$/],
      [auth(), `{"examples":[${'1,'.repeat(100_000)}1]}`, 400, /^body\.examples has more than 100000 items$/],
      [auth(), '{"examples":[{"input":"a\\u0000b"}]}', 400, /NUL character/],
      [{ ...auth(), 'content-type': 'text/plain' }, '{}', 415, /Content-Type "text\/plain" is not accepted/],
      [{ ...auth(), 'content-encoding': 'br' }, '{}', 415, /Content-Encoding "br" is not accepted/],
      [{ ...auth(), 'content-encoding': 'gzip' }, '{"not":"gzip"}', 400, /malformed gzip/],
    ];
    const datasets = async (): Promise<number> => (await store.datasets.list((await store.projects.ensure('bounds')).id)).length;
    const before = await datasets();
    for (const [headers, body, status, message] of cases) {
      const res = await send(server.url, 'POST', path, headers, Buffer.from(body));
      expect({ status: res.status, code: typeof res.body?.error?.code, message: res.body?.error?.message }, String(body).slice(0, 40)).toMatchObject({ status, code: 'string', message: expect.stringMatching(message) });
    }
    expect(await datasets()).toBe(before);
  });

  it('answers garbled cursors and NUL characters in the path or query with 400', async () => {
    for (const query of ['?cursor=%%%', '?cursor=eyJ9', '?cursor=eyJhIjpbXX0', '?cursor=' + Buffer.from('{"ms":1e400,"id":null}').toString('base64url'), '?limit=-1', '?limit=1e309', '?cursor=a%00b']) {
      const res = await send(server.url, 'GET', `${traces}${query}`, auth());
      expect(res.status, query).toBeGreaterThanOrEqual(400);
      expect(res.status, query).toBeLessThan(500);
    }
    expect(await send(server.url, 'GET', '/api/v1/projects/bounds/traces/a%00b', auth())).toMatchObject({ status: 400, body: { error: { message: 'path field traceId: contains a NUL character' } } });
  });

  it('never writes a key secret to the request log, and still logs the request', async () => {
    const other = (await store.apiKeys.create({ role: 'viewer', projectId: (await store.projects.ensure('bounds')).id, createdBy: 'test' })).plaintext;
    const prefix = other.slice(3, 11);
    await send(server.url, 'GET', `/api/v1/projects/${other}/runs?token=${other}&q=${encodeURIComponent(`Bearer ${other}`)}`, auth());
    await send(server.url, 'GET', `/api/v1/keys/${other}`, { authorization: `Bearer ${other}` });
    await send(server.url, 'GET', `/${other}/sk-abcdefghijklmnopqrstuvwxyz/sk_live_abcdefghijkl`, {});
    const logged = logLines.join('\n');
    for (const secret of [other.slice(12), key.slice(12), 'sk-abcdefghijklmnopqrstuvwxyz', 'sk_live_abcdefghijkl']) expect(logged).not.toContain(secret);
    expect(logged).toContain(`"path":"/api/v1/projects/eo_${prefix}_[redacted]/runs"`);
    expect(logged).toContain(`"path":"/eo_${prefix}_[redacted]/sk-[redacted]/sk_live_[redacted]"`);
  });
});
