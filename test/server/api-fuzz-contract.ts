import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import type { Store } from '../../src/store/store.js';

/** The seed of record: a failure prints it with its path; re-run with the same seed to reproduce. */
export const FUZZ_SEED = 20_261_206;
/** Requests per operation (about 80 operations). */
const RUNS_PER_OPERATION = 6;

type OpenApiOperation = { operationId: string; parameters?: { name: string; in: 'path' | 'query' }[]; requestBody?: unknown };
type FuzzRequest = { path: string; query: string; body: Uint8Array | undefined; headers: Record<string, string> };

const PROJECT = 'fuzz-bot';

/** Path parameter values: the real project, and what a careless or hostile client sends. */
const pathValue = fc.oneof(
  fc.constant(PROJECT),
  fc.string({ maxLength: 40 }),
  fc.constantFrom('..', '%2e%2e', '%00', '%ff%fe', 'null', '-1', '0', '99999999999999999999999', 'ä€😀', 'a'.repeat(3000), '%', "x'; drop table runs;--"),
  fc.uuid(),
);
/** Query values: garbled and out-of-range cursors, numbers, dates, junk. */
const queryValue = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom('', '-1', '0', '1e309', 'NaN', '99999999999999999999', '2026-13-45T99:99', 'eyJ9', 'eyJvZmZzZXQiOi0xfQ', 'eyJhIjpbXX0', Buffer.from('{"offset":1e300,"id":null}').toString('base64url'), '%', '%zz'),
  fc.integer().map(String),
  fc.base64String({ maxLength: 40 }),
);
const jsonText = fc.json({ maxDepth: 4 });
/** Bodies: random JSON, truncated or mutated JSON, empty, deep, huge arrays, non-UTF-8, gzip (valid and not). */
const bodyOf = fc.oneof(
  jsonText.map((t) => Buffer.from(t)),
  jsonText.chain((t) => fc.nat({ max: Math.max(0, t.length - 1) }).map((n) => Buffer.from(t.slice(0, n)))),
  fc.tuple(jsonText, fc.nat(), fc.string({ minLength: 1, maxLength: 1 })).map(([t, i, ch]) => Buffer.from(t.length ? t.slice(0, i % t.length) + ch + t.slice((i % t.length) + 1) : ch)),
  fc.constantFrom('', ' ', 'null', '[]', '{}', '"x"', '{"__proto__":{"admin":true}}', '{"name":"x".repeat(1)}').map((t) => Buffer.from(t)),
  fc.integer({ min: 100, max: 20_000 }).map((n) => Buffer.from('['.repeat(n) + ']'.repeat(n))),
  fc.constant(Buffer.from(`{"examples":[${'1,'.repeat(150_000)}1]}`)),
  fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
  fc.constant(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])),
);
const contentType = fc.constantFrom('application/json', 'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', '', 'application/json+garbage', '*/*');
const contentEncoding = fc.constantFrom('', '', '', 'gzip', 'gzip', 'br', 'identity', 'deflate, gzip', 'x-gzip');

function requestFor(path: string, op: OpenApiOperation): fc.Arbitrary<FuzzRequest> {
  const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
  const queryParams = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
  return fc.record({
    params: fc.tuple(...pathParams.map(() => pathValue)),
    query: fc.array(fc.tuple(fc.constantFrom(...queryParams, 'cursor', 'limit', 'x'), queryValue), { maxLength: 4 }),
    body: op.requestBody ? fc.option(bodyOf, { freq: 8 }) : fc.option(bodyOf, { freq: 1 }),
    type: contentType,
    encoding: contentEncoding,
    gzipIt: fc.boolean(),
  }).map(({ params, query, body, type, encoding, gzipIt }) => {
    let p = path;
    pathParams.forEach((name, i) => (p = p.replace(`{${name}}`, encodeURIComponent(params[i] as string).replaceAll('%25', '%'))));
    const headers: Record<string, string> = {};
    if (type) headers['content-type'] = type;
    if (encoding) headers['content-encoding'] = encoding;
    const sent = body && encoding.includes('gzip') && gzipIt ? gzipSync(body) : (body ?? undefined);
    return { path: p, query: query.length ? `?${query.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}` : '', body: sent, headers };
  });
}

/** Every table's rows (key use times left out: every authenticated request updates them). */
async function fingerprint(store: Store): Promise<string> {
  const schema = store.location.schema;
  // Only this schema's catalog rows: introspecting every schema fails when another test file drops
  // its schema at that moment (test files run in parallel on the one PostgreSQL database).
  const names =
    schema === undefined
      ? (await store.db.introspection.getTables()).map((t) => t.name)
      : (await sql<{ name: string }>`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = ${schema} and c.relkind in ('r', 'p', 'v')`.execute(store.db)).rows.map((r) => r.name);
  const tables = names.filter((n) => !/^kysely_|migration/i.test(n)).sort();
  const parts: string[] = [];
  for (const table of tables) {
    const rows = await store.db.selectFrom(table as never).selectAll().execute();
    parts.push(`${table}:${rows.map((r) => JSON.stringify({ ...(r as object), last_used_at: undefined })).sort().join('\n')}`);
  }
  return parts.join('\n\n');
}

/**
 * Every operation of the OpenAPI document the server serves, sent random and mutated bodies, path
 * parameters, queries, content types, encodings and cursors with an instance-wide admin key (no
 * refusal for want of a role): never a 5xx, every 4xx a `{ error: { code, message } }`, nothing
 * written by a refused request, and the server alive after all.
 */
export function apiFuzzContract(label: string, open: () => Promise<Store>): void {
  describe(`JSON API fuzz, every operation (${label}, seed ${FUZZ_SEED})`, () => {
    let store: Store;
    let server: RunningServer;
    let key: string;
    let doc: { paths: Record<string, Record<string, OpenApiOperation>> };

    beforeAll(async () => {
      store = await open();
      await store.projects.ensure(PROJECT);
      key = (await store.apiKeys.create({ role: 'admin', projectId: null, createdBy: 'fuzz' })).plaintext;
      server = await startServer({ store, port: 0, host: '127.0.0.1' });
      const res = await fetch(`${server.url}/api/v1/openapi.json`, { headers: { authorization: `Bearer ${key}` } });
      expect(res.status).toBe(200);
      doc = (await res.json()) as typeof doc;
    });
    afterAll(async () => {
      await server?.close();
      await store?.close();
    });

    it('answers every random request with 2xx or a 4xx error body, and a refused request writes nothing', async () => {
      const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
      expect(operations.length).toBeGreaterThan(60);
      let before = await fingerprint(store);
      const statuses = new Map<number, number>();
      for (const { path, method, op } of operations) {
        await fc.assert(
          fc.asyncProperty(requestFor(path, op), async (req) => {
            const res = await fetch(`${server.url}/api/v1${req.path}${req.query}`, {
              method: method.toUpperCase(),
              headers: { authorization: `Bearer ${key}`, ...req.headers },
              ...(req.body !== undefined && method !== 'get' ? { body: req.body } : {}),
            });
            const text = await res.text();
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            const where = `${method.toUpperCase()} ${req.path}${req.query} ${JSON.stringify(req.headers)} → ${res.status} ${text.slice(0, 300)}`;
            expect(res.status, where).toBeLessThan(500);
            const after = await fingerprint(store);
            if (res.status >= 400) {
              const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
              expect(typeof body.error?.code, where).toBe('string');
              expect(typeof body.error?.message, where).toBe('string');
              expect(after === before, `${where}: a refused request changed the database`).toBe(true);
            }
            before = after;
          }),
          { seed: FUZZ_SEED, numRuns: RUNS_PER_OPERATION, endOnFailure: true },
        );
      }
      // The property held for a mix of answers, not only for one early refusal everywhere.
      expect([...statuses.keys()].some((s) => s >= 200 && s < 300)).toBe(true);
      expect([...statuses.keys()].filter((s) => s >= 400).length).toBeGreaterThanOrEqual(3);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    }, 240_000);
  });
}
