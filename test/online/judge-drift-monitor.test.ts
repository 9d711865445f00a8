/**
 * The loop between online judges and people: an online rule's judge (the real AI SDK client against
 * the local OpenAI-compatible server) scores flagged production traces, which go to a review queue
 * with the judge's verdict; reviewers label them; a judge-drift monitor fires when the judge and the
 * reviewers disagree on more than its threshold, and its alert says how to recalibrate.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MonitorAlertEvidenceSchema } from '../../src/core/monitor/alert-evidence.js';
import { MonitorSpecSchema } from '../../src/core/monitor/monitor-spec.js';
import { OnlineRuleSpecSchema } from '../../src/core/online/online-rule.js';
import { SpanSchema } from '../../src/core/span.js';
import { createModelPort } from '../../src/models/ai-sdk-model-port.js';
import { evaluateOneMonitor } from '../../src/monitor/evaluate-monitors.js';
import { EmbeddedJobQueue } from '../../src/online/embedded-job-queue.js';
import { scoreOnlineTrace } from '../../src/online/score-online-trace.js';
import { sweepOnlineRules } from '../../src/online/sweep-online-rules.js';
import { openStore, type Store } from '../../src/store/store.js';
import { startFakeOpenAI, type FakeOpenAIServer } from '../support/fake-openai-server.js';

describe('judge-drift monitor: the online judge against the reviewers', () => {
  let store: Store;
  let fake: FakeOpenAIServer;
  beforeAll(async () => {
    fake = await startFakeOpenAI({ respond: () => ({ json: { label: 'good', reason: 'looks fine' } }) });
    store = await openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'evalops-drift-')), 'db.sqlite')}`);
  });
  afterAll(async () => {
    await store.close();
    await fake.close();
  });

  it('fires when reviewers overrule the judge on more than the threshold of settled items', async () => {
    const project = await store.projects.ensure('support-bot');
    const queue = await store.reviews.createQueue({ projectId: project.id, name: 'helpful-review', metric: 'helpful', rubric: { labels: [{ label: 'bad', definition: 'b' }, { label: 'good', definition: 'g' }], pass: ['good'], ordinal: true }, reviewers: [], reviewersPerItem: 1, createdBy: 't' });
    await store.onlineRules.save(
      project.id,
      OnlineRuleSpecSchema.parse({ name: 'judged', sampleRate: 0, settleSeconds: 1, flags: [{ kind: 'frustration' }], reviewQueue: 'helpful-review', metrics: [{ name: 'helpful', scorer: { type: 'judge', model: 'local:judge', rubric: 'Is the answer helpful?', labels: ['bad', 'good'], pass: ['good'] } }] }),
      { backfill: true },
    );
    const traces = Array.from({ length: 10 }, (_, i) => ({
      projectId: project.id,
      span: SpanSchema.parse({ traceId: (0xd00d00 + i).toString(16).padStart(32, '0'), spanId: (i + 1).toString(16).padStart(16, '0'), name: 'agent', kind: 'AGENT', otelKind: 'server', startTimeMs: Date.now() - 30_000 + i, endTimeMs: Date.now() - 29_000 + i, durationMs: 1000, status: 'ok', input: 'That is not what I asked!!', output: 'Sorry.', toolCalls: [], usage: {}, attributes: {}, resource: {}, events: [] }),
    }));
    await store.spans.insertBatch(traces);
    const models = createModelPort({ providers: { local: { kind: 'openai-compatible', baseURL: fake.url } }, env: {} });
    const jobs = new EmbeddedJobQueue(store, 'drift-test');
    await sweepOnlineRules(store, jobs, { now: () => Date.now() + 5_000 });
    for (const job of await jobs.claim(100)) expect(await scoreOnlineTrace(store, { models }, job)).toBe('scored');
    const items = await store.reviews.items(queue.id);
    expect(items).toHaveLength(10);
    for (const item of items) expect(item.payload.judge).toMatchObject({ status: 'scored', label: 'good', pass: true });

    // A reviewer agrees with the judge on 3 items and overrules it on 7: 70% disagreement.
    for (let i = 0; i < 10; i++) {
      const next = await store.reviews.next(queue, 'ann@example.com');
      await store.reviews.label(queue, next!.id, 'ann@example.com', { label: i < 3 ? 'good' : 'bad' });
    }
    const { monitor } = await store.monitors.save(project.id, MonitorSpecSchema.parse({ name: 'helpful-drift', rule: 'judged', metric: 'helpful', detector: { kind: 'judge-drift', threshold: 0.3, minItems: 10 } }));
    const tick = await evaluateOneMonitor(store, monitor);
    expect(tick.evaluation).toMatchObject({ firing: true, current: { passed: 3, total: 10, rate: 0.3 } });
    expect(tick.alert?.change).toBe('opened');
    const alert = await store.alerts.get(tick.alert!.id);
    expect(alert.title).toBe('judge helpful disagrees with reviewers on 70.0% of production items (helpful-drift)');
    const evidence = MonitorAlertEvidenceSchema.parse(alert.evidence);
    expect(evidence.commands).toContain('evalops calibrate helpful -c evalops.yaml --json');
    expect(evidence.commands[0]).toBe('evalops judges --drift helpful --project support-bot --json');

    // Below the threshold it stays quiet.
    const { monitor: lenient } = await store.monitors.save(project.id, MonitorSpecSchema.parse({ name: 'helpful-drift-lenient', rule: 'judged', metric: 'helpful', detector: { kind: 'judge-drift', threshold: 0.75, minItems: 10 } }));
    expect((await evaluateOneMonitor(store, lenient)).evaluation?.firing).toBe(false);
  });
});
