/**
 * The production loop end to end, in one process on a real server and worker: traces for a live
 * release and a canary arrive over OTLP from the OpenTelemetry SDK; an online rule samples and scores
 * them; the canary's quality is lower; the canary monitor fires; the alert carries its evidence; the
 * rollback rule moves the canary to rolled_back (audited); the signed webhooks reach a local receiver.
 * Run on SQLite (online-flow.test.ts) and PostgreSQL (online-flow.pg.test.ts).
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendCanaryTraffic, type CanaryTrafficResult } from '../../examples/support-bot/canary-traffic.js';
import { MonitorAlertEvidenceSchema } from '../../src/core/monitor/alert-evidence.js';
import { inSample } from '../../src/core/online/trace-sample.js';
import { startOnlineWorker, type RunningWorker } from '../../src/online/online-worker.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import type { Store } from '../../src/store/store.js';

interface Received {
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export function onlineFlowSuite(name: string, makeStore: () => Promise<Store>): void {
  describe(`production loop on ${name}: canary drops → alert → rollback → signed webhook`, () => {
    let store: Store;
    let server: RunningServer;
    let worker: RunningWorker;
    let receiver: Server;
    let receiverUrl = '';
    const received: Received[] = [];
    let owner = '';
    let secret = '';
    let traffic: CanaryTrafficResult;
    let canaryReleaseId = '';
    const api = async (method: string, path: string, body?: unknown, key = owner): Promise<{ status: number; json: any }> => {
      const res = await fetch(`${server.url}/api/v1/projects/support-bot${path}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      return { status: res.status, json: await res.json() };
    };
    const until = async (check: () => Promise<boolean>, ms = 60_000): Promise<void> => {
      const end = Date.now() + ms;
      while (!(await check())) {
        if (Date.now() > end) throw new Error('timed out');
        await new Promise((r) => setTimeout(r, 200));
      }
    };

    beforeAll(async () => {
      store = await makeStore();
      const project = await store.projects.ensure('support-bot');
      owner = (await store.apiKeys.create({ role: 'owner', projectId: project.id, name: 'oncall@example.com', createdBy: 'test' })).plaintext;
      const ingest = (await store.apiKeys.create({ role: 'ingest', projectId: project.id, createdBy: 'test' })).plaintext;
      receiver = createServer((req, res) => {
        let body = '';
        req.on('data', (d) => (body += d));
        req.on('end', () => {
          received.push({ headers: req.headers, body });
          res.writeHead(204).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
      server = await startServer({ store, port: 0, host: '127.0.0.1', allowPrivateWebhooks: true }); // the receiver is on loopback

      const hook = await api('POST', '/webhooks', { name: 'deploy-bot', url: receiverUrl, events: ['alert.opened', 'release.rollback'] });
      expect(hook.status).toBe(201);
      secret = hook.json.secret;
      const live = await store.releases.ensure(project.id, '2.0.0');
      await store.releases.apply(live.id, { type: 'gate', outcome: 'approve' }, 'ci');
      await store.releases.apply(live.id, { type: 'promote' }, 'ci');
      const canary = await store.releases.ensure(project.id, '2.1.0');
      await store.releases.apply(canary.id, { type: 'gate', outcome: 'approve' }, 'ci');
      await store.releases.apply(canary.id, { type: 'promote', percent: 20 }, 'ci');
      canaryReleaseId = canary.id;

      const rule = await api('PUT', '/online/rules', { rule: { name: 'prod-quality', sampleRate: 0.5, flags: [], settleSeconds: 1, metrics: [{ name: 'cites_policy', owner: 'product@example.com', scorer: { type: 'icontains', value: 'policy' } }] } });
      expect(rule.status).toBe(200);
      const monitor = await api('PUT', '/monitors', { monitor: { name: 'canary-cites-policy', rule: 'prod-quality', metric: 'cites_policy', detector: { kind: 'canary', canary: '2.1.0', live: '2.0.0', alpha: 0.01, minSamples: 60, windowMinutes: 180 } } });
      expect(monitor.status).toBe(200);
      expect((await api('PUT', `/releases/${canary.id}/rollback-rules`, { monitor: 'canary-cites-policy' })).status).toBe(201);

      worker = await startOnlineWorker({ store, sweepMs: 200, monitorMs: 400, webhookMs: 200, webhookTargets: { allowPrivate: true } });
      traffic = await sendCanaryTraffic({ endpoint: server.url, apiKey: ingest, traces: 600, canaryShare: 0.4, live: { release: '2.0.0', citesPolicy: 0.92 }, canary: { release: '2.1.0', citesPolicy: 0.6 }, seed: 11, startMs: Date.now() - 600 * 1000, spacingMs: 1000 });
    });

    afterAll(async () => {
      await worker?.stop();
      await server?.close();
      await new Promise((r) => receiver?.close(r));
      await store?.close();
    });

    it('scores every sampled trace exactly once, and only those', async () => {
      const sampled = traffic.traces.filter((t) => inSample(t.traceId, 0.5));
      const rule = await store.onlineRules.find((await store.projects.findByName('support-bot'))!.id, 'prod-quality');
      await until(async () => (await store.onlineScores.scoreCount(rule!.id)).traces >= sampled.length);
      await new Promise((r) => setTimeout(r, 1000));
      const counts = await store.onlineScores.scoreCount(rule!.id);
      expect(counts).toEqual({ traces: sampled.length, scores: sampled.length, duplicates: 0 });
      const one = sampled[0]!;
      const scored = await api('GET', `/traces/${one.traceId}/online-scores`);
      expect(scored.json.rules[0].scores[0]).toMatchObject({ metric: 'cites_policy', pass: one.cites });
    });

    it('opens one alert for the canary with the evidence a person or an agent acts on', async () => {
      await until(async () => (await api('GET', '/alerts')).json.alerts.length > 0);
      const { alerts } = (await api('GET', '/alerts')).json;
      expect(alerts).toHaveLength(1);
      const alert = alerts[0];
      const sampled = traffic.traces.filter((t) => inSample(t.traceId, 0.5));
      const canary = sampled.filter((t) => t.release === '2.1.0');
      const live = sampled.filter((t) => t.release === '2.0.0');
      const ev = alert.evidence;
      expect(MonitorAlertEvidenceSchema.safeParse(ev).error).toBeUndefined(); // the documented shape
      expect(ev.cohort).toEqual({ release: '2.1.0', live: '2.0.0' });
      // The test's own counts of what was sent and sampled, against the alert's.
      expect(ev.current.total).toBeGreaterThanOrEqual(60);
      expect(ev.current.total).toBeLessThanOrEqual(canary.length);
      const canaryRate = canary.filter((t) => t.cites).length / canary.length;
      const liveRate = live.filter((t) => t.cites).length / live.length;
      expect(ev.delta).toBeLessThan(0);
      // The alert reads a window of what was scored when the monitor ran (timing decides how much),
      // so its rates are samples of the test's: its own arithmetic exactly, each rate within 4.5
      // standard errors of the window's size (a chance of about 1 in 150,000 to fail by luck).
      expect(ev.baselineCounts).toBeDefined();
      expect(ev.delta).toBeCloseTo(ev.current.rate - ev.baselineCounts.rate, 9);
      const within = (rate: number, p: number, n: number) => expect(Math.abs(rate - p)).toBeLessThanOrEqual(4.5 * Math.sqrt((p * (1 - p)) / n) + 1e-9);
      within(ev.current.rate, canaryRate, ev.current.total);
      within(ev.baselineCounts.rate, liveRate, ev.baselineCounts.total);
      expect(ev.pValue).toBeLessThan(0.01);
      expect(ev.exampleTraceIds.length).toBeGreaterThan(0);
      for (const id of ev.exampleTraceIds) expect(canary.find((t) => t.traceId === id)?.cites).toBe(false);
      expect(ev.commands.some((c: string) => c.includes('evalops online scores') && c.includes('--release 2.1.0'))).toBe(true);
      expect(ev.rollbackActions).toEqual([expect.objectContaining({ releaseId: canaryReleaseId, from: 'canary', to: 'rolled_back', skipped: null })]);
    });

    it('rolled the canary back, audited as the monitor', async () => {
      const release = await store.releases.get(canaryReleaseId);
      expect(release.status).toBe('rolled_back');
      const history = await store.releases.history(canaryReleaseId);
      expect(history.at(-1)).toMatchObject({ actor: 'monitor:canary-cites-policy', to: { status: 'rolled_back' } });
      expect(await store.audit.verify(release.projectId)).toMatchObject({ ok: true });
    });

    it('delivers signed alert.opened and release.rollback webhooks to the receiver', async () => {
      await until(async () => received.length >= 2);
      const types = received.map((r) => r.headers['evalops-event']).sort();
      expect(types).toEqual(['alert.opened', 'release.rollback']);
      for (const r of received) {
        const header = String(r.headers['evalops-signature']);
        const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
        expect(m).not.toBeNull();
        const expected = createHmac('sha256', secret).update(`${m![1]}.${r.body}`).digest('hex');
        expect(m![2]).toBe(expected);
        expect(Math.abs(Date.now() / 1000 - Number(m![1]))).toBeLessThan(120);
      }
      const rollback = JSON.parse(received.find((r) => r.headers['evalops-event'] === 'release.rollback')!.body);
      expect(rollback.data.release).toMatchObject({ id: canaryReleaseId, variant: '2.1.0', to: { status: 'rolled_back' } });
    });
  });
}
