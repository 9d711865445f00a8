import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/store.js';
import { runCli } from './run-cli.js';

/**
 * `evalops releases …` and `evalops audit …` end to end, on the built CLI. Releases are seeded through
 * the store (the gate is what creates them), then moved and inspected through the CLI.
 */
describe('evalops releases and audit (end to end)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-cli-rel-'));
  const dbPath = join(dir, 'db.sqlite');
  const env = { EVALOPS_DATABASE_URL: `sqlite:${dbPath}`, EVALOPS_ACTOR: 'env-actor@example.com' };
  const opts = { cwd: dir, env };
  const ids: Record<string, string> = {};
  let projectId = '';

  async function withStore<T>(body: (store: Store) => Promise<T>): Promise<T> {
    const store = await openStore(`sqlite:${dbPath}`);
    try {
      return await body(store);
    } finally {
      await store.close();
    }
  }

  beforeAll(async () => {
    await withStore(async (store) => {
      projectId = (await store.projects.ensure('shop')).id;
      const { version } = await store.datasets.saveVersion(projectId, 'cases', 'clihash1', [{ id: 'a', input: 'hi', metadata: {}, slices: [], source: 'manual' }]);
      const run = await store.runs.create({ projectId, datasetVersionId: version.id, targetType: 'module', targetVariant: 'blocked01', metrics: [], labels: {}, repeat: 1 });
      await store.db
        .insertInto('gate_decisions')
        .values({ id: 'gd_block', project_id: projectId, candidate_run_id: run.id, baseline_run_id: null, outcome: 'block', rollout_percent: null, document: '{}', created_at: new Date().toISOString() })
        .execute();
      for (const variant of ['good0001', 'blocked01', 'narrow01']) ids[variant] = (await store.releases.ensure(projectId, variant)).id;
      await store.releases.apply(ids['good0001']!, { type: 'gate', outcome: 'approve' }, 'gate@ci');
      await store.releases.apply(ids['blocked01']!, { type: 'gate', outcome: 'block', decisionId: 'gd_block', runId: run.id }, 'gate@ci');
      await store.releases.apply(ids['narrow01']!, { type: 'gate', outcome: 'narrow', rolloutPercent: 10 }, 'gate@ci');
    });
  });

  it('lists releases with the status and traffic share a deploy script reads', async () => {
    const res = await runCli(['releases', 'list', '--project', 'shop', '--json'], opts);
    expect(res.code, res.stderr).toBe(0);
    const { project, releases } = JSON.parse(res.stdout);
    expect(project).toBe('shop');
    const byVariant = Object.fromEntries(releases.map((r: { variant: string }) => [r.variant, r]));
    expect(byVariant['good0001']).toMatchObject({ id: ids['good0001'], status: 'approved', canaryPercent: null, trafficPercent: 0 });
    expect(byVariant['narrow01']).toMatchObject({ status: 'canary', canaryPercent: 10, trafficPercent: 10 });
    expect(byVariant['blocked01']).toMatchObject({ status: 'candidate', hold: 'block', decisionId: 'gd_block' });
    const text = await runCli(['releases', 'list', '--project', 'shop'], opts);
    expect(text.stdout).toMatch(/narrow01\s+canary at 10%\s+10%/);
  });

  it('promotes by variant to a canary, then to live, naming the actor', async () => {
    const canary = await runCli(['releases', 'promote', 'good0001', '--project', 'shop', '--percent', '25', '--actor', 'ana@example.com', '--json'], opts);
    expect(canary.code, canary.stderr).toBe(0);
    expect(JSON.parse(canary.stdout)).toMatchObject({ id: ids['good0001'], status: 'canary', canaryPercent: 25, trafficPercent: 25, previous: { status: 'approved', canaryPercent: null } });
    const live = await runCli(['releases', 'promote', ids['good0001']!], opts);
    expect(live.code, live.stderr).toBe(0);
    expect(live.stdout).toMatch(/canary 25% → live, by env-actor@example\.com/);
  });

  it('shows a release with its history from the audit log', async () => {
    const res = await runCli(['releases', 'show', 'good0001', '--project', 'shop', '--json'], opts);
    expect(res.code, res.stderr).toBe(0);
    const shown = JSON.parse(res.stdout);
    // Live gets what the canary narrow01 (10%) leaves: the project's shares sum to 100.
    expect(shown).toMatchObject({ variant: 'good0001', status: 'live', trafficPercent: 90 });
    expect(shown.history.map((h: { actor: string; to: { status: string } }) => [h.actor, h.to.status])).toEqual([
      ['gate@ci', 'approved'],
      ['ana@example.com', 'canary'],
      ['env-actor@example.com', 'live'],
    ]);
    const text = await runCli(['releases', 'show', ids['good0001']!], opts);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/status\s+live \(traffic 90%\)/);
  });

  it('refuses to promote a blocked candidate with exit 2 and the reason', async () => {
    const res = await runCli(['releases', 'promote', 'blocked01', '--project', 'shop'], opts);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/cannot promote a blocked candidate/);
    const json = await runCli(['releases', 'promote', 'blocked01', '--project', 'shop', '--json'], opts);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout).error).toMatchObject({ code: 'conflict', details: { from: { status: 'candidate' } } });
  });

  it('refuses to shrink a canary and a percent out of range', async () => {
    const shrink = await runCli(['releases', 'promote', 'narrow01', '--project', 'shop', '--percent', '5'], opts);
    expect(shrink.code).toBe(2);
    expect(shrink.stderr).toMatch(/already canary at 10%/);
    const bad = await runCli(['releases', 'promote', 'narrow01', '--project', 'shop', '--percent', '0'], opts);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--percent must be a whole number from 1 to 100/);
  });

  it('rolls back only with a reason', async () => {
    const without = await runCli(['releases', 'rollback', 'narrow01', '--project', 'shop'], opts);
    expect(without.code).toBe(2);
    const rolled = await runCli(['releases', 'rollback', 'narrow01', '--project', 'shop', '--reason', 'refund errors up', '--json'], opts);
    expect(rolled.code, rolled.stderr).toBe(0);
    expect(JSON.parse(rolled.stdout)).toMatchObject({ status: 'rolled_back', canaryPercent: null, trafficPercent: 0, previous: { status: 'canary', canaryPercent: 10 } });
  });

  it('names unknown releases and missing projects as usage errors', async () => {
    expect((await runCli(['releases', 'show', 'nothere', '--project', 'shop'], opts)).code).toBe(2);
    const noProject = await runCli(['releases', 'show', 'good0001'], opts);
    expect(noProject.code).toBe(2);
    expect(noProject.stderr).toMatch(/name the project/);
  });

  it('lists the audit log and verifies it intact (exit 0)', async () => {
    const list = await runCli(['audit', 'list', '--project', 'shop', '--limit', '3', '--json'], opts);
    expect(list.code, list.stderr).toBe(0);
    const { entries } = JSON.parse(list.stdout);
    expect(entries.map((e: { action: string }) => e.action)).toEqual(['release.transition', 'release.transition', 'release.transition']);
    expect(entries[2].payload).toMatchObject({ to: { status: 'rolled_back' }, event: { type: 'rollback', reason: 'refund errors up' } });
    const verify = await runCli(['audit', 'verify', '--project', 'shop', '--json'], opts);
    expect(verify.code, verify.stderr).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ project: 'shop', ok: true, entries: 6, firstBad: null });
  });

  it('exits 1 and prints the first bad entry when the log was tampered with', async () => {
    await withStore((store) => sql`update audit_log set actor = 'mallory' where project_id = ${projectId} and seq = 4`.execute(store.db));
    const json = await runCli(['audit', 'verify', '--project', 'shop', '--json'], opts);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, head: { seq: 3 }, firstBad: { seq: 4, problem: 'hash mismatch', entry: { actor: 'mallory' } } });
    const text = await runCli(['audit', 'verify', '--project', 'shop'], opts);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/BROKEN at entry 4 \(hash mismatch\)/);
    expect(text.stdout).toMatch(/actor mallory/);
  });
});
