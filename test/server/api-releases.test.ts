import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { runCli } from '../cli/run-cli.js';
import { apiClient, createKeyLocally, startServe, type ServeProcess } from '../support/serve-process.js';

/**
 * Releases over the JSON API of a real `evalops serve`: list, show with history, promote and
 * rollback, scoped to the key's project, audited under the key's name; the CLI's --server mode prints
 * what local mode prints.
 */
describe('releases over the API (end to end)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-api-rel-'));
  const dbPath = join(dir, 'db.sqlite');
  const env = { EVALOPS_DATABASE_URL: `sqlite:${dbPath}`, EVALOPS_ACTOR: 'local@example.com' };
  const remote = (key: string) => ({ EVALOPS_API_KEY: key, EVALOPS_DATABASE_URL: 'sqlite:/nonexistent/never-opened.db' });
  const ids: Record<string, string> = {};
  const keys: Record<string, string> = {};
  let serve: ServeProcess;
  let api: ReturnType<typeof apiClient>;

  beforeAll(async () => {
    const store = await openStore(`sqlite:${dbPath}`);
    try {
      const shop = (await store.projects.ensure('shop')).id;
      for (const variant of ['good0001', 'blocked01', 'narrow01']) ids[variant] = (await store.releases.ensure(shop, variant)).id;
      await store.releases.apply(ids['good0001']!, { type: 'gate', outcome: 'approve' }, 'gate@ci');
      const { version } = await store.datasets.saveVersion(shop, 'cases', 'apihash1', [{ id: 'a', input: 'hi', metadata: {}, slices: [], source: 'manual' }]);
      const run = await store.runs.create({ projectId: shop, datasetVersionId: version.id, targetType: 'module', targetVariant: 'blocked01', metrics: [], labels: {}, repeat: 1 });
      await store.db
        .insertInto('gate_decisions')
        .values({ id: 'gd_block', project_id: shop, candidate_run_id: run.id, baseline_run_id: null, outcome: 'block', rollout_percent: null, document: '{}', created_at: new Date().toISOString() })
        .execute();
      await store.releases.apply(ids['blocked01']!, { type: 'gate', outcome: 'block', decisionId: 'gd_block', runId: run.id }, 'gate@ci');
      await store.releases.apply(ids['narrow01']!, { type: 'gate', outcome: 'narrow', rolloutPercent: 10 }, 'gate@ci');
      const elsewhere = (await store.projects.ensure('elsewhere')).id;
      ids['theirs'] = (await store.releases.ensure(elsewhere, 'theirs01')).id;
      await store.releases.apply(ids['theirs']!, { type: 'gate', outcome: 'approve' }, 'gate@ci');
    } finally {
      await store.close();
    }
    serve = await startServe(env);
    api = apiClient(serve.url);
    keys['engineer'] = await createKeyLocally(env, ['--role', 'engineer', '--project', 'shop', '--name', 'ana@example.com']);
    keys['viewer'] = await createKeyLocally(env, ['--role', 'viewer', '--project', 'shop']);
    keys['other'] = await createKeyLocally(env, ['--role', 'engineer', '--project', 'elsewhere']);
  });

  afterAll(() => serve?.stop());

  it('lists the project\'s releases to its keys; the CLI with --server prints what it prints locally', async () => {
    const res = await api(keys['viewer'], 'GET', '/projects/shop/releases');
    expect(res.status).toBe(200);
    const byVariant = Object.fromEntries(res.body.releases.map((r: { variant: string }) => [r.variant, r]));
    expect(byVariant['narrow01']).toMatchObject({ project: 'shop', status: 'canary', canaryPercent: 10, trafficPercent: 10 });
    expect(byVariant['blocked01']).toMatchObject({ status: 'candidate', hold: 'block' });
    // No candidate run to take a target label from: the short hash alone.
    expect(byVariant['good0001']).toMatchObject({ variantName: 'variant · good0001' });
    expect(byVariant['theirs01']).toBeUndefined();
    const canaries = await api(keys['viewer'], 'GET', '/projects/shop/releases?status=canary');
    expect(canaries.body.releases.map((r: { variant: string }) => r.variant)).toEqual(['narrow01']);

    const viaCli = await runCli(['releases', 'list', '--server', serve.url, '--json'], { env: remote(keys['viewer']!) });
    expect(viaCli.code, viaCli.stderr).toBe(0);
    const local = await runCli(['releases', 'list', '--project', 'shop', '--json'], { env });
    expect(JSON.parse(viaCli.stdout)).toEqual(JSON.parse(local.stdout));
    expect(JSON.parse(viaCli.stdout)).toEqual(res.body);
    const text = await runCli(['releases', 'list', '--server', serve.url], { env: remote(keys['viewer']!) });
    expect(text.stdout).toMatch(/narrow01\s+canary at 10%\s+10%/);
  });

  it('refuses another project\'s key and bad queries', async () => {
    const other = await api(keys['other'], 'GET', '/projects/shop/releases');
    expect(other.status).toBe(403);
    expect(other.body.error.message).toBe('this key may not access project "shop"');
    const bad = await api(keys['viewer'], 'GET', '/projects/shop/releases?status=shipped');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^query field status: /);
    expect((await api(keys['viewer'], 'GET', '/projects/shop/releases?limit=0')).body.error.message).toMatch(/^query field limit: /);
  });

  it('shows a release by variant in the key\'s project, and answers 404 for another project\'s release as for none', async () => {
    const shown = await api(keys['viewer'], 'GET', '/releases/good0001');
    expect(shown.status, JSON.stringify(shown.body)).toBe(200);
    expect(shown.body).toMatchObject({ id: ids['good0001'], project: 'shop', status: 'approved', history: [{ actor: 'gate@ci', to: { status: 'approved' } }] });
    const viaCli = await runCli(['releases', 'show', 'good0001', '--server', serve.url, '--json'], { env: remote(keys['viewer']!) });
    expect(viaCli.code, viaCli.stderr).toBe(0);
    expect(JSON.parse(viaCli.stdout)).toEqual(JSON.parse((await runCli(['releases', 'show', 'good0001', '--project', 'shop', '--json'], { env })).stdout));

    const theirs = await api(keys['viewer'], 'GET', `/releases/${ids['theirs']}`);
    const none = await api(keys['viewer'], 'GET', '/releases/rel_missing');
    expect([theirs.status, none.status]).toEqual([404, 404]);
    // Exactly the answer of an unknown id (the message names the id sent, nothing else differs).
    expect(theirs.body.error).toEqual({ code: 'not_found', message: `no release with id, name or variant ${ids['theirs']}` });
    expect(none.body.error).toEqual({ code: 'not_found', message: 'no release with id, name or variant rel_missing' });
    expect((await api(keys['viewer'], 'GET', '/releases/theirs01?project=elsewhere')).status).toBe(403);
    expect((await api(serve.adminKey, 'GET', `/releases/${ids['theirs']}`)).body).toMatchObject({ project: 'elsewhere', variant: 'theirs01' });
  });

  it('promotes under the key\'s name, and refuses viewers, other projects, bad bodies and illegal moves', async () => {
    expect((await api(keys['viewer'], 'POST', '/releases/good0001/promote', { percent: 25 })).status).toBe(403);
    expect((await api(keys['other'], 'POST', `/releases/${ids['good0001']}/promote`, { percent: 25 })).status).toBe(404);
    for (const [body, message] of [
      [{ percent: 0 }, /^body field percent: /],
      [{ percent: 'half' }, /^body field percent: /],
      [{ percent: 101 }, /^body field percent: /],
    ] as const) {
      const res = await api(keys['engineer'], 'POST', '/releases/good0001/promote', body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    const blocked = await api(keys['engineer'], 'POST', '/releases/blocked01/promote', {});
    expect(blocked.status).toBe(409);
    expect(blocked.body.error.message).toMatch(/cannot promote a blocked candidate/);
    expect((await api(keys['viewer'], 'GET', '/releases/good0001')).body.history).toHaveLength(1);

    const canary = await api(keys['engineer'], 'POST', '/releases/good0001/promote', { percent: 25 });
    expect(canary.status, JSON.stringify(canary.body)).toBe(200);
    expect(canary.body).toMatchObject({ status: 'canary', canaryPercent: 25, trafficPercent: 25, previous: { status: 'approved', canaryPercent: null }, actor: 'ana@example.com' });
    const live = await runCli(['releases', 'promote', 'good0001', '--server', serve.url], { env: remote(keys['engineer']!) });
    expect(live.code, live.stderr).toBe(0);
    expect(live.stdout).toMatch(/canary 25% → live, by ana@example\.com/);
    const history = (await api(keys['viewer'], 'GET', '/releases/good0001')).body.history;
    expect(history.map((h: { actor: string; to: { status: string } }) => [h.actor, h.to.status])).toEqual([
      ['gate@ci', 'approved'],
      ['ana@example.com', 'canary'],
      ['ana@example.com', 'live'],
    ]);
  });

  it('rolls back only with a reason, under the key\'s name', async () => {
    const without = await api(keys['engineer'], 'POST', '/releases/narrow01/rollback', { reason: '  ' });
    expect(without.status).toBe(400);
    expect(without.body.error.message).toMatch(/^body field reason: must say why/);
    const cliWithout = await runCli(['releases', 'rollback', 'narrow01', '--server', serve.url, '--reason', ''], { env: remote(keys['engineer']!) });
    expect(cliWithout.code).toBe(2);
    const rolled = await runCli(['releases', 'rollback', 'narrow01', '--server', serve.url, '--reason', 'refund errors up', '--json'], { env: remote(keys['engineer']!) });
    expect(rolled.code, rolled.stderr).toBe(0);
    expect(JSON.parse(rolled.stdout)).toMatchObject({ status: 'rolled_back', trafficPercent: 0, previous: { status: 'canary', canaryPercent: 10 }, actor: 'ana@example.com' });
    const last = (await api(keys['viewer'], 'GET', '/releases/narrow01')).body.history.at(-1);
    expect(last).toMatchObject({ actor: 'ana@example.com', event: { type: 'rollback', reason: 'refund errors up' } });
    expect((await api(keys['other'], 'POST', `/releases/${ids['theirs']}/rollback`, { reason: 'their own release' })).status).toBe(200);
  });

  it('describes the release operations in the OpenAPI document', async () => {
    const doc = (await api(keys['viewer'], 'GET', '/openapi.json')).body;
    expect(doc.paths['/projects/{project}/releases'].get.operationId).toBe('listReleases');
    expect(doc.paths['/releases/{release}'].get.operationId).toBe('getRelease');
    expect(doc.paths['/releases/{release}/promote'].post.operationId).toBe('promoteRelease');
    expect(doc.paths['/releases/{release}/rollback'].post.operationId).toBe('rollbackRelease');
  });
});
