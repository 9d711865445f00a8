/**
 * The transcript view in Chromium, on the real `evalops serve` (no worker): a production session of
 * three traces (the second with a failed tool call) that a session rule scored and flagged, shown on
 * the session page with its session scores; the same session as a review item; and a run whose result
 * is a simulated-user conversation, with its goal, per-turn scores and verdict. Seeded through the store.
 */
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnlineRuleSpecSchema } from '../../src/core/online/online-rule.js';
import { RubricSchema } from '../../src/core/review/rubric.js';
import { sessionTranscript } from '../../src/core/online/session-transcript.js';
import { SpanSchema, type Span } from '../../src/core/span.js';
import { datasetVersionHash } from '../../src/datasets/dataset-hash.js';
import { addSessionItem } from '../../src/review/route-items.js';
import { openStore, type Store } from '../../src/store/store.js';
import { launchBrowser, openPage, screenshotDir } from '../support/browser.js';
import { startServe } from '../support/serve-process.js';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const PROJECT = 'support-bot';
const SESSION = 'chat-7';
const USERS = ['Where is my refund for A1001?', 'Where is my refund for A1001?', 'This is ridiculous, talk to a human!'];

function sessionSpans(): Span[] {
  const t = Date.now() - 600_000;
  const spans: Span[] = [];
  USERS.forEach((user, i) => {
    const traceId = `c${i}`.padEnd(32, 'a');
    const rootId = `${i}1`.padEnd(16, 'b');
    const start = t + i * 30_000;
    spans.push(SpanSchema.parse({ traceId, spanId: rootId, name: 'support-agent', kind: 'AGENT', otelKind: 'server', startTimeMs: start, endTimeMs: start + 900, durationMs: 900, status: 'ok', input: user, output: i === 1 ? 'I could not look the order up.' : `Answer ${i + 1}.`, toolCalls: [], usage: {}, attributes: { 'session.id': SESSION }, resource: {}, events: [], sessionId: SESSION }));
    if (i === 1) spans.push(SpanSchema.parse({ traceId, spanId: `${i}2`.padEnd(16, 'b'), parentSpanId: rootId, name: 'lookup_order', kind: 'TOOL', otelKind: 'internal', startTimeMs: start + 10, endTimeMs: start + 200, durationMs: 190, status: 'error', statusMessage: 'orders service timed out', toolCalls: [], tool: { name: 'lookup_order', arguments: { order: 'A1001' } }, usage: {}, attributes: {}, resource: {}, events: [] }));
  });
  return spans;
}

describe('the transcript view (Chromium)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-transcript-ui-'));
  const shots = screenshotDir(join(dir, 'shots'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'ci@example.com' };
  let key = '';
  let runId = '';
  let serve: { url: string; stop: () => void };
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];
  const turnTexts = async (region: ReturnType<Page['getByRole']>) => region.locator('.transcript-turns > li').evaluateAll((lis) => lis.map((li) => [...li.querySelectorAll('.msg p')].map((p) => p.textContent)));

  beforeAll(async () => {
    const store: Store = await openStore(env.EVALOPS_DATABASE_URL);
    try {
      const project = await store.projects.ensure(PROJECT);
      key = (await store.apiKeys.create({ role: 'owner', projectId: project.id, name: 'lead@example.com', createdBy: 'test' })).plaintext;
      const spans = sessionSpans();
      await store.spans.insertBatch(spans.map((span) => ({ projectId: project.id, span })));
      // A session rule that scored the session (as the worker would) and flagged it.
      const { rule } = await store.onlineRules.save(project.id, OnlineRuleSpecSchema.parse({ name: 'conversations', target: 'sessions', sampleRate: 1, metrics: [{ name: 'few_turns', scorer: { type: 'icontains', value: 'refund' } }] }));
      await store.onlineSessions.sight(store.db, rule.id, project.id, [{ sessionId: SESSION, traces: 3, lastSeenAt: new Date().toISOString(), ended: false }]);
      const stored = await store.onlineSessions.recordScoring({ ruleId: rule.id, sessionId: SESSION }, 3, new Date().toISOString(), {
        trace: { ruleId: rule.id, traceId: SESSION, projectId: project.id, sampled: true, flags: ['repeated_message', 'frustration'], release: null, cohort: {}, traceStartMs: spans[0]!.startTimeMs, latencyMs: 61_000, costUsd: null, error: true, scoringCostUsd: 0, scoredAt: new Date().toISOString() },
        scores: [{ metric: 'few_turns', spanId: null, status: 'scored', value: 0, pass: false, label: null, reason: '3 turns', scorerVersion: 'test' }],
      });
      expect(stored).toBe(true);
      const queue = await store.reviews.createQueue({ projectId: project.id, name: 'sessions', metric: 'few_turns', rubric: RubricSchema.parse({ labels: [{ label: 'good' }, { label: 'bad' }], pass: ['good'] }), reviewers: [], reviewersPerItem: 1, createdBy: 'test' });
      const byTrace = new Map<string, Span[]>();
      for (const s of spans) byTrace.set(s.traceId, [...(byTrace.get(s.traceId) ?? []), s]);
      await addSessionItem(store, queue, { sessionId: SESSION, lastTraceId: spans.at(-1)!.traceId, transcript: sessionTranscript([...byTrace.values()]), flags: ['repeated_message', 'frustration'], judge: null, checks: {} });
      // A run whose result is a simulated-user conversation.
      const examples = [{ id: 'refund-scenario', input: 'Get a refund for A1001', metadata: {}, slices: [], source: 'manual' as const }];
      const version = await store.datasets.saveVersion(project.id, 'scenarios', datasetVersionHash(examples), examples, 'test');
      const run = await store.runs.create({ projectId: project.id, datasetVersionId: version.version.id, targetType: 'module', targetVariant: 'v2', metrics: [{ name: 'goal_completed', scorerType: 'judge', scorerVersion: 'j1' }], labels: {}, repeat: 1 });
      runId = run.id;
      const transcript = {
        kind: 'transcript',
        goal: 'a refund for order A1001',
        persona: 'an impatient customer',
        endedBy: 'user-done',
        goalMet: true,
        turns: [
          { index: 0, user: 'I want my money back for A1001.', output: 'Which item?', text: 'Which item?', toolCalls: [], latencyMs: 120, scores: { polite: { pass: true, value: 1 } }, verdict: { message: 'The kettle.', done: false, goalMet: false } },
          { index: 1, user: 'The kettle.', output: 'Refund issued.', text: 'Refund issued.', toolCalls: [{ name: 'issue_refund', arguments: { order: 'A1001' }, result: { ok: true } }], latencyMs: 140, scores: { polite: { pass: false, value: 0, reason: 'curt' } }, verdict: { message: '', done: true, goalMet: true } },
        ],
      };
      await store.runs.appendResults(run.id, [{ exampleId: 'refund-scenario', trial: 0, output: transcript, toolCalls: [{ name: 'issue_refund', arguments: { order: 'A1001' } }], latencyMs: 260, cached: false, attempts: 1, scores: { goal_completed: { status: 'scored', value: 1, pass: true, label: 'yes', scorerVersion: 'j1' } } }]);
      await store.runs.finish(run.id, 'completed', null);
    } finally {
      await store.close();
    }
    serve = await startServe(env, ['--no-worker']);
    browser = await launchBrowser();
    ({ page, errors } = await openPage(browser));
    await page.goto(serve.url);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('lead@example.com · owner').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    serve?.stop();
  });

  it('shows a production session as a transcript, with the failed tool call and its session scores', async () => {
    await page.goto(`${serve.url}/p/${PROJECT}/sessions/${SESSION}`);
    const conversation = page.getByRole('region', { name: /^Conversation/ });
    await conversation.waitFor();
    expect(await turnTexts(conversation)).toEqual([
      [USERS[0], 'Answer 1.'],
      [USERS[1], 'I could not look the order up.'],
      [USERS[2], 'Answer 3.'],
    ]);
    const tools = conversation.getByRole('list', { name: 'Tool calls of turn 2' });
    expect(await tools.textContent()).toBe('lookup_order{"order":"A1001"} failed: orders service timed out');
    const rows = await page.getByRole('table', { name: 'Session scores' }).getByRole('row').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    expect(rows).toEqual([
      ['Rule', 'State', 'Flags', 'Scores'],
      ['conversations', 'scored over 3 traces', 'repeated_messagefrustration', 'few_turns: fail'],
    ]);
    await page.screenshot({ path: join(shots, 'session-transcript.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('shows a flagged session in review as its transcript', async () => {
    await page.goto(`${serve.url}/p/${PROJECT}/review/sessions/next`);
    const conversation = page.getByRole('region', { name: /^Conversation/ });
    await conversation.waitFor();
    expect(await turnTexts(conversation)).toHaveLength(3);
    expect(await conversation.getByRole('list', { name: 'Tool calls of turn 2' }).textContent()).toContain('failed: orders service timed out');
    expect(await page.getByRole('heading', { name: 'Output' }).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it("shows a run's conversation result with the simulated user's goal, per-turn scores and verdict", async () => {
    await page.goto(`${serve.url}/p/${PROJECT}/runs/${runId}`);
    const section = page.getByRole('region', { name: 'Conversations' });
    await section.waitFor();
    const conversation = section.getByRole('region', { name: /^Conversation refund-scenario/ });
    expect(await conversation.isVisible()).toBe(false); // closed until asked for
    await section.locator('summary', { hasText: 'refund-scenario' }).click();
    await conversation.waitFor();
    expect(await conversation.locator('.transcript-goal').textContent()).toBe('Simulated user: an impatient customer. Goal: a refund for order A1001');
    expect(await turnTexts(conversation)).toEqual([
      ['I want my money back for A1001.', 'Which item?'],
      ['The kettle.', 'Refund issued.'],
    ]);
    expect(await conversation.locator('.turn-meta').allTextContents()).toEqual(['120 mspolite: pass', '140 mspolite: fail']);
    expect(await conversation.locator('.turn-verdict').allTextContents()).toEqual(['Simulated user after this turn: continues', 'Simulated user after this turn: done, goal met']);
    expect(await conversation.locator('.transcript-end').textContent()).toContain('verdict: goal met');
    await page.screenshot({ path: join(shots, 'run-transcript.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('has no serious or critical accessibility violation on the session page and an opened run conversation (axe-core)', async () => {
    // axe is injected as a script: a context of its own that bypasses the page's CSP, as the a11y test does.
    const axePage = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, bypassCSP: true })).newPage();
    axePage.setDefaultTimeout(60_000);
    await axePage.goto(serve.url);
    await axePage.getByLabel('API key').fill(key);
    await axePage.getByRole('button', { name: 'Sign in' }).click();
    await axePage.getByText('lead@example.com · owner').waitFor();
    const serious = async (): Promise<{ id: string; impact: string | null }[]> => {
      await axePage.addScriptTag({ path: AXE });
      const found = await axePage.evaluate<{ id: string; impact: string | null }[]>('axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact })))');
      return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    };
    await axePage.goto(`${serve.url}/p/${PROJECT}/sessions/${SESSION}`);
    await axePage.getByRole('region', { name: /^Conversation/ }).waitFor();
    expect(await serious()).toEqual([]);
    await axePage.goto(`${serve.url}/p/${PROJECT}/runs/${runId}`);
    const section = axePage.getByRole('region', { name: 'Conversations' });
    await section.locator('summary', { hasText: 'refund-scenario' }).click();
    await section.getByRole('region', { name: /^Conversation refund-scenario/ }).waitFor();
    expect(await serious()).toEqual([]);
  }, 90_000); // axe over two pages: slow on a loaded machine
});
