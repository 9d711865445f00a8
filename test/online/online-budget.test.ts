/**
 * Online judges against the local OpenAI-compatible server: a rule's judge scores sampled traces
 * through the real AI SDK client, its spend is metered from token usage and the provider's pricing,
 * and when the day's budget is spent the rule stops scoring and opens one budget alert. The provider's
 * rate limit spaces the calls.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetAlertEvidenceSchema } from '../../src/core/monitor/alert-evidence.js';
import { OnlineRuleSpecSchema } from '../../src/core/online/online-rule.js';
import { createModelPort } from '../../src/models/ai-sdk-model-port.js';
import { rateLimitedModels } from '../../src/models/rate-limited-model-port.js';
import { EmbeddedJobQueue } from '../../src/online/embedded-job-queue.js';
import { scoreOnlineTrace } from '../../src/online/score-online-trace.js';
import { sweepOnlineRules } from '../../src/online/sweep-online-rules.js';
import { SpanSchema } from '../../src/core/span.js';
import type { SpanWrite } from '../../src/store/span-repository.js';
import { openStore, type Store } from '../../src/store/store.js';
import { startFakeOpenAI, type FakeOpenAIServer } from '../support/fake-openai-server.js';

function traceSpans(projectId: string, i: number): SpanWrite[] {
  const traceId = i.toString(16).padStart(32, '0');
  const t = Date.now() - 60_000 + i;
  return [
    {
      projectId,
      span: SpanSchema.parse({
        traceId,
        spanId: i.toString(16).padStart(16, '0'),
        name: 'support-agent',
        kind: 'AGENT',
        otelKind: 'server',
        startTimeMs: t,
        endTimeMs: t + 200,
        durationMs: 200,
        status: 'ok',
        input: 'Where is my refund?',
        output: i % 2 === 0 ? 'Per our refund policy it takes 5 days.' : 'Soon.',
        toolCalls: [],
        usage: {},
        attributes: {},
        resource: {},
        events: [],
        release: '2.0.0',
      }),
    },
  ];
}

describe('online judges: metered spend and the daily budget', () => {
  let store: Store;
  let fake: FakeOpenAIServer;
  beforeAll(async () => {
    fake = await startFakeOpenAI({ respond: () => ({ json: { label: 'good', reason: 'cites the policy' }, usage: { promptTokens: 1000, completionTokens: 0 } }) });
    store = await openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'evalops-budget-')), 'db.sqlite')}`);
  });
  afterAll(async () => {
    await store.close();
    await fake.close();
  });

  it('stops scoring when the rule has spent its day and opens one budget alert', async () => {
    const project = await store.projects.ensure('support-bot');
    await store.spans.insertBatch(Array.from({ length: 10 }, (_, i) => traceSpans(project.id, i + 1)).flat());
    // $1 per million prompt tokens: each judge call (1,000 tokens) costs $0.001; the budget buys 3 calls.
    const providers = { local: { kind: 'openai-compatible' as const, baseURL: fake.url, pricing: { judge: { inputPerMTok: 1, outputPerMTok: 0 } }, rateLimitPerMinute: 600 } };
    const models = rateLimitedModels(createModelPort({ providers, env: {} }), { local: 600 });
    const { rule } = await store.onlineRules.save(
      project.id,
      OnlineRuleSpecSchema.parse({
        name: 'judged',
        sampleRate: 1,
        settleSeconds: 1,
        flags: [],
        budgetUsdPerDay: 0.0025,
        metrics: [{ name: 'helpful', scorer: { type: 'judge', model: 'local:judge', rubric: 'Is the answer helpful?', labels: ['bad', 'good'], pass: ['good'] } }],
      }),
      { backfill: true },
    );
    const queue = new EmbeddedJobQueue(store, 'budget-test');
    const swept = await sweepOnlineRules(store, queue, { now: () => Date.now() + 5_000 });
    expect(swept).toMatchObject({ considered: 10, sampled: 10 });
    const outcomes: string[] = [];
    for (const job of await queue.claim(10)) outcomes.push(await scoreOnlineTrace(store, { models }, job));
    // 0.001 per call: after three calls 0.003 ≥ 0.0025, so the fourth trace on is refused.
    expect(outcomes).toEqual(['scored', 'scored', 'scored', ...Array(7).fill('budget_spent')]);
    expect(fake.calls.filter((r) => r.endpoint === 'chat')).toHaveLength(3);
    const stats = await store.onlineScores.ruleStats(rule.id);
    expect(stats.traces).toBe(3);
    expect(stats.spentUsd).toBeCloseTo(0.003, 9);
    const alerts = await store.alerts.list(project.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'budget', status: 'open' });
    expect(alerts[0]!.evidence).toMatchObject({ rule: 'judged', budgetUsdPerDay: 0.0025 });
    expect(BudgetAlertEvidenceSchema.safeParse(alerts[0]!.evidence).success).toBe(true);
  });
});
