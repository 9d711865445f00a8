import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MonitorSpecSchema } from '../../src/core/monitor/monitor-spec.js';
import { OnlineRuleSpecSchema } from '../../src/core/online/online-rule.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { openStore, type Store } from '../../src/store/store.js';
import { runCli } from '../cli/run-cli.js';
import { apiOf, type Call } from './cross-project-seed.js';

/**
 * Rollback rules are audited like every other change (issue 14 item 10): binding a monitor to a
 * release, changing the binding and removing it each append a `rollback_rule.change` entry with the
 * actor, the project's chain, the release and the monitor — over the API (the key's name) and with
 * the local CLI (`evalops releases rollback-rule add|remove`, the --actor / EVALOPS_ACTOR).
 */
describe('rollback-rule changes in the audit log', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-rbr-audit-'));
  const dbUrl = `sqlite:${join(dir, 'db.sqlite')}`;
  let store: Store;
  let server: RunningServer;
  let call: Call;
  let engineer = '';
  let releaseId = '';
  let monitorId = '';

  beforeAll(async () => {
    store = await openStore(dbUrl);
    const project = await store.projects.ensure('shop');
    engineer = (await store.apiKeys.create({ role: 'engineer', projectId: project.id, name: 'eng@example.com', createdBy: 'test' })).plaintext;
    releaseId = (await store.releases.ensure(project.id, 'v2-canary')).id;
    await store.onlineRules.save(project.id, OnlineRuleSpecSchema.parse({ name: 'prod', metrics: [{ name: 'polite', scorer: { type: 'icontains', value: 'please' } }] }));
    monitorId = (await store.monitors.save(project.id, MonitorSpecSchema.parse({ name: 'polite-drop', rule: 'prod', metric: 'polite', release: 'v2-canary' }))).monitor.id;
    server = await startServer({ store, port: 0, host: '127.0.0.1' });
    call = apiOf(server.url);
  });
  afterAll(async () => {
    await server?.close();
    await store?.close();
  });

  const ruleEntries = async () => (await call(engineer, 'GET', '/api/v1/projects/shop/audit?limit=1000')).body.entries.filter((e: { action: string }) => e.action === 'rollback_rule.change');

  it('audits creation, change and removal over the API under the key name, and the chain verifies', async () => {
    const created = await call(engineer, 'PUT', `/api/v1/projects/shop/releases/${releaseId}/rollback-rules`, { monitor: 'polite-drop' });
    expect(created.status).toBe(201);
    const narrowed = await call(engineer, 'PUT', `/api/v1/projects/shop/releases/v2-canary/rollback-rules`, { monitor: monitorId, action: 'narrow', percent: 5 });
    expect(narrowed.status).toBe(201);
    expect(narrowed.body.id).toBe(created.body.id);
    const removed = await call(engineer, 'DELETE', `/api/v1/projects/shop/releases/${releaseId}/rollback-rules/polite-drop`);
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ id: created.body.id, monitor: 'polite-drop', action: 'narrow', percent: 5 });
    expect((await call(engineer, 'GET', `/api/v1/projects/shop/releases/${releaseId}/rollback-rules`)).body.rules).toEqual([]);

    const base = { actor: 'eng@example.com', entityType: 'rollback_rule', entityId: created.body.id };
    const rule = { release: releaseId, variant: 'v2-canary', monitor: monitorId, monitorName: 'polite-drop' };
    expect(await ruleEntries()).toEqual([
      expect.objectContaining({ ...base, payload: { change: 'create', ...rule, action: 'rollback', percent: null } }),
      expect.objectContaining({ ...base, payload: { change: 'update', ...rule, action: 'narrow', percent: 5 } }),
      expect.objectContaining({ ...base, payload: { change: 'delete', ...rule, action: 'narrow', percent: 5 } }),
    ]);

    // Removing what is not there is a 404 and writes nothing.
    const again = await call(engineer, 'DELETE', `/api/v1/projects/shop/releases/${releaseId}/rollback-rules/polite-drop`);
    expect(again.status).toBe(404);
    expect(again.body.error.message).toBe(`release ${releaseId} has no rollback rule on monitor polite-drop`);
    expect(await ruleEntries()).toHaveLength(3);
    expect((await call(engineer, 'GET', '/api/v1/projects/shop/audit/verify')).body).toMatchObject({ ok: true });
  });

  it('audits `releases rollback-rule add` and `remove` of the local CLI under the actor', async () => {
    const env = { EVALOPS_DATABASE_URL: dbUrl, EVALOPS_ACTOR: 'sre@example.com' };
    const add = await runCli(['releases', 'rollback-rule', 'add', 'v2-canary', '--monitor', 'polite-drop', '--project', 'shop', '--json'], { cwd: dir, env });
    expect(add.code, add.stderr).toBe(0);
    const rule = JSON.parse(add.stdout) as { id: string };
    const remove = await runCli(['releases', 'rollback-rule', 'remove', 'v2-canary', '--monitor', 'polite-drop', '--project', 'shop'], { cwd: dir, env });
    expect(remove.code, remove.stderr).toBe(0);
    expect(remove.stdout).toBe('monitor polite-drop no longer moves release v2-canary\n');
    const missing = await runCli(['releases', 'rollback-rule', 'remove', 'v2-canary', '--monitor', 'polite-drop', '--project', 'shop'], { cwd: dir, env });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/has no rollback rule on monitor polite-drop/);

    const cliEntries = (await ruleEntries()).filter((e: { actor: string }) => e.actor === 'sre@example.com');
    expect(cliEntries.map((e: { entityId: string; payload: { change: string; release: string; monitor: string } }) => [e.entityId, e.payload.change, e.payload.release, e.payload.monitor])).toEqual([
      [rule.id, 'create', releaseId, monitorId],
      [rule.id, 'delete', releaseId, monitorId],
    ]);
  });
});
