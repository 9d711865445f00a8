import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../cli/run-cli.js';

/**
 * `evalops serve` as a real process on loopback: keys, project scoping, health, metrics, graceful stop.
 */
describe('evalops serve (end to end)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-serve-'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'ops@example.com' };
  let server: ChildProcess;
  let url = '';
  let adminKey = '';
  let stderr = '';
  let runId = '';
  const keys: Record<string, string> = {};

  const json = async (r: Response): Promise<any> => r.json();
  const get = (path: string, key?: string) => fetch(`${url}${path}`, key ? { headers: { authorization: `Bearer ${key}` } } : {});

  beforeAll(async () => {
    const run = await runCli(['run', '-c', 'examples/support-bot/evalops.yaml', '--json'], { env });
    expect(run.code, run.stderr).toBe(0);
    runId = JSON.parse(run.stdout).runId;
    server = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    url = await new Promise<string>((resolve, reject) => {
      server.stdout!.on('data', (d: Buffer) => {
        const m = /http:\/\/127\.0\.0\.1:\d+/.exec(d.toString());
        if (m) resolve(m[0]);
      });
      server.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
    });
    adminKey = /\b(eo_[a-z2-7]{8}_[A-Za-z0-9_-]+)/.exec(stderr)?.[1] ?? '';
    for (const [name, args] of Object.entries({ viewer: ['--role', 'viewer', '--project', 'support-bot'], other: ['--role', 'owner', '--project', 'elsewhere'] })) {
      const res = await runCli(['keys', 'create', ...args, '--json'], { env });
      expect(res.code, res.stderr).toBe(0);
      keys[name] = JSON.parse(res.stdout).secret;
    }
  });

  afterAll(() => {
    if (server.exitCode === null) server.kill('SIGKILL');
  });

  it('prints an admin key once on first start', () => {
    expect(adminKey).toMatch(/^eo_/);
    expect(stderr).toMatch(/shown only this once/);
  });

  it('answers /healthz and /readyz without a key, and nothing else', async () => {
    expect((await get('/healthz')).status).toBe(200);
    expect(await json(await get('/readyz'))).toMatchObject({ status: 'ready', database: 'sqlite' });
    const denied = await get('/api/v1/projects/support-bot/runs');
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toBe('Bearer');
    expect((await get('/metrics')).status).toBe(401);
  });

  it('lists and shows runs for a key of the project, and for the instance admin', async () => {
    for (const key of [keys['viewer']!, adminKey]) {
      const list = await get('/api/v1/projects/support-bot/runs', key);
      expect(list.status).toBe(200);
      expect((await json(list)).runs.map((r: { runId: string }) => r.runId)).toContain(runId);
    }
    const one = await get(`/api/v1/runs/${runId}`, keys['viewer']);
    expect(await json(one)).toMatchObject({ runId, metrics: { cites_policy: { n: 90 } } });
    const results = await json(await get(`/api/v1/runs/${runId}/results?limit=5`, keys['viewer']));
    expect(results.items).toHaveLength(5);
    expect(results.items[0].example).toBeUndefined();
    const withExamples = await json(await get(`/api/v1/runs/${runId}/results?limit=5&examples=true`, keys['viewer']));
    expect(withExamples.items.map((i: any) => i.exampleId)).toEqual(results.items.map((i: any) => i.exampleId));
    for (const item of withExamples.items) {
      expect(item.example.input).toBeDefined();
      expect(item.example.slices).toEqual(expect.arrayContaining([expect.stringMatching(/^lang:/)]));
    }
    const all = (await json(await get(`/api/v1/runs/${runId}/results?limit=1000`, keys['viewer']))).items;
    expect(all).toHaveLength(90);
    const failed = (item: any): boolean => item.error !== undefined || Object.values(item.scores).some((s: any) => s.pass === false || s.status === 'errored');
    const failures = await json(await get(`/api/v1/runs/${runId}/results?failures=true&limit=1000`, keys['viewer']));
    expect(failures.items.map((i: any) => i.exampleId)).toEqual(all.filter(failed).map((i: any) => i.exampleId));
  });

  it("answers 404 for a run of another project, exactly as for a run that does not exist", async () => {
    const theirs = await get(`/api/v1/runs/${runId}`, keys['other']);
    const none = await get('/api/v1/runs/run_missing', keys['other']);
    expect([theirs.status, none.status]).toEqual([404, 404]);
    expect((await json(theirs)).error.message).toBe(`run ${runId} not found`);
    expect((await get(`/api/v1/runs/${runId}/results`, keys['other'])).status).toBe(404);
  });

  it('serves an OpenAPI 3.1 document of every route, generated from the schemas', async () => {
    const res = await get('/api/v1/openapi.json', keys['viewer']);
    expect(res.status).toBe(200);
    const doc = await json(res);
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/projects/{project}/runs', '/runs/{runId}', '/runs/{runId}/results', '/whoami']));
    const list = doc.paths['/projects/{project}/runs'].get;
    expect(list.operationId).toBe('listRuns');
    expect(list.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(expect.arrayContaining(['path:project', 'query:limit', 'query:status']));
    expect(list.responses['200'].content['application/json'].schema).toBeDefined();
    expect(list.security).toEqual([{ apiKey: [] }]);
  });

  it('lets the CLI work against the server with --server and EVALOPS_API_KEY, printing what it prints locally', async () => {
    const remote = { EVALOPS_API_KEY: keys['viewer']!, EVALOPS_DATABASE_URL: 'sqlite:/nonexistent/never-opened.db' };
    const listed = await runCli(['runs', 'list', '--server', url, '--json'], { env: remote });
    expect(listed.code, listed.stderr).toBe(0);
    const local = await runCli(['runs', 'list', '--project', 'support-bot', '--json'], { env });
    expect(JSON.parse(listed.stdout)).toEqual(JSON.parse(local.stdout));
    const shown = await runCli(['runs', 'show', runId, '--failures', '--json'], { env: { ...remote, EVALOPS_SERVER_URL: url } });
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toEqual(JSON.parse((await runCli(['runs', 'show', runId, '--failures', '--json'], { env })).stdout));
    const refused = await runCli(['runs', 'show', runId, '--server', url, '--json'], { env: { EVALOPS_API_KEY: keys['other']! } });
    expect(refused.code).toBe(2);
    expect(JSON.parse(refused.stdout).error).toMatchObject({ code: 'not_found' });
    const noKey = await runCli(['runs', 'list', '--server', url], { env: { EVALOPS_API_KEY: '' } });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/EVALOPS_API_KEY/);
  });

  it('writes one structured log line per request, naming the key but never its secret', () => {
    const lines = stderr.split('\n').filter((l) => l.includes('"msg":"request"')).map((l) => JSON.parse(l));
    const hit = lines.find((l) => l.route === '/api/v1/projects/:project/runs' && l.status === 200);
    expect(hit).toMatchObject({ level: 'info', method: 'GET', path: '/api/v1/projects/support-bot/runs' });
    expect(hit.key).toMatch(/^eo_[a-z2-7]{8}$/);
    expect(lines.some((l) => l.status === 401 && l.level === 'warn')).toBe(true);
    expect(stderr).not.toContain(keys['viewer']!);
  });

  it('refuses another project\'s key without revealing whether the project exists, and a wrong key', async () => {
    const res = await get('/api/v1/projects/support-bot/runs', keys['other']);
    expect(res.status).toBe(403);
    const body = await json(res);
    expect(body.error.message).toBe('this key may not access project "support-bot"');
    const ghost = await get('/api/v1/projects/no-such-project/runs', keys['other']);
    expect(ghost.status).toBe(403);
    expect((await get('/api/v1/projects/support-bot/runs', 'eo_abcdefgh_notarealsecretnotarealsecretnotarealsecr')).status).toBe(401);
  });

  it('maps bad input and missing things to 4xx with a message', async () => {
    const bad = await get('/api/v1/projects/support-bot/runs?limit=lots', keys['viewer']);
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.message).toMatch(/limit/);
    const missing = await get('/api/v1/runs/run_missing', keys['viewer']);
    expect(missing.status).toBe(404);
    expect((await get('/api/v1/nothing-here', keys['viewer'])).status).toBe(404);
  });

  it('exposes Prometheus metrics to a key', async () => {
    const text = await (await get('/metrics', keys['viewer'])).text();
    expect(text).toMatch(/evalops_http_requests_total\{route="\/api\/v1\/projects\/:project\/runs",method="GET",status="200"\} \d+/);
    expect(text).toMatch(/evalops_http_request_duration_seconds_bucket/);
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/"msg":"stopped"/);
  });
});
