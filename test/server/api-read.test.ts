import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { buildScorecard } from '../../src/gate/scorecard.js';
import { openStore } from '../../src/store/store.js';
import { runCli } from '../cli/run-cli.js';
import { apiClient, createKeyLocally, startServe, type ServeProcess } from '../support/serve-process.js';

/**
 * Compare, scorecard, metric lifecycle, the audit log and the project list over the JSON API, on a
 * real `evalops serve` over the support-bot example (v1 approved, v2 blocked): scoped to the key's
 * project, bad queries answered 400, and the CLI with --server printing what it prints locally.
 */
describe('compare, scorecard, audit and projects over /api/v1 (end to end)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-api-read-'));
  const dbUrl = `sqlite:${join(dir, 'db.sqlite')}`;
  const env = { EVALOPS_DATABASE_URL: dbUrl, EVALOPS_ACTOR: 'ci@example.com' };
  const config = 'examples/support-bot/evalops.yaml';
  const keys: Record<string, string> = {};
  let serve: ServeProcess;
  let call: ReturnType<typeof apiClient>;
  let v1 = '';
  let v2 = '';
  let theirs = '';

  const cli = (args: readonly string[], extra: Record<string, string> = {}) => runCli(args, { env: { ...env, ...extra } });
  const run = async (cfg: string): Promise<string> => {
    const res = await cli(['run', '-c', cfg, '--json', '--no-cache']);
    expect(res.code, res.stderr).toBe(0);
    return JSON.parse(res.stdout).runId as string;
  };
  /** The same command locally and with --server (viewer key, no local database), as parsed JSON. */
  const both = async (args: readonly string[], key = keys['viewer']!) => {
    const local = await cli([...args, '--json']);
    const remote = await runCli([...args, '--server', serve.url, '--json'], { env: { EVALOPS_API_KEY: key, EVALOPS_DATABASE_URL: 'sqlite:/nonexistent/never-opened.db' } });
    return { local: { code: local.code, doc: JSON.parse(local.stdout) }, remote: { code: remote.code, doc: JSON.parse(remote.stdout), stderr: remote.stderr } };
  };

  beforeAll(async () => {
    v1 = await run(config);
    expect((await cli(['gate', '-c', config, '--json'])).code).toBe(0);
    v2 = await run('examples/support-bot/evalops.v2.yaml');
    expect((await cli(['gate', '-c', config, '--json'])).code).toBe(1);
    const elsewhere = join(dir, 'elsewhere.yaml');
    const text = readFileSync(config, 'utf8').replace(/\.\/(agent|data|scorers|schemas|rubrics)/g, `${process.cwd()}/examples/support-bot/$1`);
    writeFileSync(elsewhere, text.replace('project: support-bot', 'project: elsewhere'));
    theirs = await run(elsewhere);
    serve = await startServe(env);
    keys['admin'] = serve.adminKey;
    keys['viewer'] = await createKeyLocally(env, ['--role', 'viewer', '--project', 'support-bot']);
    keys['other'] = await createKeyLocally(env, ['--role', 'owner', '--project', 'elsewhere']);
    call = apiClient(serve.url);
  });
  afterAll(() => serve?.stop());

  describe('compare', () => {
    it('compares two runs of the key\'s project, as `compare --json` does locally', async () => {
      const res = await call(keys['viewer'], 'GET', `/runs/${v1}/compare/${v2}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ baselineRunId: v1, candidateRunId: v2, correction: 'holm', pairing: { paired: 90 } });
      const cites = res.body.comparisons.find((c: { metric: string; slice: string | null }) => c.metric === 'cites_policy' && c.slice === null);
      expect(cites).toMatchObject({ verdict: 'regressed', regressedExamples: 20 });
      const { local, remote } = await both(['compare', v1, v2]);
      expect(remote.code, remote.stderr).toBe(0);
      expect(remote.doc).toEqual(local.doc);
      expect(remote.doc).toEqual(res.body);
    });

    it('answers 404 when either run is another project\'s, exactly as for a run that does not exist', async () => {
      for (const path of [`/runs/${theirs}/compare/${v1}`, `/runs/${v1}/compare/${theirs}`]) {
        const res = await call(keys['viewer'], 'GET', path);
        expect(res.status, path).toBe(404);
        expect(res.body.error.message).toBe(`run ${theirs} not found`);
      }
      const missing = await call(keys['viewer'], 'GET', `/runs/${v1}/compare/run_missing`);
      expect([missing.status, missing.body.error.message]).toEqual([404, 'run run_missing not found']);
      const mine = await call(keys['other'], 'GET', `/runs/${theirs}/compare/${v1}`);
      expect(mine.status).toBe(404);
      expect(JSON.stringify(mine.body)).not.toContain('cites_policy');
      const admin = await call(keys['admin'], 'GET', `/runs/${theirs}/compare/${v1}`);
      expect(admin.status).toBe(400);
      expect(admin.body.error.message).toMatch(/belong to different projects/);
    });

    it('refuses a bad query with 400 naming the field', async () => {
      const res = await call(keys['viewer'], 'GET', `/runs/${v1}/compare/${v2}?commonExamples=maybe`);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/query field commonExamples/);
    });
  });

  describe('scorecard and metrics lifecycle', () => {
    it('builds the scorecard from the stored runs and decision, equal to the one the config gives', async () => {
      const res = await call(keys['viewer'], 'GET', '/projects/support-bot/scorecard?runs=5');
      expect(res.status).toBe(200);
      const store = await openStore(dbUrl);
      try {
        // The stored scorecard adds what review knows (judge calibration, reviewer burden) to the config's.
        const { review, metrics, ...rest } = res.body;
        const fromConfig = JSON.parse(JSON.stringify(await buildScorecard(store, await loadConfig(config), 5)));
        expect({ ...rest, metrics: metrics.map(({ calibration: _, ...m }: { calibration: unknown }) => m) }).toEqual(fromConfig);
        expect(metrics.map((m: { name: string; calibration: string | null }) => [m.name, m.calibration]).filter(([, c]: [string, string | null]) => c !== null)).toEqual([['helpfulness', 'uncalibrated']]);
        expect(review).toMatchObject({ routedShare: null, labels: 0 });
      } finally {
        await store.close();
      }
      const byName = Object.fromEntries(res.body.metrics.map((m: { name: string }) => [m.name, m]));
      expect(byName['cites_policy']).toMatchObject({ owner: 'product@example.com', lifecycle: 'regression', gates: [{ rule: 'cites_policy noRegression perSlice → block', action: 'block' }] });
      expect(byName['no_leak'].gates).toEqual([{ rule: 'failureClass policy_boundary maxFailures 0 → block', action: 'block' }]);
      expect(byName['cites_policy'].trend.map((t: { runId: string }) => t.runId)).toEqual([v2, v1]);
    });

    it('prints the same scorecard and recommendations with --server as locally', async () => {
      for (const args of [['scorecard', '-c', config], ['metrics', 'lifecycle', '-c', config, '--runs', '2'], ['scorecard', '--project', 'support-bot', '--runs', '3']]) {
        const { local, remote } = await both(args);
        expect(remote.code, remote.stderr).toBe(0);
        expect(remote.doc, args.join(' ')).toEqual(local.doc);
      }
      const lifecycle = await call(keys['viewer'], 'GET', '/projects/support-bot/metrics/lifecycle?runs=2');
      expect(lifecycle.status).toBe(200);
      expect(lifecycle.body).toMatchObject({ project: 'support-bot', runs: 2 });
      // 100% in both runs: saturated; cites_policy dropped in v2, so it still separates releases.
      const recommended = Object.fromEntries(lifecycle.body.recommendations.map((r: { metric: string; recommended: string }) => [r.metric, r.recommended]));
      expect(recommended).toEqual({ no_leak: 'saturated', concise: 'saturated', cost: 'saturated' });
    });

    it('refuses another project\'s key (403) and a window out of range (400)', async () => {
      expect((await call(keys['other'], 'GET', '/projects/support-bot/scorecard')).status).toBe(403);
      expect((await call(keys['other'], 'GET', '/projects/support-bot/metrics/lifecycle')).status).toBe(403);
      const bad = await call(keys['viewer'], 'GET', '/projects/support-bot/scorecard?runs=1');
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/query field runs/);
    });
  });

  describe('audit', () => {
    it('lists entries after a position and a page at a time, as `audit list` does', async () => {
      const all = await call(keys['viewer'], 'GET', '/projects/support-bot/audit?limit=100');
      expect(all.status).toBe(200);
      expect(all.body.entries.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['policy.change', 'gate.decision', 'release.transition']));
      const after = await call(keys['viewer'], 'GET', '/projects/support-bot/audit?after=1&limit=2');
      expect(after.body.entries.map((e: { seq: number }) => e.seq)).toEqual([2, 3]);
      const { local, remote } = await both(['audit', 'list', '-c', config, '--after', '1', '--limit', '2']);
      expect(remote.code, remote.stderr).toBe(0);
      expect(remote.doc).toEqual(local.doc);
      expect(remote.doc).toEqual(after.body);
      expect((await call(keys['other'], 'GET', '/projects/support-bot/audit')).status).toBe(403);
      const bad = await call(keys['viewer'], 'GET', '/projects/support-bot/audit?after=-1');
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/query field after/);
    });

    it('verifies the chain (ok), then answers 200 with ok: false and the first bad entry once it is tampered with', async () => {
      const intact = await call(keys['viewer'], 'GET', '/projects/support-bot/audit/verify');
      expect(intact.status).toBe(200);
      expect(intact.body).toMatchObject({ project: 'support-bot', ok: true, firstBad: null });
      const store = await openStore(dbUrl);
      try {
        const project = await store.projects.findByName('support-bot');
        await sql`update audit_log set actor = 'mallory' where project_id = ${project!.id} and seq = 2`.execute(store.db);
      } finally {
        await store.close();
      }
      const broken = await call(keys['viewer'], 'GET', '/projects/support-bot/audit/verify');
      expect(broken.status).toBe(200);
      expect(broken.body).toMatchObject({ ok: false, entries: 2, head: { seq: 1 }, firstBad: { seq: 2, problem: 'hash mismatch', entry: { actor: 'mallory' } } });
      const { local, remote } = await both(['audit', 'verify', '-c', config]);
      expect([local.code, remote.code]).toEqual([1, 1]);
      expect(remote.doc).toEqual(local.doc);
      const text = await runCli(['audit', 'verify', '--server', serve.url], { env: { EVALOPS_API_KEY: keys['viewer']! } });
      expect(text.code).toBe(1);
      expect(text.stdout).toMatch(/BROKEN at entry 2 \(hash mismatch\)/);
      expect((await call(keys['other'], 'GET', '/projects/support-bot/audit/verify')).status).toBe(403);
    });
  });

  describe('projects', () => {
    it('lists every project to an instance-wide key and only its own to a project key', async () => {
      const all = await call(keys['admin'], 'GET', '/projects');
      expect(all.status).toBe(200);
      expect(all.body.projects.map((p: { name: string }) => p.name)).toEqual(['elsewhere', 'support-bot']);
      expect((await call(keys['viewer'], 'GET', '/projects')).body.projects.map((p: { name: string }) => p.name)).toEqual(['support-bot']);
      expect((await call(keys['other'], 'GET', '/projects')).body.projects.map((p: { name: string }) => p.name)).toEqual(['elsewhere']);
      expect((await call(undefined, 'GET', '/projects')).status).toBe(401);
    });
  });

  it('describes these operations in the OpenAPI document', async () => {
    const doc = (await call(keys['viewer'], 'GET', '/openapi.json')).body;
    const ids = Object.fromEntries(
      ['/projects', '/runs/{baselineRunId}/compare/{candidateRunId}', '/projects/{project}/scorecard', '/projects/{project}/metrics/lifecycle', '/projects/{project}/audit', '/projects/{project}/audit/verify'].map((p) => [p, doc.paths[p]?.get?.operationId]),
    );
    expect(ids).toEqual({
      '/projects': 'listProjects',
      '/runs/{baselineRunId}/compare/{candidateRunId}': 'compareRuns',
      '/projects/{project}/scorecard': 'getScorecard',
      '/projects/{project}/metrics/lifecycle': 'listLifecycleRecommendations',
      '/projects/{project}/audit': 'listAuditEntries',
      '/projects/{project}/audit/verify': 'verifyAuditChain',
    });
  });
});
