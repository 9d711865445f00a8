import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { apiClient, createKeyLocally, startServe, type ServeProcess } from '../support/serve-process.js';

/**
 * `evalops triage` and its operations on the support-bot example, whose v2 loses the refund policy
 * citation (and the refund tool) on Spanish refunds: the regressions form one failure mode in slice
 * intent:refund; promoting it writes a dataset version with provenance and a cluster slice; a gate
 * rule on cluster slices then blocks the regression. Over HTTP: viewers read, only engineers promote,
 * another project's key gets 404.
 */
describe('evalops triage (end to end)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-triage-'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'ci@example.com' };
  const cli = (args: string[]) => runCli(args, { env });
  let v1 = '';
  let v2 = '';
  let theirs = '';

  const run = async (cfg: string): Promise<string> => {
    const res = await cli(['run', '-c', cfg, '--json', '--no-cache']);
    expect(res.code, res.stderr).toBe(0);
    return JSON.parse(res.stdout).runId as string;
  };

  beforeAll(async () => {
    v1 = await run('examples/support-bot/evalops.yaml');
    v2 = await run('examples/support-bot/evalops.v2.yaml');
    const elsewhere = join(dir, 'elsewhere.yaml');
    const text = readFileSync('examples/support-bot/evalops.yaml', 'utf8').replace(/\.\/(agent|data|scorers|schemas|rubrics)/g, `${process.cwd()}/examples/support-bot/$1`);
    writeFileSync(elsewhere, text.replace('project: support-bot', 'project: elsewhere'));
    theirs = await run(elsewhere);
  }, 180_000);

  it("clusters a comparison's regressions: one mode, the Spanish refunds, with its metrics, owners and enrichment", async () => {
    const res = await cli(['triage', '--compare', v1, v2, '--json']);
    expect(res.code, res.stderr).toBe(0);
    const report = JSON.parse(res.stdout);
    const flips = JSON.parse((await cli(['compare', v1, v2, '--json'])).stdout).comparisons.find((c: any) => c.metric === 'cites_policy' && c.slice === null);
    expect(report.source).toEqual({ kind: 'compare', baselineRunId: v1, candidateRunId: v2 });
    expect(report.items).toBe(flips.regressedExamples);
    expect(report.clusters).toHaveLength(1);
    const [c] = report.clusters;
    expect(c).toMatchObject({ id: 'c1', size: report.items, share: 1 });
    expect(c.failingMetrics[0]).toMatchObject({ metric: 'cites_policy', count: report.items });
    expect(c.owners).toContain('product@example.com');
    const es = c.slices.find((s: any) => s.slice === 'lang:es');
    expect(es).toMatchObject({ share: 1, overallShare: 0.5, enrichment: 2 });
    expect(c.representatives).toHaveLength(5);
    expect(c.name).not.toBe('unnamed');
    expect(report.markdown).toMatch(/^# Triage: regressions of /);
    // The same input gives the same clusters.
    const again = JSON.parse((await cli(['triage', '--compare', v1, v2, '--json'])).stdout);
    expect(again.clusters).toEqual(report.clusters);
  });

  it("prints a run's failure clusters as a table and as Markdown", async () => {
    const table = await cli(['triage', '--run', v2]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/cluster\s+name\s+size\s+share/);
    expect(table.stdout).toMatch(/c1 .*cites_policy/);
    const md = await cli(['triage', '--run', v2, '--md']);
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^# Triage: run /);
    expect(md.stdout).toMatch(/## Suggested actions/);
    expect(md.stdout).toMatch(/--promote c1/);
  });

  it('promotes a cluster into a dataset version with provenance and the cluster slice; a gate on cluster slices then blocks the regression', async () => {
    const report = JSON.parse((await cli(['triage', '--compare', v1, v2, '--json'])).stdout);
    const cluster = report.clusters[0];
    const res = await cli(['triage', '--compare', v1, v2, '--promote', 'c1', '--dataset', 'es-refunds', '--json']);
    expect(res.code, res.stderr).toBe(0);
    const promoted = JSON.parse(res.stdout);
    expect(promoted).toMatchObject({ project: 'support-bot', dataset: 'es-refunds', created: true, promoted: cluster.size, cluster: { id: 'c1', slice: cluster.slice } });
    const shown = JSON.parse((await cli(['datasets', 'show', 'es-refunds', '--project', 'support-bot', '--limit', '100', '--json'])).stdout);
    expect(shown.examples).toHaveLength(cluster.size);
    for (const e of shown.examples) {
      expect(e.slices).toContain(cluster.slice);
      expect(e.metadata.triage).toMatchObject({ source: { run: v2 }, cluster: { id: 'c1', slice: cluster.slice }, owners: cluster.owners });
      expect(e.metadata.triage.failureReason).toMatch(/cites_policy/);
    }

    // The cluster slice guarded by a gate: the v1 dataset with the cluster's examples tagged, run by v1 and by v2.
    const data = join(dir, 'tagged.jsonl');
    const tagged = new Set(shown.examples.map((e: any) => e.id));
    const rows = readFileSync('examples/support-bot/data/cases.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    writeFileSync(data, `${rows.map((r) => JSON.stringify(tagged.has(r.id) ? { ...r, slices: [...(r.slices ?? []), cluster.slice] } : r)).join('\n')}\n`);
    const gateRule = `    - { metric: cites_policy, noRegression: true, perSlice: true, slicePrefix: "cluster:", action: block }`;
    const configs = ['evalops.yaml', 'evalops.v2.yaml'].map((name) => {
      const text = readFileSync(`examples/support-bot/${name}`, 'utf8')
        .replace(/\.\/(agent|scorers|schemas|rubrics)/g, `${process.cwd()}/examples/support-bot/$1`)
        .replace('./data/cases.jsonl', data)
        .replace(/project: support-bot/, 'project: guarded')
        .replace(/\n  rules:\n/, `\n  rules:\n${gateRule}\n`);
      const path = join(dir, `guarded-${name}`);
      writeFileSync(path, text);
      return path;
    });
    const base = await run(configs[0] as string);
    const cand = await run(configs[1] as string);
    const gate = await cli(['gate', '-c', configs[0] as string, '--candidate', cand, '--baseline', base, '--json']);
    expect(gate.code, gate.stderr).toBe(1);
    const decision = JSON.parse(gate.stdout);
    const finding = decision.findings.find((f: any) => f.slice === cluster.slice);
    expect(finding).toMatchObject({ status: 'failed', action: 'block' });
  });

  it('refuses a cluster that does not exist (exit 2 naming it), a missing source and --promote without --dataset', async () => {
    const unknown = await cli(['triage', '--run', v2, '--promote', 'c99', '--dataset', 'x']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/cluster "c99" does not exist.*clusters: c1/);
    const none = await cli(['triage']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/give one source/);
    const noDataset = await cli(['triage', '--run', v2, '--promote', 'c1']);
    expect(noDataset.code).toBe(2);
    expect(noDataset.stderr).toMatch(/--promote needs --dataset/);
    const twoRuns = await cli(['triage', '--compare', v1]);
    expect(twoRuns.code).toBe(2);
    const badCutoff = await cli(['triage', '--run', v2, '--cutoff', '3']);
    expect(badCutoff.code).toBe(2);
    expect(badCutoff.stderr).toMatch(/--cutoff/);
  });

  describe('over /api/v1', () => {
    let serve: ServeProcess;
    let call: ReturnType<typeof apiClient>;
    const keys: Record<string, string> = {};
    beforeAll(async () => {
      serve = await startServe(env);
      for (const role of ['viewer', 'engineer']) keys[role] = await createKeyLocally(env, ['--role', role, '--project', 'support-bot']);
      keys['other'] = await createKeyLocally(env, ['--role', 'admin', '--project', 'elsewhere']);
      call = apiClient(serve.url);
    }, 120_000);
    afterAll(() => serve?.stop());

    it('lets a viewer read the triage of a run and of a comparison', async () => {
      const run = await call(keys['viewer'], 'GET', `/runs/${v2}/triage`);
      expect(run.status, JSON.stringify(run.body)).toBe(200);
      expect(run.body.clusters[0].id).toBe('c1');
      const pair = await call(keys['viewer'], 'GET', `/runs/${v1}/compare/${v2}/triage?seed=3&maxClusters=4`);
      expect(pair.status).toBe(200);
      expect(pair.body.source.kind).toBe('compare');
      const bad = await call(keys['viewer'], 'GET', `/runs/${v2}/triage?cutoff=7`);
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toMatch(/cutoff/);
    });

    it('lets only an engineer promote; an unknown cluster is a 400 naming it', async () => {
      const body = { source: { kind: 'run', runId: v2 }, cluster: 'c1', dataset: 'api-promoted' };
      const viewer = await call(keys['viewer'], 'POST', '/projects/support-bot/triage/promote', body);
      expect(viewer.status).toBe(403);
      const engineer = await call(keys['engineer'], 'POST', '/projects/support-bot/triage/promote', body);
      expect(engineer.status, JSON.stringify(engineer.body)).toBe(201);
      expect(engineer.body).toMatchObject({ dataset: 'api-promoted', created: true, cluster: { id: 'c1' } });
      const unknown = await call(keys['engineer'], 'POST', '/projects/support-bot/triage/promote', { ...body, cluster: 'c42' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toMatch(/cluster "c42" does not exist/);
    });

    it("answers 404 to a key of another project, for reading and for promoting, like an unknown run", async () => {
      const read = await call(keys['other'], 'GET', `/runs/${v2}/triage`);
      const unknown = await call(keys['other'], 'GET', `/runs/run_zzzzzzzzzzzzzzzzzzzz/triage`);
      expect(read.status).toBe(404);
      expect(read.body.error.message.replace(v2, 'ID')).toBe(unknown.body.error.message.replace('run_zzzzzzzzzzzzzzzzzzzz', 'ID'));
      const promote = await call(keys['other'], 'POST', '/projects/elsewhere/triage/promote', { source: { kind: 'run', runId: v2 }, cluster: 'c1', dataset: 'stolen' });
      expect(promote.status).toBe(404);
      const datasets = await call(keys['other'], 'GET', '/projects/elsewhere/datasets');
      expect(JSON.stringify(datasets.body)).not.toMatch(/stolen/);
      // Their own run triages fine.
      expect((await call(keys['other'], 'GET', `/runs/${theirs}/triage`)).status).toBe(200);
    });
  });
});
