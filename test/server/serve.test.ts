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
      keys[name] = JSON.parse(res.stdout).plaintext;
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
    const one = await get(`/api/v1/projects/support-bot/runs/${runId}`, keys['viewer']);
    expect(await json(one)).toMatchObject({ runId, metrics: { cites_policy: { n: 90 } } });
    const results = await json(await get(`/api/v1/projects/support-bot/runs/${runId}/results?limit=5`, keys['viewer']));
    expect(results.items).toHaveLength(5);
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
    const missing = await get('/api/v1/projects/support-bot/runs/run_missing', keys['viewer']);
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
