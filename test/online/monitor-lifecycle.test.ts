/**
 * Monitors through the store and services on SQLite: a change monitor (CUSUM) on a release fires once
 * on a drop, its rollback rule narrows the live release to a canary, and the alert resolves as
 * `acted` with the narrowing linked; evaluating again does not reopen it on the traces from before
 * the action; the webhook outbox gets alert.opened, release.narrowed and alert.resolved. A monitor
 * without a rule is acknowledged with a note and resolves itself (`recovered`) once the signal is
 * back. Also: flagged traces beyond the sample are scored and reviewed but stay out of the series.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MonitorSpecSchema } from '../../src/core/monitor/monitor-spec.js';
import { OnlineRuleSpecSchema } from '../../src/core/online/online-rule.js';
import { inSample } from '../../src/core/online/trace-sample.js';
import { SpanSchema } from '../../src/core/span.js';
import { evaluateOneMonitor } from '../../src/monitor/evaluate-monitors.js';
import { moveAlert } from '../../src/monitor/move-alert.js';
import { openAlert } from '../../src/monitor/open-alert.js';
import { setMonitorPaused } from '../../src/monitor/pause-monitor.js';
import { createWebhook } from '../../src/monitor/webhook-service.js';
import { EmbeddedJobQueue } from '../../src/online/embedded-job-queue.js';
import { scoreOnlineTrace } from '../../src/online/score-online-trace.js';
import { sweepOnlineRules } from '../../src/online/sweep-online-rules.js';
import { openStore, type Store } from '../../src/store/store.js';

describe('monitor lifecycle', () => {
  let store: Store;
  let projectId = '';
  beforeAll(async () => {
    store = await openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'evalops-monitor-')), 'db.sqlite')}`);
    projectId = (await store.projects.ensure('shop')).id;
  });
  afterAll(async () => store.close());

  let n = 0;
  const record = async (ruleId: string, count: number, passRate: number, startMs: number, release = '3.0.0'): Promise<void> => {
    // Exactly round(count × passRate) passes, spread evenly, one trace a second.
    const passes = Math.round(count * passRate);
    for (let i = 0; i < count; i++) {
      n += 1;
      const pass = Math.floor(((i + 1) * passes) / count) > Math.floor((i * passes) / count);
      await store.onlineScores.record(
        { ruleId, traceId: n.toString(16).padStart(32, '0'), projectId, sampled: true, flags: [], release, cohort: {}, traceStartMs: startMs + i * 1000, latencyMs: 100, costUsd: null, error: false, scoringCostUsd: 0, scoredAt: new Date().toISOString() },
        [{ metric: 'ok', spanId: null, status: 'scored', value: pass ? 1 : 0, pass, label: null, reason: null, scorerVersion: 'v' }],
      );
    }
  };

  it('fires once on a drop, narrows the live release, resolves as acted, and does not reopen on the traces from before the action', async () => {
    const { rule } = await store.onlineRules.save(projectId, OnlineRuleSpecSchema.parse({ name: 'r', metrics: [{ name: 'ok', scorer: { type: 'contains', value: 'x' } }] }));
    const { monitor } = await store.monitors.save(projectId, MonitorSpecSchema.parse({ name: 'ok-drop', rule: 'r', metric: 'ok', release: '3.0.0', bucketMinutes: 1, lookbackHours: 24, recoveryTraces: 600, detector: { kind: 'cusum', params: { reference: 0.9, shift: 0.05, h: 6 } } }));
    const release = await store.releases.ensure(projectId, '3.0.0');
    await store.releases.apply(release.id, { type: 'gate', outcome: 'approve' }, 'ci');
    await store.releases.apply(release.id, { type: 'promote' }, 'ci');
    await store.rollbackRules.save({ projectId, releaseId: release.id, monitorId: monitor.id, action: 'narrow', percent: 5, createdBy: 'sre@example.com' });
    await createWebhook(store, projectId, { url: 'http://127.0.0.1:9/hooks', events: ['*'] }, 'sre@example.com', { allowPrivate: true });

    const t0 = Date.now() - 3 * 3_600_000;
    await record(rule.id, 1200, 0.9, t0);
    const quiet = await evaluateOneMonitor(store, monitor);
    expect(quiet.evaluation?.firing).toBe(false);
    expect(quiet.alert).toBeNull();

    await record(rule.id, 400, 0.7, t0 + 1200 * 1000);
    const fired = await evaluateOneMonitor(store, monitor);
    expect(fired.evaluation?.firing).toBe(true);
    expect(fired.alert?.change).toBe('opened');
    // The drop started at trace 1,201; the estimate may not be before the last bucket the statistic was 0 in.
    expect(fired.evaluation!.sinceMs!).toBeGreaterThanOrEqual(t0 + 1100 * 1000);
    expect(fired.evaluation!.sinceMs!).toBeLessThanOrEqual(t0 + 1400 * 1000);
    expect(fired.evaluation!.delta!).toBeLessThan(-0.1);

    const narrowed = await store.releases.get(release.id);
    expect(narrowed).toMatchObject({ status: 'canary', canaryPercent: 5 });
    const history = await store.releases.history(release.id);
    expect(history.at(-1)).toMatchObject({ actor: 'monitor:ok-drop', event: { type: 'narrow', percent: 5 } });

    // Resolved as acted, in the same transaction, with the narrowing linked by its audit entry.
    const alert = await store.alerts.get(fired.alert!.id);
    expect(alert).toMatchObject({ status: 'resolved', resolvedAs: 'acted', resolvedBy: 'monitor:ok-drop' });
    expect(alert.resolution).toContain(`audit #${history.at(-1)!.seq}`);
    expect(alert.evidence['rollbackActions']).toEqual([{ releaseId: release.id, variant: '3.0.0', action: 'narrow', from: 'live', to: 'canary', skipped: null, auditSeq: history.at(-1)!.seq }]);

    // The drop's traces are still in the lookback: the monitor no longer reads them.
    for (let i = 0; i < 3; i++) {
      const again = await evaluateOneMonitor(store, monitor);
      expect(again.evaluation?.firing).toBe(false);
      expect(again.alert).toBeNull();
    }
    expect(await store.alerts.list(projectId)).toHaveLength(1);
    expect((await store.monitors.get(monitor.id)).evaluateFromMs).not.toBeNull();
    // A second worker's evaluation that read the monitor before the action fires on the stale traces:
    // its alert does not open (the monitor acted in between), and it gets the acted alert back.
    const stale = await openAlert(store, { projectId, monitorId: monitor.id, ruleId: rule.id, kind: 'monitor', dedupeKey: alert.dedupeKey, severity: 'page', title: 'stale', evidence: {} }, { monitorName: 'ok-drop', readEvaluateFromMs: null });
    expect(stale).toMatchObject({ created: false, actions: [], alert: { id: alert.id, status: 'resolved' } });
    expect(await store.alerts.list(projectId)).toHaveLength(1);
    const types = (await store.webhooks.listDeliveries(projectId)).map((d) => d.eventType).sort();
    expect(types).toEqual(['alert.opened', 'alert.resolved', 'release.narrowed']);
    await expect(moveAlert(store, alert.id, 'acknowledge', 'sre@example.com')).rejects.toThrow(/already resolved/);
    expect(await store.audit.verify(projectId)).toMatchObject({ ok: true });
  });

  it('without a rollback rule: stays open, is acknowledged with a note, and resolves itself (recovered) when the signal is back', async () => {
    const rule = (await store.onlineRules.find(projectId, 'r'))!;
    const { monitor } = await store.monitors.save(projectId, MonitorSpecSchema.parse({ name: 'ok-drop-31', rule: 'r', metric: 'ok', release: '3.1.0', bucketMinutes: 1, lookbackHours: 24, recoveryTraces: 600, detector: { kind: 'cusum', params: { reference: 0.9, shift: 0.05, h: 6 } } }));
    const t0 = Date.now() - 3 * 3_600_000;
    await record(rule.id, 1200, 0.9, t0, '3.1.0');
    await record(rule.id, 400, 0.7, t0 + 1200 * 1000, '3.1.0');
    const fired = await evaluateOneMonitor(store, monitor);
    expect(fired.alert?.change).toBe('opened');
    expect(await evaluateOneMonitor(store, monitor)).toMatchObject({ alert: { id: fired.alert!.id, change: 'still_open' } });
    const acked = await moveAlert(store, fired.alert!.id, 'acknowledge', 'sre@example.com', 'looking at the 3.1.0 prompt change');
    expect(acked).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'sre@example.com', acknowledgement: 'looking at the 3.1.0 prompt change', resolvedAs: null });

    await record(rule.id, 700, 0.9, t0 + 1600 * 1000, '3.1.0');
    const recovered = await evaluateOneMonitor(store, monitor);
    expect(recovered.alert).toEqual({ id: fired.alert!.id, change: 'resolved' });
    expect(await store.alerts.get(fired.alert!.id)).toMatchObject({ status: 'resolved', resolvedAs: 'recovered', resolvedBy: 'monitor:ok-drop-31', acknowledgedBy: 'sre@example.com' });
  });

  it('pauses: a paused monitor neither evaluates nor alerts, audited; resume evaluates again', async () => {
    const rule = (await store.onlineRules.find(projectId, 'r'))!;
    const { monitor } = await store.monitors.save(projectId, MonitorSpecSchema.parse({ name: 'ok-drop-32', rule: 'r', metric: 'ok', release: '3.2.0', bucketMinutes: 1, lookbackHours: 24, detector: { kind: 'cusum', params: { reference: 0.9, shift: 0.05, h: 6 } } }));
    const t0 = Date.now() - 3 * 3_600_000;
    await record(rule.id, 1200, 0.9, t0, '3.2.0');
    await record(rule.id, 400, 0.7, t0 + 1200 * 1000, '3.2.0');
    const paused = await setMonitorPaused(store, monitor, true, 'sre@example.com', 'known incident');
    expect(paused.paused).toMatchObject({ by: 'sre@example.com', reason: 'known incident' });
    await expect(setMonitorPaused(store, monitor, true, 'sre@example.com', null)).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('already paused') });
    const tick = await evaluateOneMonitor(store, monitor);
    expect(tick).toMatchObject({ evaluation: null, alert: null, stopped: expect.stringContaining('paused by sre@example.com') });
    expect((await store.monitors.get(monitor.id)).lastEvaluation).toBeNull();
    expect((await store.monitors.listEnabled()).map((m) => m.name)).not.toContain('ok-drop-32');
    expect(await store.alerts.list(projectId, { monitorId: monitor.id })).toEqual([]);

    await setMonitorPaused(store, monitor, false, 'sre@example.com', null);
    await expect(setMonitorPaused(store, monitor, false, 'sre@example.com', null)).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('not paused') });
    expect((await evaluateOneMonitor(store, monitor)).alert?.change).toBe('opened');
    const entries = (await store.audit.list(projectId, { entityType: 'monitor', entityId: monitor.id, after: 0, limit: 100 })).map((e) => [e.action, e.actor, e.payload]);
    expect(entries).toEqual([
      ['monitor.pause', 'sre@example.com', { name: 'ok-drop-32', reason: 'known incident' }],
      ['monitor.resume', 'sre@example.com', { name: 'ok-drop-32' }],
    ]);
    expect(await store.audit.verify(projectId)).toMatchObject({ ok: true });
  });

  it('scores flagged traces beyond the sample and sends them to review, but keeps them out of the series', async () => {
    const queue = await store.reviews.createQueue({ projectId, name: 'frustrated', metric: 'helpful', rubric: { labels: [{ label: 'bad', definition: 'b' }, { label: 'good', definition: 'g' }], pass: ['good'], ordinal: true }, reviewers: [], reviewersPerItem: 1, createdBy: 't' });
    const { rule } = await store.onlineRules.save(
      projectId,
      OnlineRuleSpecSchema.parse({ name: 'flags', sampleRate: 0.3, settleSeconds: 1, flags: [{ kind: 'frustration' }], reviewQueue: 'frustrated', metrics: [{ name: 'polite', scorer: { type: 'icontains', value: 'please' } }] }),
      { backfill: true },
    );
    const ids: { traceId: string; angry: boolean }[] = [];
    const spans = [];
    for (let i = 0; i < 40; i++) {
      const traceId = (0xabc000 + i).toString(16).padStart(32, '0');
      const angry = i % 4 === 0;
      ids.push({ traceId, angry });
      spans.push({ projectId, span: SpanSchema.parse({ traceId, spanId: (i + 1).toString(16).padStart(16, '0'), name: 'agent', kind: 'AGENT', otelKind: 'server', startTimeMs: Date.now() - 10_000 + i, endTimeMs: Date.now() - 9_000 + i, durationMs: 1000, status: 'ok', input: angry ? 'That is not what I asked!!' : 'Hello there', output: 'please hold', toolCalls: [], usage: {}, attributes: {}, resource: {}, events: [] }) });
    }
    await store.spans.insertBatch(spans);
    const jobs = new EmbeddedJobQueue(store, 'flags-test');
    await sweepOnlineRules(store, jobs, { now: () => Date.now() + 5_000 });
    for (const job of await jobs.claim(100)) await scoreOnlineTrace(store, {}, job);
    const expected = ids.filter((t) => inSample(t.traceId, 0.3) || t.angry);
    expect((await store.onlineScores.scoreCount(rule.id)).traces).toBe(expected.length);
    for (const t of ids.filter((x) => x.angry && !inSample(x.traceId, 0.3))) {
      const [rec] = await store.onlineScores.forTrace(projectId, t.traceId);
      expect(rec).toMatchObject({ sampled: false, flags: ['frustration'] });
    }
    const reviewed = await store.reviews.items(queue.id);
    expect(reviewed.map((i) => i.traceId).sort()).toEqual(ids.filter((t) => t.angry).map((t) => t.traceId).sort());
    expect(new Set(reviewed.map((i) => i.reason))).toEqual(new Set(['flagged']));
    const points = await store.onlineScores.seriesPoints(rule.id, 'polite', 0, Date.now() + 60_000);
    expect(points.map((p) => p.traceId).sort()).toEqual(ids.filter((t) => inSample(t.traceId, 0.3)).map((t) => t.traceId).sort());
  });
});
