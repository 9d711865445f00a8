/**
 * The "Online scores" panel of the trace page, as a viewer reads it: two traces seeded through the
 * store — one that an online rule picked by its flags (not its sample) and scored on two metrics, one
 * pass and one fail with the judge's reason, and one that no rule scored — then the real
 * `evalops serve` (no worker, so no rule scores anything behind the test's back) on that database,
 * driven in Debian's Chromium.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnlineRuleSpecSchema } from '../../src/core/online/online-rule.js';
import { SpanSchema } from '../../src/core/span.js';
import type { SpanWrite } from '../../src/store/span-repository.js';
import { openStore, type Store } from '../../src/store/store.js';
import { launchBrowser, openPage, screenshotDir } from '../support/browser.js';
import { startServe } from '../support/serve-process.js';

const PROJECT = 'support-bot';
const RULE = 'prod-quality';
const VIEWER = 'pm@example.com';
const SCORED = 'a1'.padEnd(32, '0');
const UNSCORED = 'b2'.padEnd(32, '0');
const REASON = 'The reply blames the customer for the late refund.';
/** A minute after the trace started, to the second. */
const SCORED_AT = new Date(Math.floor((Date.now() - 60_000) / 1000) * 1000).toISOString();

/** A trace of an agent span and its LLM call, `ageMs` ago. */
function traceSpans(projectId: string, traceId: string, ageMs: number): SpanWrite[] {
  const t = Date.now() - ageMs;
  const span = (spanId: string, extra: Record<string, unknown>) => ({
    projectId,
    span: SpanSchema.parse({ traceId, spanId, otelKind: 'internal', status: 'ok', toolCalls: [], usage: {}, attributes: {}, resource: {}, events: [], release: '2.0.0', ...extra }),
  });
  return [
    span(`${traceId.slice(0, 2)}00000000000001`, { name: 'support-agent', kind: 'AGENT', otelKind: 'server', startTimeMs: t, endTimeMs: t + 900, durationMs: 900, input: 'Where is my refund?', output: 'You should have read the policy.' }),
    span(`${traceId.slice(0, 2)}00000000000002`, { parentSpanId: `${traceId.slice(0, 2)}00000000000001`, name: 'ChatCompletion', kind: 'LLM', startTimeMs: t + 50, endTimeMs: t + 850, durationMs: 800, model: 'support-rules-v2' }),
  ];
}


describe('the trace page’s online scores (Chromium)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-trace-online-ui-'));
  const shots = screenshotDir(join(dir, 'shots'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'ci@example.com' };
  let viewerKey = '';
  let serve: { url: string; stop: () => void };
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];

  const openTrace = async (traceId: string): Promise<void> => {
    await page.goto(`${serve.url}/p/${PROJECT}/traces/${traceId}`);
    await page.getByRole('heading', { name: /^Trace support-agent/ }).waitFor();
  };
  const panel = () => page.getByRole('region', { name: 'Online scores' });

  beforeAll(async () => {
    const store: Store = await openStore(env.EVALOPS_DATABASE_URL);
    try {
      const project = await store.projects.ensure(PROJECT);
      viewerKey = (await store.apiKeys.create({ role: 'viewer', projectId: project.id, name: VIEWER, createdBy: 'test' })).plaintext;
      await store.spans.insertBatch([...traceSpans(project.id, SCORED, 120_000), ...traceSpans(project.id, UNSCORED, 60_000)]);
      const { rule } = await store.onlineRules.save(
        project.id,
        OnlineRuleSpecSchema.parse({
          name: RULE,
          sampleRate: 0.1,
          flags: [{ kind: 'frustration' }, { kind: 'error' }],
          metrics: [
            { name: 'cites_policy', scorer: { type: 'icontains', value: 'policy' } },
            { name: 'polite_tone', scorer: { type: 'icontains', value: 'sorry' } },
          ],
        }),
      );
      const stored = await store.onlineScores.record(
        { ruleId: rule.id, traceId: SCORED, projectId: project.id, sampled: false, flags: ['frustration', 'error'], release: '2.0.0', cohort: {}, traceStartMs: Date.now() - 120_000, latencyMs: 900, costUsd: null, error: true, scoringCostUsd: 0.0012, scoredAt: SCORED_AT },
        [
          { metric: 'cites_policy', spanId: null, status: 'scored', value: 1, pass: true, label: null, reason: null, scorerVersion: 'test' },
          { metric: 'polite_tone', spanId: null, status: 'scored', value: 0, pass: false, label: 'rude', reason: REASON, scorerVersion: 'test' },
        ],
      );
      expect(stored).toBe(true);
    } finally {
      await store.close();
    }
    serve = await startServe(env, ['--no-worker']);
    browser = await launchBrowser();
    ({ page, errors } = await openPage(browser));
    await page.goto(serve.url);
    await page.getByLabel('API key').fill(viewerKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(`${VIEWER} · viewer`).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    serve?.stop();
  });

  it('shows the rule that flagged the trace, when it scored it, and a pass and a FAIL row with the reason', async () => {
    await openTrace(SCORED);
    const rule = panel().getByRole('heading', { level: 3 });
    await rule.waitFor();
    expect(await rule.allTextContents()).toEqual([`Rule ${RULE} flagged: frustration, error`]);
    expect(await panel().locator('.meta').textContent()).toBe(`scored ${SCORED_AT.slice(0, 19).replace('T', ' ')} · scoring cost $0.0012`);
    const table = panel().getByRole('table', { name: `Rule ${RULE} flagged: frustration, error` });
    const rows = await table.getByRole('row').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    expect(rows).toEqual([
      ['Metric', 'Result', 'Value', 'Label', 'Reason'],
      ['cites_policy', 'pass', '1.00', '—', '—'],
      ['polite_tone', 'FAIL', '0.00', 'rude', REASON],
    ]);
    await page.screenshot({ path: join(shots, 'trace-online-scores.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('says so when no online rule scored the trace', async () => {
    await openTrace(UNSCORED);
    await panel().getByText('No online rule scored this trace.').waitFor();
    expect(await panel().getByRole('table').count()).toBe(0);
    expect(await panel().getByRole('heading', { level: 3 }).count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
