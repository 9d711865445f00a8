/**
 * The decision page's worst conversations, side by side, in Debian's Chromium over a real `evalops
 * serve`: two runs of a module target that returns whole sessions (transcripts), the second gated and
 * blocked on a session metric. A viewer opening the decision sees the worst scenario first, the
 * baseline's and the candidate's turns beside each other, the failed tool call and the lost metrics —
 * with no console error.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { createKeyLocally, startServe, type ServeProcess } from '../support/serve-process.js';
import { launchBrowser, openPage, screenshotDir } from '../support/browser.js';

const AGENT = `
const turn = (index, user, text, toolCalls = []) => ({ index, user, output: text, text, toolCalls, latencyMs: 5 });
const session = (turns, endedBy, goalMet) => ({ kind: 'transcript', turns, endedBy, goal: 'refund order A1001', goalMet });
export async function v1() {
  return { output: session([turn(0, 'I want a refund', 'Sure. What is your order number?'), turn(1, 'It is A1001', 'I have issued a refund for order A1001.', [{ name: 'issue_refund', arguments: { orderId: 'A1001' } }])], 'user-done', true) };
}
export async function v2(input) {
  if (input.n === 0) return v1();
  return { output: session([
    turn(0, 'I want a refund', 'Sure. What is your order number?'),
    turn(1, 'It is A1001', 'How can I help with order A1001?', [{ name: 'lookup_order', arguments: { orderId: 'A1001' }, error: 'order service timeout' }]),
    turn(2, 'Refund it please', 'What is your order number?'),
  ], 'max-turns', false) };
}
`;

const config = (exportName: string) => `version: 1
project: conv-ui
target: { type: module, path: ./agent.mjs, export: ${exportName} }
dataset: { name: scenarios, path: ./scenarios.jsonl }
metrics:
  - { name: no_repeat, owner: support@example.com, scorer: { type: repeated-question } }
  - { name: short, owner: support@example.com, scorer: { type: turns, max: 2 } }
gate:
  rules:
    - { metric: no_repeat, min: 0.9, action: block }
`;

describe('worst conversations on the decision page (Chromium)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-worst-conversations-ui-'));
  const shots = screenshotDir(join(dir, 'shots'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'ci@example.com' };
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];
  let decisionId = '';
  let viewer = '';

  beforeAll(async () => {
    writeFileSync(join(dir, 'agent.mjs'), AGENT);
    writeFileSync(join(dir, 'v1.yaml'), config('v1'));
    writeFileSync(join(dir, 'v2.yaml'), config('v2'));
    writeFileSync(join(dir, 'scenarios.jsonl'), [0, 1, 2].map((n) => JSON.stringify({ id: `scenario-${n}`, input: { n } })).join('\n'));
    for (const file of ['v1.yaml', 'v2.yaml']) {
      const run = await runCli(['run', '-c', join(dir, file), '--json'], { env });
      expect(run.code, run.stderr).toBe(0);
      const gate = await runCli(['gate', '-c', join(dir, file), '--json'], { env });
      expect(gate.code, gate.stderr).toBe(file === 'v1.yaml' ? 0 : 1);
      decisionId = JSON.parse(gate.stdout).decisionId;
    }
    viewer = await createKeyLocally(env, ['--role', 'viewer', '--project', 'conv-ui', '--name', 'pm@example.com']);
    serve = await startServe(env);
    browser = await launchBrowser();
    ({ page, errors } = await openPage(browser));
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    serve?.stop();
  });

  it('shows the worst conversations, baseline beside candidate, with the failed tool call and the lost metrics', async () => {
    await page.goto(serve.url);
    await page.getByLabel('API key').fill(viewer);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('pm@example.com · viewer').waitFor();
    await page.goto(`${serve.url}/p/conv-ui/decisions/${decisionId}`);
    await page.getByRole('heading', { level: 1, name: 'Blocked' }).waitFor();
    const section = page.getByRole('region', { name: 'Worst conversations' });
    await section.waitFor();
    const pairs = section.getByRole('article');
    // The two regressed scenarios; scenario-0, unchanged and passing, is not among the worst.
    expect(await pairs.count()).toBe(2);
    const first = pairs.first();
    expect(await first.getByRole('heading', { level: 3 }).textContent()).toBe('scenario-1no_repeatshort');
    const baseline = first.getByRole('region', { name: 'Baseline' });
    const candidate = first.getByRole('region', { name: 'Candidate' });
    expect(await baseline.locator('.meta').textContent()).toMatch(/^2 turns, the user ended it · goal met \(simulated user\)/);
    expect(await candidate.locator('.meta').textContent()).toMatch(/^3 turns, hit the turn limit · goal not met/);
    expect(await candidate.locator('.turn').nth(1).textContent()).toContain('lookup_order {"orderId":"A1001"} failed: order service timeout');
    expect(await candidate.locator('.turn').nth(2).textContent()).toContain('What is your order number?');
    expect(await candidate.locator('.failed-scores').textContent()).toContain('the assistant asked again on turn 3');
    expect(await pairs.nth(1).getByRole('heading', { level: 3 }).textContent()).toBe('scenario-2no_repeatshort');
    await page.screenshot({ path: join(shots, 'worst-conversations.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
