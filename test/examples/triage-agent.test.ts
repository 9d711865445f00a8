import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendCanaryTraffic } from '../../examples/support-bot/canary-traffic.js';
import { startTriageAgent, verifySignature, type TriageAgent } from '../../examples/triage-agent/triage-agent.js';
import { startOnlineWorker, type RunningWorker } from '../../src/online/online-worker.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { openStore } from '../../src/store/store.js';
import type { Store } from '../../src/store/store.js';
import { runCli } from '../cli/run-cli.js';
import { startFakeOpenAI, type FakeOpenAIServer } from '../support/fake-openai-server.js';

/**
 * The *fly* stage end to end: canary traffic over OTLP from the OpenTelemetry SDK, scored online; the
 * canary monitor opens a real alert; the server's worker delivers the signed `alert.opened` webhook
 * to examples/triage-agent, which runs the built `evalops triage --alert ID --md` against the server
 * with a viewer key and writes the report. Needs the built CLI (`npm run build`).
 */
describe('examples/triage-agent: alert.opened → evalops triage --alert → report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-triage-agent-'));
  let store: Store;
  let server: RunningServer;
  let worker: RunningWorker;
  let agent: TriageAgent;
  let owner = '';
  let fake: FakeOpenAIServer;
  const reports: { alertId: string; file: string | null; error: string | null }[] = [];
  const api = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> => {
    const res = await fetch(`${server.url}/api/v1/projects/support-bot${path}`, { method, headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: res.status, json: await res.json() };
  };
  const until = async (check: () => boolean | Promise<boolean>, ms = 180_000): Promise<void> => {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  beforeAll(async () => {
    store = await openStore(`sqlite:${join(dir, 'db.sqlite')}`);
    const project = await store.projects.ensure('support-bot');
    owner = (await store.apiKeys.create({ role: 'owner', projectId: project.id, name: 'oncall@example.com', createdBy: 'test' })).plaintext;
    const viewer = (await store.apiKeys.create({ role: 'viewer', projectId: project.id, name: 'triage-agent', createdBy: 'test' })).plaintext;
    const ingest = (await store.apiKeys.create({ role: 'ingest', projectId: project.id, createdBy: 'test' })).plaintext;
    server = await startServer({ store, port: 0, host: '127.0.0.1', allowPrivateWebhooks: true }); // the agent listens on loopback

    let secret = '';
    agent = await startTriageAgent({
      secret: () => secret, // known once the webhook exists; the agent reads it per request
      project: 'support-bot',
      outDir: join(dir, 'reports'),
      env: { EVALOPS_SERVER_URL: server.url, EVALOPS_API_KEY: viewer, EVALOPS_DATABASE_URL: 'sqlite:/nonexistent/never-opened.db' },
      onReport: (r) => reports.push(r),
    });
    const hook = await api('POST', '/webhooks', { name: 'triage-agent', url: agent.url, events: ['alert.opened'] });
    expect(hook.status).toBe(201);
    secret = hook.json.secret;

    const live = await store.releases.ensure(project.id, '2.0.0');
    await store.releases.apply(live.id, { type: 'gate', outcome: 'approve' }, 'ci');
    await store.releases.apply(live.id, { type: 'promote' }, 'ci');
    const canary = await store.releases.ensure(project.id, '2.1.0');
    await store.releases.apply(canary.id, { type: 'gate', outcome: 'approve' }, 'ci');
    await store.releases.apply(canary.id, { type: 'promote', percent: 20 }, 'ci');
    expect((await api('PUT', '/online/rules', { rule: { name: 'prod-quality', sampleRate: 1, flags: [], settleSeconds: 1, metrics: [{ name: 'cites_policy', owner: 'product@example.com', scorer: { type: 'icontains', value: 'policy' } }] } })).status).toBe(200);
    expect((await api('PUT', '/monitors', { monitor: { name: 'canary-cites-policy', rule: 'prod-quality', metric: 'cites_policy', owner: 'product@example.com', detector: { kind: 'canary', canary: '2.1.0', live: '2.0.0', alpha: 0.01, minSamples: 60, windowMinutes: 180 } } })).status).toBe(200);
    worker = await startOnlineWorker({ store, sweepMs: 200, monitorMs: 400, webhookMs: 200, webhookTargets: { allowPrivate: true } });
    await sendCanaryTraffic({ endpoint: server.url, apiKey: ingest, traces: 400, canaryShare: 0.4, live: { release: '2.0.0', citesPolicy: 0.92 }, canary: { release: '2.1.0', citesPolicy: 0.5 }, seed: 5, startMs: Date.now() - 400 * 1000, spacingMs: 1000 });
  }, 240_000);

  afterAll(async () => {
    await fake?.close();
    await worker?.stop();
    await agent?.close();
    await server?.close();
    await store?.close();
  });

  it('writes the triage report of the alert the webhook announced: what moved, clusters on the canary, commands, actions', async () => {
    await until(() => reports.length > 0);
    const [r] = reports;
    expect(r?.error).toBeNull();
    const alerts = (await api('GET', '/alerts')).json.alerts;
    expect(alerts).toHaveLength(1);
    expect(r?.alertId).toBe(alerts[0].id);
    const md = readFileSync(r?.file as string, 'utf8');
    expect(md).toMatch(new RegExp(`^# Triage: alert ${alerts[0].id}`));
    expect(md).toMatch(/## What moved/);
    expect(md).toMatch(/metric \*\*cites_policy\*\* \(monitor canary-cites-policy\), release 2\.1\.0 vs live 2\.0\.0/);
    expect(md).toMatch(/\| c1 \|/);
    expect(md).toMatch(/release 2\.1\.0 ×/);
    expect(md).toMatch(/\| ran \| `evalops online scores --project support-bot --rule prod-quality --metric cites_policy --release 2\.1\.0/);
    expect(md).toMatch(/\*\*promote\*\* c1/);
    expect(md).toMatch(/\*\*(narrow|roll back)\*\* c\d+: c\d+ concentrates in release 2\.1\.0/);
    // The same report as JSON, straight from the API, agrees with the file.
    const json = (await api('GET', `/alerts/${alerts[0].id}/triage`)).json;
    expect(json.whatMoved).toMatchObject({ metric: 'cites_policy', release: '2.1.0', live: '2.0.0', owner: 'product@example.com' });
    expect(json.clusters.reduce((n: number, c: { size: number }) => n + c.size, 0)).toBe(json.items);
    const canaryShare = json.clusters[0].releases.find((x: { release: string }) => x.release === '2.1.0');
    expect(canaryShare.enrichment).toBeGreaterThan(1);
  });

  it("reruns the first cluster's items against live and canary from the CLI with the project config, compares, and reports the results", async () => {
    await until(() => reports.length > 0);
    const alertId = (await api('GET', '/alerts')).json.alerts[0].id as string;
    // The stand-in model answers as each release's system prompt says: live cites the policy, the canary does not.
    fake = await startFakeOpenAI({ respond: (r) => ({ text: JSON.stringify(r.body?.messages).includes('release 2.1.0') ? 'Done, refunded.' : 'Done, as the refund policy says.' }) });
    const project = (await store.projects.findByName('support-bot'))!;
    await store.releaseConfigs.set(project.id, '2.0.0', { model: { id: 'fake:bot' }, prompts: { system: { template: 'You are release 2.0.0; cite the policy.' } } }, 'ci');
    await store.releaseConfigs.set(project.id, '2.1.0', { model: { id: 'fake:bot' }, prompts: { system: { template: 'You are release 2.1.0; be brief.' } } }, 'ci');
    const config = join(dir, 'evalops.yaml');
    writeFileSync(
      config,
      ['version: 1', 'project: support-bot', 'target: { type: model, release: 2.1.0 }', 'dataset: { name: support-cases }', 'providers:', `  fake: { kind: openai-compatible, baseURL: "${fake.url}" }`, 'metrics:', '  - { name: cites_policy, owner: product@example.com, scorer: { type: icontains, value: policy } }', ''].join('\n'),
    );
    const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'oncall@example.com' };
    const res = await runCli(['triage', '--alert', alertId, '--project', 'support-bot', '-c', config, '--json'], { env });
    expect(res.code, res.stderr).toBe(0);
    const report = JSON.parse(res.stdout);
    const c1 = report.clusters[0];
    expect(report.rerun).toMatchObject({ cluster: 'c1', dataset: `triage-${alertId}`, items: c1.size, compareWhy: null });
    expect(report.rerun.runs.map((r: any) => [r.release, r.status, r.examples, r.errors])).toEqual([
      ['2.0.0', 'ran', c1.size, 0],
      ['2.1.0', 'ran', c1.size, 0],
    ]);
    expect(report.rerun.runs[0].passRates).toEqual({ cites_policy: 1 });
    expect(report.rerun.runs[1].passRates).toEqual({ cites_policy: 0 });
    expect(report.rerun.comparison).toEqual([expect.objectContaining({ metric: 'cites_policy', live: 1, canary: 0, delta: -1, verdict: 'regressed' })]);
    // Every call reached the stand-in model: one per item and release, each with its release's prompt.
    expect(fake.calls.filter((c) => c.endpoint === 'chat')).toHaveLength(2 * c1.size);
    const ran = report.commands.filter((c: any) => c.status === 'ran').map((c: any) => c.command).join('\n');
    expect(ran).toMatch(new RegExp(`evalops compare ${report.rerun.runs[0].runId} ${report.rerun.runs[1].runId} --json`));
    expect(report.commands.some((c: any) => c.status === 'to_run' && /^evalops (run|compare) /.test(c.command))).toBe(false);
    expect(report.markdown).toMatch(/## Targeted rerun/);
    expect(report.markdown).toMatch(/\| cites_policy \| 100\.0% \| 0\.0% \| -100\.0 pts \|/);
    // The runs are stored like any other, labelled with the alert.
    const stored = await store.runs.get(report.rerun.runs[1].runId);
    expect(stored.labels).toMatchObject({ triage: alertId, cluster: 'c1', release: '2.1.0' });

    // Without a config, or with --no-rerun, the reruns stay to run and say why.
    const bare = await runCli(['triage', '--alert', alertId, '--project', 'support-bot', '--json'], { env, cwd: mkdtempSync(join(tmpdir(), 'evalops-no-config-')) });
    expect(bare.code, bare.stderr).toBe(0);
    const left = JSON.parse(bare.stdout);
    expect(left.rerun).toBeNull();
    expect(left.commands.filter((c: any) => /^evalops run /.test(c.command)).map((c: any) => [c.status, c.outcome])).toEqual([
      ['to_run', expect.stringMatching(/^not run: needs the project config and its target: give -c CONFIG/)],
      ['to_run', expect.stringMatching(/^not run: needs the project config/)],
    ]);
    const skipped = JSON.parse((await runCli(['triage', '--alert', alertId, '--project', 'support-bot', '-c', config, '--no-rerun', '--json'], { env })).stdout);
    expect(skipped.rerun).toBeNull();
    expect(skipped.commands.find((c: any) => /^evalops compare /.test(c.command)).outcome).toBe('not run: --no-rerun');
  }, 240_000);

  it('refuses a delivery whose signature does not match', async () => {
    const body = JSON.stringify({ type: 'alert.opened', data: { id: 'alr_forged' } });
    const res = await fetch(agent.url, { method: 'POST', body, headers: { 'evalops-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` } });
    expect(res.status).toBe(401);
    expect(verifySignature(undefined, Buffer.from(body), 'whsec_x')).toBe(false);
  });
});
