/**
 * The two broken scenarios of the production loop, end to end on a real server and worker, with
 * traffic from the OpenTelemetry SDK and a webhook receiver on loopback:
 *
 * 1. "A rollback rule can be bound to the wrong release": binding the canary monitor to the live
 *    release is refused (400 in the API, exit 2 in the CLI, naming the monitor, its cohort and the
 *    release). A monitor whose rule was bound to live while it watched live, and which was then
 *    changed to watch the canary, fires on the bad canary and leaves live alone, saying why.
 * 2. "After a rollback the alert comes back": the canary monitor's rule rolls the canary back, the
 *    alert resolves as `acted` with the move linked, and the monitor stops reading the rolled-back
 *    cohort: however often it runs afterwards, with the bad traces still in its window, no alert
 *    comes back.
 *
 * Along the way: paused monitors neither evaluate nor alert and say so (API, CLI), and the traffic
 * split sums to 100 (live 80 + canary 20, then live 100). Releases are named by id and variant.
 * Run on SQLite (rollback-safety-flow.test.ts) and PostgreSQL (rollback-safety-flow.pg.test.ts).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendCanaryTraffic } from '../../examples/support-bot/canary-traffic.js';
import { inSample } from '../../src/core/online/trace-sample.js';
import { startOnlineWorker, type RunningWorker } from '../../src/online/online-worker.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import type { Store } from '../../src/store/store.js';
import { runCli } from '../cli/run-cli.js';

const CANARY_MONITOR = 'canary-cites-policy';
/** Watched live when its rule was bound to live; changed afterwards to watch the canary. */
const CHANGED_MONITOR = 'changed-cohort';

export function rollbackSafetySuite(name: string, makeStore: () => Promise<Store>): void {
  describe(`production loop on ${name}: rollback rules hit only the release watched, and an acted alert stays resolved`, () => {
    let store: Store;
    let server: RunningServer;
    let worker: RunningWorker | undefined;
    let receiver: Server;
    const received: { type: string; body: any }[] = [];
    let owner = '';
    let ingest = '';
    let projectId = '';
    let liveId = '';
    let canaryId = '';
    const api = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> => {
      const res = await fetch(`${server.url}/api/v1/projects/support-bot${path}`, { method, headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      return { status: res.status, json: await res.json() };
    };
    const cli = (args: string[]) => runCli([...args, '--project', 'support-bot'], { env: { EVALOPS_SERVER_URL: server.url, EVALOPS_API_KEY: owner } });
    const until = async (check: () => Promise<boolean>, ms = 120_000): Promise<void> => {
      const end = Date.now() + ms;
      while (!(await check())) {
        if (Date.now() > end) throw new Error('timed out');
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    const alertsOf = async (monitor: string): Promise<any[]> => (await api('GET', `/alerts?monitor=${monitor}`)).json.alerts;
    const monitor = async (m: string): Promise<any> => (await api('GET', `/monitors/${m}`)).json;

    beforeAll(async () => {
      store = await makeStore();
      const project = await store.projects.ensure('support-bot');
      projectId = project.id;
      owner = (await store.apiKeys.create({ role: 'owner', projectId: project.id, name: 'oncall@example.com', createdBy: 'test' })).plaintext;
      ingest = (await store.apiKeys.create({ role: 'ingest', projectId: project.id, createdBy: 'test' })).plaintext;
      receiver = createServer((req, res) => {
        let body = '';
        req.on('data', (d) => (body += d));
        req.on('end', () => {
          received.push({ type: String(req.headers['evalops-event']), body: JSON.parse(body) });
          res.writeHead(204).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      server = await startServer({ store, port: 0, host: '127.0.0.1', allowPrivateWebhooks: true });
      const hook = await api('POST', '/webhooks', { name: 'deploy-bot', url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`, events: ['alert.opened', 'alert.resolved', 'release.rollback'] });
      expect(hook.status).toBe(201);

      const live = await store.releases.ensure(project.id, '2.0.0');
      await store.releases.apply(live.id, { type: 'gate', outcome: 'approve' }, 'ci');
      await store.releases.apply(live.id, { type: 'promote' }, 'ci');
      const canary = await store.releases.ensure(project.id, '2.1.0');
      await store.releases.apply(canary.id, { type: 'gate', outcome: 'approve' }, 'ci');
      await store.releases.apply(canary.id, { type: 'promote', percent: 20 }, 'ci');
      liveId = live.id;
      canaryId = canary.id;

      const rule = await api('PUT', '/online/rules', { rule: { name: 'prod-quality', sampleRate: 0.5, flags: [], settleSeconds: 1, metrics: [{ name: 'cites_policy', owner: 'product@example.com', scorer: { type: 'icontains', value: 'policy' } }] } });
      expect(rule.status).toBe(200);
      const canaryDetector = { kind: 'canary', canary: '2.1.0', live: '2.0.0', alpha: 0.01, minSamples: 60, windowMinutes: 180 };
      expect((await api('PUT', '/monitors', { monitor: { name: CANARY_MONITOR, rule: 'prod-quality', metric: 'cites_policy', detector: canaryDetector } })).status).toBe(200);
      expect((await api('PUT', '/monitors', { monitor: { name: CHANGED_MONITOR, rule: 'prod-quality', metric: 'cites_policy', release: '2.0.0', detector: { kind: 'threshold', threshold: 0.5, minSamples: 60, windowMinutes: 180 } } })).status).toBe(200);
    });

    afterAll(async () => {
      await worker?.stop();
      await server?.close();
      await new Promise((r) => receiver?.close(r));
      await store?.close();
    });

    it('splits the traffic so it sums to 100: live 80 + canary 20, in the API and the CLI', async () => {
      const { json } = await api('GET', '/releases');
      expect(json.traffic).toMatchObject({ livePercent: 80, canaryPercent: 20, unassignedPercent: 0, summary: 'live 2.0.0 80% + canary 2.1.0 20% = 100%' });
      const byId = new Map(json.releases.map((r: any) => [r.id, r.trafficPercent]));
      expect([byId.get(liveId), byId.get(canaryId)]).toEqual([80, 20]);
      const out = await cli(['releases', 'list']);
      expect(out.code, out.stderr).toBe(0);
      expect(out.stdout).toContain('traffic: live 2.0.0 80% + canary 2.1.0 20% = 100%');
      expect(out.stdout).toMatch(new RegExp(`${liveId}.*live.*80%`));
    });

    it('refuses to bind the canary monitor to the live release: 400 in the API, exit 2 in the CLI, naming both; nothing is written', async () => {
      const before = (await store.audit.list(projectId, { after: 0, limit: 100_000 })).length;
      const refused = await api('PUT', `/releases/${liveId}/rollback-rules`, { monitor: CANARY_MONITOR });
      expect(refused.status).toBe(400);
      const message: string = refused.json.error.message;
      expect(message).toContain(`monitor ${CANARY_MONITOR} watches canary 2.1.0 (compared with live 2.0.0)`);
      expect(message).toContain(`release ${liveId} (2.0.0) is its live side`);
      // By variant in the CLI, against the server.
      const out = await cli(['releases', 'rollback-rule', 'add', '2.0.0', '--monitor', CANARY_MONITOR]);
      expect(out.code).toBe(2);
      expect(out.stderr).toContain(`monitor ${CANARY_MONITOR} watches canary 2.1.0`);
      expect(out.stderr).toContain(`release ${liveId} (2.0.0)`);
      expect((await api('GET', `/releases/${liveId}/rollback-rules`)).json.rules).toEqual([]);
      expect((await store.audit.list(projectId, { after: 0, limit: 100_000 })).length).toBe(before);
      // The canary itself may be bound, and so may live to the monitor that watches live.
      expect((await api('PUT', `/releases/${canaryId}/rollback-rules`, { monitor: CANARY_MONITOR })).status).toBe(201);
      expect((await api('PUT', `/releases/${liveId}/rollback-rules`, { monitor: CHANGED_MONITOR })).status).toBe(201);
      // Then that monitor is changed to watch the canary: its rule on live stays, but must not act.
      expect((await api('PUT', '/monitors', { monitor: { name: CHANGED_MONITOR, rule: 'prod-quality', metric: 'cites_policy', detector: { kind: 'canary', canary: '2.1.0', live: '2.0.0', alpha: 0.01, minSamples: 60, windowMinutes: 180 } } })).status).toBe(200);
      // The rule stays, and its release's list says it will not act.
      expect((await api('GET', `/releases/${liveId}/rollback-rules`)).json.rules).toEqual([expect.objectContaining({ monitor: CHANGED_MONITOR, inactive: expect.stringContaining(`monitor ${CHANGED_MONITOR} watches canary 2.1.0`) })]);
      expect((await api('GET', `/releases/${canaryId}/rollback-rules`)).json.rules).toEqual([expect.objectContaining({ monitor: CANARY_MONITOR, inactive: null })]);
    });

    it('pauses both monitors (audited): paused, they say so and neither evaluate nor alert while the traffic is scored', async () => {
      for (const m of [CANARY_MONITOR, CHANGED_MONITOR]) expect((await api('POST', `/monitors/${m}/pause`, { reason: 'traffic arriving' })).status).toBe(200);
      const listed = (await api('GET', '/monitors')).json.monitors;
      for (const m of listed) expect(m.paused).toMatchObject({ by: 'oncall@example.com', reason: 'traffic arriving' });
      const out = await cli(['monitors', 'list']);
      expect(out.stdout.split('\n').filter((l) => l.includes('PAUSED'))).toHaveLength(2);
      expect((await api('POST', `/monitors/${CANARY_MONITOR}/evaluate`)).status).toBe(409);

      worker = await startOnlineWorker({ store, sweepMs: 200, monitorMs: 400, webhookMs: 200, webhookTargets: { allowPrivate: true } });
      const traffic = await sendCanaryTraffic({ endpoint: server.url, apiKey: ingest, traces: 600, canaryShare: 0.4, live: { release: '2.0.0', citesPolicy: 0.92 }, canary: { release: '2.1.0', citesPolicy: 0.6 }, seed: 11, startMs: Date.now() - 600 * 1000, spacingMs: 1000 });
      const sampled = traffic.traces.filter((t) => inSample(t.traceId, 0.5)).length;
      const rule = (await store.onlineRules.find(projectId, 'prod-quality'))!;
      await until(async () => (await store.onlineScores.scoreCount(rule.id)).traces >= sampled);
      // Every score is in; the worker kept running its monitor loop all along.
      for (const m of [CANARY_MONITOR, CHANGED_MONITOR]) expect(await monitor(m)).toMatchObject({ lastEvaluation: null, evaluatedAt: null, alerts: [] });
      expect((await api('GET', `/releases/${canaryId}/rollback-rules`)).json.rules).toHaveLength(1);
      expect((await store.releases.get(canaryId)).status).toBe('canary');
    });

    it('guards at action time: the changed monitor fires on the canary and leaves live alone, saying why in the alert', async () => {
      expect((await api('POST', `/monitors/${CHANGED_MONITOR}/resume`, {})).status).toBe(200);
      await until(async () => (await alertsOf(CHANGED_MONITOR)).length > 0);
      const [alert] = await alertsOf(CHANGED_MONITOR);
      expect(alert.status).toBe('open');
      expect(alert.resolvedAs).toBeNull();
      expect(alert.evidence.rollbackActions).toEqual([
        expect.objectContaining({ releaseId: liveId, variant: '2.0.0', action: 'rollback', from: 'live', to: null, skipped: expect.stringContaining(`release ${liveId} (2.0.0) is its live side`) }),
      ]);
      expect(await store.releases.get(liveId)).toMatchObject({ status: 'live' });
      expect(await store.releases.get(canaryId)).toMatchObject({ status: 'canary', canaryPercent: 20 });
      expect((await store.releases.history(liveId)).map((h) => h.actor)).toEqual(['ci', 'ci']);
    });

    it('rolls the canary back when its monitor fires, and the alert resolves as acted with the rollback linked', async () => {
      expect((await api('POST', `/monitors/${CANARY_MONITOR}/resume`, {})).status).toBe(200);
      await until(async () => (await alertsOf(CANARY_MONITOR)).some((a) => a.status === 'resolved'));
      const alerts = await alertsOf(CANARY_MONITOR);
      expect(alerts).toHaveLength(1);
      const [alert] = alerts;
      const last = (await store.releases.history(canaryId)).at(-1)!;
      expect(last).toMatchObject({ actor: `monitor:${CANARY_MONITOR}`, to: { status: 'rolled_back' } });
      expect(alert).toMatchObject({ status: 'resolved', resolvedAs: 'acted', resolvedBy: `monitor:${CANARY_MONITOR}` });
      expect(alert.resolution).toContain(`release ${canaryId} (2.1.0), audit #${last.seq}`);
      expect(alert.evidence.rollbackActions).toEqual([{ releaseId: canaryId, variant: '2.1.0', action: 'rollback', from: 'canary', to: 'rolled_back', skipped: null, auditSeq: last.seq }]);
      expect(await store.releases.get(liveId)).toMatchObject({ status: 'live', trafficPercent: 100 });
      const { json } = await api('GET', '/releases');
      expect(json.traffic).toMatchObject({ livePercent: 100, canaryPercent: 0, summary: 'live 2.0.0 100% = 100%' });
      const show = await cli(['alerts', 'show', alert.id]);
      expect(show.stdout).toContain('status resolved (acted)');
      expect(show.stdout).toContain(`rollback: release ${canaryId} (2.1.0) canary → rolled_back (audit #${last.seq})`);
    });

    it('does not reopen on the stale traces still in the window: the monitor stops evaluating the rolled-back canary', async () => {
      const seen = new Set<string>();
      await until(async () => {
        const m = await monitor(CANARY_MONITOR);
        if (m.evaluatedAt && typeof m.lastEvaluation?.stopped === 'string') seen.add(m.evaluatedAt);
        return seen.size >= 4;
      });
      const m = await monitor(CANARY_MONITOR);
      expect(m.lastEvaluation.stopped).toMatch(/canary 2\.1\.0 is rolled back \(traffic 0\)/);
      expect(m.evaluatingFrom).not.toBeNull();
      expect(m.alerts).toHaveLength(1);
      expect(m.alerts[0]).toMatchObject({ status: 'resolved', resolvedAs: 'acted' });
      expect(m.openAlert).toBeNull();
      const show = await cli(['monitors', 'show', CANARY_MONITOR]);
      expect(show.stdout).toContain('stopped: canary 2.1.0 is rolled back (traffic 0)');
    });

    it('sends the signed webhooks: both alerts opened, the rollback, and the acted alert resolved', async () => {
      await until(async () => received.length >= 4);
      expect(received.map((r) => r.type).sort()).toEqual(['alert.opened', 'alert.opened', 'alert.resolved', 'release.rollback']);
      const resolved = received.find((r) => r.type === 'alert.resolved')!;
      expect(resolved.body.data).toMatchObject({ status: 'resolved', resolvedAs: 'acted', evidence: { monitor: CANARY_MONITOR, rollbackActions: [expect.objectContaining({ releaseId: canaryId, skipped: null })] } });
      expect(received.find((r) => r.type === 'release.rollback')!.body.data.release).toMatchObject({ id: canaryId, variant: '2.1.0', trafficPercent: 0 });
    });

    it('audited the pauses and resumes in the hash chain', async () => {
      const entries = await store.audit.list(projectId, { after: 0, limit: 100_000 });
      const lifecycle = entries.filter((e) => e.action === 'monitor.pause' || e.action === 'monitor.resume').map((e) => [e.action, e.actor, (e.payload as { name: string }).name]);
      expect(lifecycle).toEqual([
        ['monitor.pause', 'oncall@example.com', CANARY_MONITOR],
        ['monitor.pause', 'oncall@example.com', CHANGED_MONITOR],
        ['monitor.resume', 'oncall@example.com', CHANGED_MONITOR],
        ['monitor.resume', 'oncall@example.com', CANARY_MONITOR],
      ]);
      expect(await store.audit.verify(projectId)).toMatchObject({ ok: true });
    });
  });
}
