import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { apiClient, createKeyLocally, startServe, type ServeProcess } from '../support/serve-process.js';

/**
 * Datasets over the JSON API, on a real `evalops serve`: import (201 new, 200 same content, the body
 * checked row by row and stored whole or not at all), list, show a page of a version, diff; the key's
 * project and role enforced; and the CLI with --server printing what it prints locally.
 */
describe('datasets over /api/v1 (end to end)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-api-ds-'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'ops@example.com' };
  const keys: Record<string, string> = {};
  let serve: ServeProcess;
  let call: ReturnType<typeof apiClient>;
  const v1 = [
    { id: 'a', input: 'hello', slices: ['lang:en'] },
    { id: 'b', input: 'hola', slices: ['lang:es'] },
    { id: 'c', input: 'salut', slices: ['lang:fr'] },
  ];
  let v1Hash = '';

  beforeAll(async () => {
    serve = await startServe(env); // first, so that it prints the instance admin key
    keys['admin'] = serve.adminKey;
    for (const [name, args] of Object.entries({
      engineer: ['--role', 'engineer', '--project', 'shop'],
      viewer: ['--role', 'viewer', '--project', 'shop'],
      other: ['--role', 'owner', '--project', 'elsewhere'],
    })) {
      keys[name] = await createKeyLocally(env, args);
    }
    call = apiClient(serve.url);
    writeFileSync(join(dir, 'v2.yaml'), '- { id: a, input: hello, expected: hi, slices: [lang:en] }\n- { id: d, input: ciao, slices: { lang: it } }\n');
    writeFileSync(join(dir, 'bad.jsonl'), '{"id":"x","input":"one"}\n{"id":"x","input":"two"}\n');
  });
  afterAll(() => serve.stop());

  const imported = (body: unknown, key = keys['engineer']) => call(key, 'POST', '/projects/shop/datasets/greet/versions', body);

  it('imports a version (201), and the same content spelt differently as the same version (200)', async () => {
    const first = await imported({ examples: v1, sourcePath: 'cases/v1.jsonl' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ project: 'shop', dataset: 'greet', examples: 3, created: true });
    v1Hash = first.body.version;
    const reordered = [{ ...v1[2], slices: 'lang:fr' }, v1[0], { ...v1[1], slices: { lang: 'es' } }];
    const again = await imported({ examples: reordered });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ project: 'shop', dataset: 'greet', version: v1Hash, examples: 3, created: false });
  });

  it('refuses bad examples with 400 naming the index and field, and stores nothing', async () => {
    const bad = await imported({ examples: [{ id: 'p', input: 'fine' }, { id: 'q', inptu: 'typo' }, { id: 'p', input: 'again' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('input');
    expect(bad.body.error.message).toMatch(/^2 invalid examples in the request body/);
    expect(bad.body.error.message).toMatch(/examples\[1\]\.inptu: unknown field "inptu"/);
    expect(bad.body.error.message).toMatch(/examples\[2\]\.id: duplicate id "p" in examples\[0\] and examples\[2\]/);
    const metadata = await imported({ examples: [{ input: 'x', metadata: ['not', 'an', 'object'] }] });
    expect(metadata.body.error.message).toMatch(/examples\[0\]\.metadata: metadata must be an object/);
    for (const [body, field] of [[{}, 'examples'], [{ examples: [] }, 'examples'], [{ examples: v1, sourcePath: 7 }, 'sourcePath']] as const) {
      const res = await imported(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message).toMatch(new RegExp(`body field ${field}`));
    }
    const badName = await call(keys['engineer'], 'POST', '/projects/shop/datasets/-nope/versions', { examples: v1 });
    expect(badName.status).toBe(400);
    expect(badName.body.error.message).toMatch(/path field dataset: a dataset name is letters/);
    const list = await call(keys['viewer'], 'GET', '/projects/shop/datasets');
    expect(list.body.datasets).toEqual([{ name: 'greet', versions: 1, latest: { version: v1Hash, examples: 3, createdAt: expect.any(String) } }]);
  });

  it('lets a viewer read but not import, and another project\'s key do neither', async () => {
    const viewer = await imported({ examples: [{ id: 'z', input: 'zz' }] }, keys['viewer']);
    expect(viewer.status).toBe(403);
    expect(viewer.body.error.message).toMatch(/datasets:write needs the engineer role/);
    for (const [method, path] of [['GET', '/projects/shop/datasets'], ['GET', '/projects/shop/datasets/greet'], ['GET', `/projects/shop/datasets/greet/diff?from=${v1Hash}&to=${v1Hash}`], ['POST', '/projects/shop/datasets/greet/versions']] as const) {
      const res = await call(keys['other'], method, path, method === 'POST' ? { examples: [{ id: 'z', input: 'zz' }] } : undefined);
      expect(res.status, path).toBe(403);
      expect(JSON.stringify(res.body)).not.toContain('hello');
    }
    expect((await call(keys['other'], 'GET', '/projects/elsewhere/datasets')).body).toEqual({ project: 'elsewhere', datasets: [] });
    expect((await call(keys['admin'], 'GET', '/projects/shop/datasets')).body.datasets).toHaveLength(1);
    expect((await call(keys['viewer'], 'GET', '/projects/shop/datasets')).body.datasets[0].versions).toBe(1);
  });

  it('shows a version a page at a time, by hash prefix or the newest', async () => {
    const page = await call(keys['viewer'], 'GET', `/projects/shop/datasets/greet?version=${v1Hash.slice(0, 6)}&limit=2&offset=1`);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ dataset: 'greet', version: v1Hash, exampleCount: 3, sourcePath: 'cases/v1.jsonl', offset: 1, nextOffset: null, slices: { 'lang:en': 1, 'lang:es': 1, 'lang:fr': 1 } });
    expect(page.body.examples.map((e: { id: string }) => e.id)).toEqual(['b', 'c']);
    expect((await call(keys['viewer'], 'GET', '/projects/shop/datasets/greet?limit=1')).body.nextOffset).toBe(1);
    expect((await call(keys['viewer'], 'GET', '/projects/shop/datasets/greet?version=ffffffff')).status).toBe(404);
    expect((await call(keys['viewer'], 'GET', '/projects/shop/datasets/nothing')).status).toBe(404);
    const badLimit = await call(keys['viewer'], 'GET', '/projects/shop/datasets/greet?limit=0');
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.error.message).toMatch(/query field limit/);
  });

  it('shows one example of a version (no runs answered it yet); 404 naming a missing example or version, 400 for a bad query', async () => {
    const one = await call(keys['viewer'], 'GET', `/projects/shop/datasets/greet/examples/b?version=${v1Hash.slice(0, 8)}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual({ project: 'shop', dataset: 'greet', version: v1Hash, createdAt: expect.any(String), example: { id: 'b', input: 'hola', metadata: {}, slices: ['lang:es'], source: 'manual' }, critical: false, runs: [] });
    const missing = await call(keys['viewer'], 'GET', `/projects/shop/datasets/greet/examples/zz?version=${v1Hash}`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe(`dataset "greet" version ${v1Hash.slice(0, 12)} has no example "zz"`);
    expect((await call(keys['viewer'], 'GET', '/projects/shop/datasets/greet/examples/b?version=ffffffff')).status).toBe(404);
    expect((await call(keys['viewer'], 'GET', '/projects/shop/datasets/nothing/examples/b')).status).toBe(404);
    expect((await call(keys['other'], 'GET', '/projects/shop/datasets/greet/examples/b')).status).toBe(403);
    const badRuns = await call(keys['viewer'], 'GET', '/projects/shop/datasets/greet/examples/b?runs=0');
    expect(badRuns.status).toBe(400);
    expect(badRuns.body.error.message).toMatch(/query field runs/);
  });

  // The CLI with --server against the local CLI: one process per command, so split in two tests (each
  // its own deadline on a busy machine).
  const remote = (): Record<string, string> => ({ EVALOPS_API_KEY: keys['engineer']!, EVALOPS_DATABASE_URL: 'sqlite:/nonexistent/never-opened.db' });
  const cli = (args: string[], e: Record<string, string> = remote()) => runCli(args, { cwd: dir, env: e });
  let v2: { version: string } = { version: '' };

  it('imports a file with the CLI and --server', async () => {
    const res = await cli(['datasets', 'import', 'v2.yaml', '--name', 'greet', '--server', serve.url, '--json']);
    expect(res.code, res.stderr).toBe(0);
    v2 = JSON.parse(res.stdout);
    expect(v2).toMatchObject({ project: 'shop', dataset: 'greet', examples: 2, created: true });
    const same = await cli(['datasets', 'import', 'v2.yaml', '--name', 'greet', '--server', serve.url]);
    expect(same.stdout).toMatch(/^unchanged: greet@/);
  });

  it('prints with --server what the local CLI prints', async () => {
    expect(v2.version).not.toBe('');
    for (const args of [['datasets', 'list'], ['datasets', 'show', 'greet', '--limit', '1'], ['datasets', 'show', 'greet', '--version', v1Hash], ['datasets', 'diff', 'greet', v1Hash, v2.version]]) {
      const there = await cli([...args, '--server', serve.url, '--json']);
      const here = await cli([...args, '--project', 'shop', '--json'], env);
      expect(there.code, there.stderr).toBe(0);
      expect(JSON.parse(there.stdout), args.join(' ')).toEqual(JSON.parse(here.stdout));
    }
    const diff = JSON.parse((await cli(['datasets', 'diff', 'greet', v1Hash, v2.version, '--server', serve.url, '--json'])).stdout);
    expect(diff.added.map((e: { id: string }) => e.id)).toEqual(['d']);
    expect(diff.changed.map((c: { id: string; fields: string[] }) => [c.id, c.fields])).toEqual([['a', ['expected']]]);
    expect(JSON.parse((await cli(['datasets', 'show', 'greet', '--server', serve.url, '--json'])).stdout).sourcePath).toBe('v2.yaml');
  });

  it('pages a diff of large versions: counts of every list, each list a page at a time by offset, each example once', async () => {
    const many = (n: number, tag: string) => Array.from({ length: n }, (_, i) => ({ id: `e${String(i).padStart(4, '0')}`, input: `${tag} ${i}` }));
    const before = (await imported({ examples: many(2500, 'x') })).body.version;
    // e0000–e0599 changed, e0600–e2199 unchanged, e2200–e2499 removed, n0000–n0449 added.
    const after = [...many(2200, 'x').map((e, i) => (i < 600 ? { ...e, input: `y ${i}` } : e)), ...many(450, 'n').map((e) => ({ ...e, id: `n${e.id.slice(1)}` }))];
    const to = (await imported({ examples: after })).body.version;
    const diff = (query: string) => call(keys['viewer'], 'GET', `/projects/shop/datasets/greet/diff?from=${before}&to=${to}&${query}`);
    const first = await diff('');
    expect(first.status, JSON.stringify(first.body).slice(0, 300)).toBe(200);
    expect(first.body.counts).toEqual({ added: 450, removed: 300, changed: 600, unchanged: 1600 });
    expect([first.body.added.length, first.body.removed.length, first.body.changed.length]).toEqual([100, 100, 100]);
    expect(first.body.nextOffset).toEqual({ added: 100, removed: 100, changed: 100 });
    const ids: string[] = [];
    for (let offset: number | null = 0; offset !== null; ) {
      const page = await diff(`kind=changed&limit=250&offset=${offset}`);
      expect([page.body.added, page.body.removed]).toEqual([[], []]);
      ids.push(...page.body.changed.map((c: { id: string; fields: string[] }) => c.id));
      expect(page.body.changed.every((c: { fields: string[] }) => c.fields.join() === 'input')).toBe(true);
      offset = page.body.nextOffset.changed;
    }
    expect(ids).toEqual(many(600, 'x').map((e) => e.id));
    const last = await diff('kind=added&offset=400&limit=100');
    expect(last.body.added.map((e: { id: string }) => e.id)).toEqual(Array.from({ length: 50 }, (_, i) => `n${String(400 + i).padStart(4, '0')}`));
    expect(last.body.nextOffset).toEqual({ added: null, removed: null, changed: null });
    expect((await diff('limit=1001')).body.error.message).toMatch(/query field limit/);
    expect((await diff('kind=moved')).body.error.message).toMatch(/query field kind/);
    const cli = await runCli(['datasets', 'diff', 'greet', before, to, '--server', serve.url, '--json'], { env: { EVALOPS_API_KEY: keys['viewer']!, EVALOPS_DATABASE_URL: 'sqlite:/nonexistent/never.db' } });
    expect(cli.code, cli.stderr).toBe(0);
    const whole = JSON.parse(cli.stdout);
    expect([whole.added.length, whole.removed.length, whole.changed.length]).toEqual([450, 300, 600]);
  });

  it('keeps file line numbers for a bad file with --server, and refuses a viewer\'s import', async () => {
    const bad = await runCli(['datasets', 'import', 'bad.jsonl', '--name', 'broken', '--server', serve.url], { cwd: dir, env: { EVALOPS_API_KEY: keys['engineer']! } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/duplicate id "x" on lines 1 and 2/);
    const viewer = await runCli(['datasets', 'import', 'v2.yaml', '--name', 'other', '--server', serve.url, '--json'], { cwd: dir, env: { EVALOPS_API_KEY: keys['viewer']! } });
    expect(viewer.code).toBe(2);
    expect(JSON.parse(viewer.stdout).error).toMatchObject({ code: 'forbidden' });
    const names = (await call(keys['viewer'], 'GET', '/projects/shop/datasets')).body.datasets.map((d: { name: string }) => d.name);
    expect(names).toEqual(['greet']);
  });

  it('describes the dataset operations in the OpenAPI document, the import with both 200 and 201', async () => {
    const doc = (await call(keys['viewer'], 'GET', '/openapi.json')).body;
    expect(doc.paths['/projects/{project}/datasets'].get.operationId).toBe('listDatasets');
    expect(doc.paths['/projects/{project}/datasets/{dataset}'].get.operationId).toBe('getDatasetVersion');
    expect(doc.paths['/projects/{project}/datasets/{dataset}/diff'].get.operationId).toBe('diffDatasetVersions');
    const post = doc.paths['/projects/{project}/datasets/{dataset}/versions'].post;
    expect(post.operationId).toBe('importDatasetVersion');
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['200', '201', '400', '403']));
    expect(post.requestBody.content['application/json'].schema).toBeDefined();
  });
});
