import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { apiClient, createKeyLocally, startServe, type ServeProcess } from '../support/serve-process.js';

/**
 * The operations behind the web UI's compare page, charts and filtered results, on a real `evalops
 * serve` over the support-bot example (v2 regresses on Spanish refunds): scoped to the key's project,
 * bad queries answered 400 naming the field, listed in the OpenAPI document, and each answer checked
 * against what the unfiltered data says.
 */
describe('flips, compared examples, slice pass rates, latency, trends and result filters over /api/v1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-api-charts-'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'ci@example.com' };
  const config = 'examples/support-bot/evalops.yaml';
  const keys: Record<string, string> = {};
  let serve: ServeProcess;
  let call: ReturnType<typeof apiClient>;
  let v1 = '';
  let v2 = '';
  let theirs = '';

  const run = async (cfg: string): Promise<string> => {
    const res = await runCli(['run', '-c', cfg, '--json', '--no-cache'], { env });
    expect(res.code, res.stderr).toBe(0);
    return JSON.parse(res.stdout).runId as string;
  };
  const get = async (path: string, key = keys['viewer']) => call(key, 'GET', path);

  beforeAll(async () => {
    v1 = await run(config);
    v2 = await run('examples/support-bot/evalops.v2.yaml');
    const elsewhere = join(dir, 'elsewhere.yaml');
    const text = readFileSync(config, 'utf8').replace(/\.\/(agent|data|scorers|schemas|rubrics)/g, `${process.cwd()}/examples/support-bot/$1`);
    writeFileSync(elsewhere, text.replace('project: support-bot', 'project: elsewhere'));
    theirs = await run(elsewhere);
    serve = await startServe(env);
    keys['viewer'] = await createKeyLocally(env, ['--role', 'viewer', '--project', 'support-bot']);
    call = apiClient(serve.url);
  });
  afterAll(() => serve?.stop());

  it('lists the flipped examples, pass → fail first: the Spanish refunds lose cites_policy', async () => {
    const res = await get(`/runs/${v1}/compare/${v2}/flips?limit=500`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const compare = (await get(`/runs/${v1}/compare/${v2}`)).body;
    const cites = compare.comparisons.find((c: any) => c.metric === 'cites_policy' && c.slice === null);
    const lost = res.body.items.filter((f: any) => f.passToFail.includes('cites_policy'));
    // The comparison counts the same discordant pairs as the flips list.
    expect(lost).toHaveLength(cites.regressedExamples);
    expect(res.body.passToFail).toBeGreaterThan(0);
    const firstImproved = res.body.items.findIndex((f: any) => f.passToFail.length === 0);
    const lastRegressed = res.body.items.map((f: any) => f.passToFail.length > 0).lastIndexOf(true);
    expect(firstImproved === -1 || firstImproved > lastRegressed).toBe(true);
    expect(res.body.items[0].slices).toEqual(expect.arrayContaining(['intent:refund', 'lang:es']));
    const narrowed = await get(`/runs/${v1}/compare/${v2}/flips?metric=cites_policy&slice=lang:en`);
    expect(narrowed.body.items.every((f: any) => f.slices.includes('lang:en') && f.failToPass.concat(f.passToFail).every((m: string) => m === 'cites_policy'))).toBe(true);
    const page = await get(`/runs/${v1}/compare/${v2}/flips?limit=2&offset=1`);
    expect(page.body.items).toEqual(res.body.items.slice(1, 3));
    expect(page.body.nextOffset).toBe(res.body.items.length > 3 ? 3 : null);
  });

  it('shows one example with both runs’ outputs and scores', async () => {
    const first = (await get(`/runs/${v1}/compare/${v2}/flips?limit=1`)).body.items[0];
    const res = await get(`/runs/${v1}/compare/${v2}/examples/${first.exampleId}`);
    expect(res.status).toBe(200);
    expect(res.body.example).toMatchObject({ id: first.exampleId, slices: first.slices });
    expect(res.body.baseline[0].scores[first.passToFail[0]].pass).toBe(true);
    expect(res.body.candidate[0].scores[first.passToFail[0]].pass).toBe(false);
    expect(res.body.candidate[0].output).not.toEqual(res.body.baseline[0].output);
    const missing = await get(`/runs/${v1}/compare/${v2}/examples/no-such-example`);
    expect([missing.status, missing.body.error.message]).toEqual([404, 'example no-such-example is in neither run']);
  });

  it('gives pass rate by slice that adds up to the run’s scorecard', async () => {
    const res = await get(`/runs/${v2}/slices`);
    expect(res.status).toBe(200);
    const summary = (await get(`/runs/${v2}`)).body;
    expect(res.body.metrics).toEqual(Object.keys(summary.metrics));
    const bySlice = Object.fromEntries(res.body.slices.map((s: any) => [s.slice, s]));
    expect(bySlice['lang:es'].examples + bySlice['lang:en'].examples).toBe(90);
    const es = bySlice['lang:es'].metrics.cites_policy;
    const en = bySlice['lang:en'].metrics.cites_policy;
    expect(es.passed + en.passed).toBe(summary.metrics.cites_policy.passed);
    expect(es.passRate).toBeLessThan(en.passRate);
    expect(es.ci95[0]).toBeLessThanOrEqual(es.passRate);
  });

  it('gives the latency histogram of every successful result, with its percentiles', async () => {
    const res = await get(`/runs/${v1}/latency?bins=7`);
    expect(res.status).toBe(200);
    const summary = (await get(`/runs/${v1}`)).body;
    expect(res.body.bins.reduce((s: number, b: any) => s + b.count, 0)).toBe(res.body.count);
    expect(res.body.count).toBe(summary.results.total - summary.results.errors);
    expect(res.body.p50).toBe(summary.latencyMs.p50);
    expect(res.body.bins.length).toBeLessThanOrEqual(7);
  });

  it('gives the trends over completed runs, oldest first, with cost per success', async () => {
    const res = await get('/projects/support-bot/trends');
    expect(res.status).toBe(200);
    expect(res.body.runs.map((r: any) => r.runId)).toEqual([v1, v2]);
    expect(res.body.metrics).toContain('cites_policy');
    const summary = (await get(`/runs/${v2}`)).body;
    expect(res.body.runs[1]).toMatchObject({ costPerSuccessUsd: summary.costPerSuccessUsd, passRates: { cites_policy: summary.metrics.cites_policy.passRate } });
    expect((await get('/projects/support-bot/trends?variant=nothing')).body.runs).toEqual([]);
  });

  it('filters results by one metric’s failures and by slice in the database, counted and paged', async () => {
    const all = (await get(`/runs/${v2}/results?limit=1000`)).body;
    expect([all.total, all.nextOffset]).toEqual([90, null]);
    const failedCites = all.items.filter((r: any) => r.scores.cites_policy && r.scores.cites_policy.pass === false);
    const res = await get(`/runs/${v2}/results?metric=cites_policy&limit=5`);
    expect(res.body.total).toBe(failedCites.length);
    expect(res.body.items.map((r: any) => r.exampleId)).toEqual(failedCites.slice(0, 5).map((r: any) => r.exampleId));
    expect(res.body.nextOffset).toBe(failedCites.length > 5 ? 5 : null);
    const es = await get(`/runs/${v2}/results?slice=lang:es&metric=cites_policy&limit=1000`);
    expect(es.body.items.length).toBeGreaterThan(0);
    expect(es.body.items.every((r: any) => r.exampleId.includes('-es-') && r.scores.cites_policy.pass === false)).toBe(true);
    expect((await get(`/runs/${v2}/results?slice=lang:xx`)).body).toMatchObject({ items: [], total: 0, nextOffset: null });
  });

  it('answers 404 for another project’s runs, as for missing ones, on every new path', async () => {
    for (const path of [`/runs/${theirs}/compare/${v1}/flips`, `/runs/${v1}/compare/${theirs}/flips`, `/runs/${v1}/compare/${theirs}/examples/refund-es-01`, `/runs/${theirs}/slices`, `/runs/${theirs}/latency`]) {
      const res = await get(path);
      expect([res.status, res.body.error.message], path).toEqual([404, `run ${theirs} not found`]);
    }
    expect((await get('/projects/elsewhere/trends')).status).toBe(403);
  });

  it('refuses bad queries with 400 naming the field', async () => {
    for (const [path, field] of [
      [`/runs/${v1}/compare/${v2}/flips?limit=0`, 'limit'],
      [`/runs/${v1}/compare/${v2}/flips?offset=-1`, 'offset'],
      [`/runs/${v1}/latency?bins=1000`, 'bins'],
      ['/projects/support-bot/trends?runs=0', 'runs'],
      [`/runs/${v1}/results?metric=`, 'metric'],
      [`/runs/${v1}/results?slice=`, 'slice'],
    ] as const) {
      const res = await get(path);
      expect(res.status, path).toBe(400);
      expect(res.body.error.message, path).toContain(field);
    }
  });

  it('lists the new paths in the OpenAPI document', async () => {
    const doc = (await get('/openapi.json')).body;
    for (const [path, id] of [
      ['/runs/{baselineRunId}/compare/{candidateRunId}/flips', 'listFlippedExamples'],
      ['/runs/{baselineRunId}/compare/{candidateRunId}/examples/{exampleId}', 'getComparedExample'],
      ['/runs/{runId}/slices', 'getRunSlicePassRates'],
      ['/runs/{runId}/latency', 'getRunLatencyHistogram'],
      ['/projects/{project}/trends', 'listRunTrends'],
    ] as const) expect(doc.paths[path]?.get?.operationId, path).toBe(id);
    const params = doc.paths['/runs/{runId}/results'].get.parameters.map((p: any) => p.name);
    expect(params).toEqual(expect.arrayContaining(['metric', 'slice', 'offset', 'limit']));
  });
});
