import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlanReportSchema } from '../../src/gate/plan-gate.js';
import { runCli } from '../cli/run-cli.js';
import { apiClient, createKeyLocally, startServe, type ServeProcess } from '../support/serve-process.js';

/**
 * The planner over the JSON API of a real `evalops serve`: a viewer may ask what a policy can see on
 * the stored dataset (the server reads no file: sizes come from the stored version or the request);
 * bad input is a 400 naming the field; another project's key gets nothing.
 */
describe('POST /projects/{project}/gate-plan (end to end)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-api-plan-'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'ci@example.com' };
  const policy = { rules: [{ metric: 'cites_policy', noRegression: true, perSlice: true, action: 'block' }] };
  const metrics = [{ name: 'cites_policy', primary: true }, { name: 'right_tool' }];
  let serve: ServeProcess;
  let api: ReturnType<typeof apiClient>;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    for (const cfg of ['examples/support-bot/evalops.yaml', 'examples/support-bot/evalops.yaml']) {
      const res = await runCli(['run', '-c', cfg, '--json', '--no-cache'], { env });
      expect(res.code, res.stderr).toBe(0);
    }
    serve = await startServe(env);
    api = apiClient(serve.url);
    keys.viewer = await createKeyLocally(env, ['--role', 'viewer', '--project', 'support-bot']);
    keys.other = await createKeyLocally(env, ['--role', 'owner', '--project', 'elsewhere']);
  }, 120_000);

  afterAll(() => serve?.stop());

  it('answers a viewer with the MDE per rule and slice, from the stored dataset and the earlier runs', async () => {
    const res = await api(keys.viewer, 'POST', '/projects/support-bot/gate-plan', { policy, metrics, dataset: { name: 'support-cases' }, drop: 0.05 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const plan = PlanReportSchema.parse(res.body);
    expect(plan.dataset).toMatchObject({ name: 'support-cases', n: 90, source: 'stored' });
    expect(plan.dataset.version).toMatch(/^[0-9a-f]+$/);
    expect(plan.runs).toHaveLength(2);
    // Two runs of the same deterministic bot: no pair disagrees.
    expect(plan.discordance.find((d) => d.metric === 'cites_policy')).toMatchObject({ discordance: 0, pairs: 90 });
    expect(plan.visibility.correction).toBe('graphical');
    const overall = plan.visibility.rows.find((r) => r.slice === null)!;
    expect(overall).toMatchObject({ metric: 'cites_policy', n: 90, weight: 0.5, discordanceSource: 'measured', canFire: true });
    expect(overall.examplesNeeded).toBeGreaterThan(0);
    expect(plan.visibility.rows.filter((r) => r.slice !== null).length).toBeGreaterThan(0);
  });

  it('refuses bad input with the field named, and another project’s key', async () => {
    const bad = await api(keys.viewer, 'POST', '/projects/support-bot/gate-plan', { policy, metrics, dataset: { name: 'support-cases' }, drop: 5 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error)).toMatch(/drop/);
    const missing = await api(keys.viewer, 'POST', '/projects/support-bot/gate-plan', { policy, metrics, dataset: { name: 'no-such-dataset' } });
    expect(missing.status).toBeGreaterThanOrEqual(400);
    expect(missing.status).toBeLessThan(500);
    expect(missing.body.error.message).toMatch(/no-such-dataset/);
    const other = await api(keys.other, 'POST', '/projects/support-bot/gate-plan', { policy, metrics, dataset: { name: 'support-cases' } });
    expect(other.status).toBe(403);
  });
});
