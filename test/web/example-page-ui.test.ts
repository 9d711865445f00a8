/**
 * The example page and the decision page's conversation evidence, in Debian's Chromium over a real
 * `evalops serve`. Two runs of a module target that answers with whole conversations (the second
 * regresses), gated; and a dataset of a scripted conversation and a simulated-user scenario imported
 * with the CLI. A viewer follows an example row of the dataset page (a real link) to the example —
 * input, expected, slices, critical flag, source and provenance, metadata, and its results in both
 * runs, newest first — reads the conversation and the scenario examples, and on the decision page
 * reads the evidence as role-labelled turns, cut until expanded, baseline beside candidate.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { createKeyLocally, startServe, type ServeProcess } from '../support/serve-process.js';
import { launchBrowser, openPage, screenshotDir } from '../support/browser.js';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const PROJECT = 'examples-ui';
const LONG = `Your order A1001 is not eligible for an instant refund, ${'because the return window and the policy on opened items both apply here, '.repeat(3)}so I cannot help.`;

const AGENT = `
const turn = (index, user, text, toolCalls = []) => ({ index, user, output: text, text, toolCalls, latencyMs: 5 });
const session = (turns, endedBy, goalMet) => ({ kind: 'transcript', turns, endedBy, goal: 'refund order A1001', goalMet });
export async function v1() {
  return { output: session([turn(0, 'I want a refund', 'Sure. What is your order number?'), turn(1, 'It is A1001', 'I have issued a refund for order A1001.', [{ name: 'issue_refund', arguments: { orderId: 'A1001' }, result: { refunded: true } }])], 'user-done', true) };
}
export async function v2(input) {
  if (input.n === 0) return v1();
  return { output: session([
    turn(0, 'I want a refund', 'Sure. What is your order number?'),
    turn(1, 'It is A1001', ${JSON.stringify(LONG)}, [{ name: 'lookup_order', arguments: { orderId: 'A1001' }, error: 'order service timeout' }]),
    turn(2, 'Refund it please', 'What is your order number?'),
  ], 'max-turns', false) };
}
`;

const config = (exportName: string) => `version: 1
project: ${PROJECT}
target: { type: module, path: ./agent.mjs, export: ${exportName} }
dataset: { name: scenarios, path: ./scenarios.jsonl }
metrics:
  - { name: no_repeat, owner: support@example.com, scorer: { type: repeated-question } }
gate:
  rules:
    - { metric: no_repeat, min: 0.9, action: block }
`;

const TRACE = 'ab'.repeat(16);
const SCENARIOS = [
  { id: 'scenario-0', input: { n: 0 }, slices: ['intent:greeting'] },
  { id: 'scenario-1', input: { n: 1, text: 'refund please' }, expected: { tool: 'issue_refund' }, slices: ['intent:refund', 'lang:en'], metadata: { critical: true, traceId: TRACE, release: '2.1.0' }, source: 'trace' },
  { id: 'scenario-2', input: { n: 2 }, slices: ['intent:refund'] },
];
const CONVERSATIONS = [
  { id: 'refund chat 7', turns: [{ user: 'I want a refund' }, { user: 'It is A1001', expected: 'refund issued' }], slices: ['intent:refund'] },
  { id: 'angry-customer', scenario: { persona: 'an impatient customer', goal: 'get order A1001 refunded', facts: { order: 'A1001', bought: '2024-05-01' }, maxTurns: 4 }, expected: 'refund issued for A1001', source: 'adversarial' },
];

describe('the example page and conversation evidence (Chromium)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-example-ui-'));
  const shots = screenshotDir(join(dir, 'shots'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'ci@example.com' };
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];
  let decisionId = '';
  const runIds: string[] = [];
  let viewer = '';
  let version = '';

  beforeAll(async () => {
    writeFileSync(join(dir, 'agent.mjs'), AGENT);
    writeFileSync(join(dir, 'v1.yaml'), config('v1'));
    writeFileSync(join(dir, 'v2.yaml'), config('v2'));
    writeFileSync(join(dir, 'scenarios.jsonl'), SCENARIOS.map((r) => JSON.stringify(r)).join('\n'));
    writeFileSync(join(dir, 'conversations.jsonl'), CONVERSATIONS.map((r) => JSON.stringify(r)).join('\n'));
    for (const file of ['v1.yaml', 'v2.yaml']) {
      const run = await runCli(['run', '-c', join(dir, file), '--json'], { env });
      expect(run.code, run.stderr).toBe(0);
      const doc = JSON.parse(run.stdout);
      runIds.push(doc.runId);
      version = doc.dataset.version;
      const gate = await runCli(['gate', '-c', join(dir, file), '--json'], { env });
      expect(gate.code, gate.stderr).toBe(file === 'v1.yaml' ? 0 : 1);
      decisionId = JSON.parse(gate.stdout).decisionId;
    }
    const imported = await runCli(['datasets', 'import', join(dir, 'conversations.jsonl'), '--name', 'conversations', '--project', PROJECT], { env });
    expect(imported.code, imported.stderr).toBe(0);
    viewer = await createKeyLocally(env, ['--role', 'viewer', '--project', PROJECT, '--name', 'pm@example.com']);
    serve = await startServe(env);
    browser = await launchBrowser();
    ({ page, errors } = await openPage(browser));
    await page.goto(serve.url);
    await page.getByLabel('API key').fill(viewer);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('pm@example.com · viewer').waitFor();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    serve?.stop();
  });

  /** A definition list's terms and their definitions. */
  const pairs = async (selector: string): Promise<Record<string, string>> =>
    Object.fromEntries(await page.locator(`${selector} dt`).evaluateAll((dts) => dts.map((dt) => [dt.textContent ?? '', dt.nextElementSibling?.textContent ?? '']))) as Record<string, string>;

  it("links every example row of the dataset page to the example's page (a real link, that opens in a new tab)", async () => {
    await page.goto(`${serve.url}/p/${PROJECT}/datasets/scenarios`);
    const table = page.getByRole('grid', { name: 'Examples' });
    await table.waitFor();
    const link = table.getByRole('link', { name: 'scenario-1' });
    const href = `/p/${PROJECT}/datasets/scenarios/examples/scenario-1?version=${version}`;
    expect(await link.getAttribute('href')).toBe(href);
    // Open in a new tab: the address alone loads the page.
    const tab = await page.context().newPage();
    await tab.goto(`${serve.url}${href}`);
    await tab.getByRole('heading', { level: 1, name: 'Example scenario-1' }).waitFor();
    await tab.close();
    await link.click();
    await page.getByRole('heading', { level: 1, name: 'Example scenario-1' }).waitFor();
    expect(page.url()).toBe(`${serve.url}${href}`);
    expect(errors).toEqual([]);
  });

  it('shows the example: input, expected, slices, critical, source with provenance links, metadata', async () => {
    const meta = page.locator('.example-page > p.meta');
    expect(await meta.textContent()).toMatch(new RegExp(`^critical Dataset scenarios version ${version.slice(0, 12)} · created \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d · source trace$`));
    expect(JSON.parse((await page.getByLabel('Input', { exact: true }).textContent()) ?? '')).toEqual({ n: 1, text: 'refund please' });
    expect(JSON.parse((await page.getByLabel('Expected', { exact: true }).textContent()) ?? '')).toEqual({ tool: 'issue_refund' });
    expect(await page.getByRole('list', { name: 'Slices of the example' }).getByRole('listitem').allTextContents()).toEqual(['intent:refund', 'lang:en']);
    expect(await pairs('dl.provenance')).toEqual({ Trace: TRACE, Release: '2.1.0' });
    expect(await page.locator('dl.provenance').getByRole('link', { name: TRACE }).getAttribute('href')).toBe(`/p/${PROJECT}/traces/${TRACE}`);
    expect(JSON.parse((await page.getByLabel('Metadata', { exact: true }).textContent()) ?? '')).toEqual({ critical: true, traceId: TRACE, release: '2.1.0' });
    expect(errors).toEqual([]);
  });

  it('lists its results in the latest runs, newest first, with the conversation readable and a link to each run', async () => {
    const table = page.getByRole('table', { name: /latest runs of the dataset that answered this example/ });
    await table.waitFor();
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(2);
    const [v1Run, v2Run] = runIds as [string, string];
    expect(await rows.nth(0).getByRole('link', { name: v2Run }).getAttribute('href')).toBe(`/p/${PROJECT}/runs/${v2Run}`);
    expect(await rows.nth(1).getByRole('link', { name: v1Run }).getAttribute('href')).toBe(`/p/${PROJECT}/runs/${v1Run}`);
    expect(await rows.nth(0).locator('td').nth(1).textContent()).toBe('this version');
    const newest = rows.nth(0).getByRole('group', { name: `Conversation in run ${v2Run}` });
    expect(await newest.locator('.meta').textContent()).toBe('3 turns · ended: the turn limit was reached · goal not met');
    expect(await rows.nth(0).locator('.score').allTextContents()).toEqual(['no_repeat: fail']);
    const oldest = rows.nth(1).getByRole('group', { name: `Conversation in run ${v1Run}` });
    expect(await oldest.locator('.msg').allTextContents()).toEqual(['User I want a refund', 'Assistant Sure. What is your order number?', 'User It is A1001', 'Tool issue_refund {"orderId":"A1001"} → {"refunded":true}', 'Assistant I have issued a refund for order A1001.']);
    expect(await rows.nth(1).locator('.score').allTextContents()).toEqual(['no_repeat: pass']);
    await page.screenshot({ path: join(shots, 'example-page.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('shows a scripted conversation turn by turn, and a scenario with its persona, goal, facts and turn limit', async () => {
    await page.goto(`${serve.url}/p/${PROJECT}/datasets/conversations`);
    const link = page.getByRole('grid', { name: 'Examples' }).getByRole('link', { name: 'refund chat 7' });
    await link.click();
    await page.getByRole('heading', { level: 1, name: 'Example refund chat 7' }).waitFor();
    expect(await page.getByRole('list', { name: 'Scripted turns' }).getByRole('listitem').allTextContents()).toEqual(['User: I want a refund', 'User: It is A1001 · expected: refund issued']);
    expect(await page.locator('.example-page > p.meta').textContent()).toMatch(/ · source manual · scripted conversation$/);
    expect(await page.getByText('No run has answered this example yet.').count()).toBe(1);

    await page.goto(`${serve.url}/p/${PROJECT}/datasets/conversations`);
    await page.getByRole('grid', { name: 'Examples' }).getByRole('link', { name: 'angry-customer' }).click();
    await page.getByRole('heading', { level: 1, name: 'Example angry-customer' }).waitFor();
    expect(await pairs('dl.scenario')).toEqual({ Persona: 'an impatient customer', Goal: 'get order A1001 refunded', Facts: 'order: A1001bought: 2024-05-01', 'Max turns': '4' });
    expect(await page.getByLabel('Expected', { exact: true }).textContent()).toBe('refund issued for A1001');
    expect(await page.locator('.example-page').textContent()).toContain('adversarial: written to attack the system.');
    expect(await page.locator('.example-page').textContent()).toContain('No provenance recorded in the metadata.');
    expect(errors).toEqual([]);
  });

  it('says which example is missing from the version', async () => {
    await page.goto(`${serve.url}/p/${PROJECT}/datasets/scenarios/examples/nope?version=${version}`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe(`Not founddataset "scenarios" version ${version.slice(0, 12)} has no example "nope"`);
    errors.length = 0; // the browser logs the 404 response itself
  });

  it("reads the decision's conversation evidence as turns, cut until expanded, baseline beside candidate", async () => {
    await page.goto(`${serve.url}/p/${PROJECT}/decisions/${decisionId}`);
    await page.getByRole('heading', { level: 1, name: 'Blocked' }).waitFor();
    const evidence = page.locator('section.evidence');
    await evidence.waitFor();
    expect(await evidence.textContent()).not.toContain('"kind":"transcript"');
    const row = evidence.locator('tbody tr').filter({ has: page.getByRole('link', { name: 'scenario-1' }) });
    expect(await row.getByRole('link', { name: 'scenario-1' }).getAttribute('href')).toBe(`/p/${PROJECT}/datasets/scenarios/examples/scenario-1?version=${version}`);
    const candidate = row.getByRole('group', { name: 'Candidate conversation of scenario-1' });
    const baseline = row.getByRole('group', { name: 'Baseline conversation of scenario-1' });
    // Side by side: the candidate's cell, then the baseline's, in one row.
    expect(await row.locator('td.output').count()).toBe(2);
    expect(await baseline.locator('.meta').textContent()).toBe('2 turns · ended: the user was done (or, in production, a span ended the session) · goal met');
    expect(await baseline.locator('.preview-turns > li').count()).toBe(2);
    expect(await candidate.locator('.meta').textContent()).toBe('3 turns · ended: the turn limit was reached · goal not met');
    // Cut: the first two turns, the long answer shortened, the failed tool call marked.
    expect(await candidate.locator('.preview-turns > li').count()).toBe(2);
    const answer = candidate.locator('.preview-turns > li').nth(1).locator('.msg.assistant');
    expect((await answer.textContent())!.endsWith('…')).toBe(true);
    expect((await answer.textContent())!.length).toBeLessThan(LONG.length);
    expect(await candidate.locator('.msg.tool').textContent()).toBe('Tool lookup_order {"orderId":"A1001"} failed: order service timeout');
    expect(await candidate.getByText('… 1 more turn').count()).toBe(1);
    const more = candidate.getByRole('button', { name: 'Show all 3 turns in full' });
    expect(await more.getAttribute('aria-expanded')).toBe('false');
    await more.click();
    await candidate.locator('.preview-turns > li').nth(2).waitFor();
    expect(await answer.textContent()).toBe(`Assistant ${LONG}`);
    expect(await candidate.locator('.preview-turns > li').nth(2).locator('.msg').allTextContents()).toEqual(['User Refund it please', 'Assistant What is your order number?']);
    expect(await candidate.getByRole('button', { name: 'Show less' }).getAttribute('aria-expanded')).toBe('true');
    await page.screenshot({ path: join(shots, 'decision-evidence-transcripts.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('has no serious or critical accessibility violation on the example pages and the expanded evidence (axe-core)', async () => {
    // axe is injected as a script: a context of its own that bypasses the page's CSP, as the a11y test does.
    const axePage = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, bypassCSP: true })).newPage();
    axePage.setDefaultTimeout(20_000);
    await axePage.goto(serve.url);
    await axePage.getByLabel('API key').fill(viewer);
    await axePage.getByRole('button', { name: 'Sign in' }).click();
    await axePage.getByText('pm@example.com · viewer').waitFor();
    const serious = async (): Promise<{ id: string; impact: string | null }[]> => {
      await axePage.addScriptTag({ path: AXE });
      const found = await axePage.evaluate<{ id: string; impact: string | null }[]>('axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact })))');
      return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    };
    await axePage.goto(`${serve.url}/p/${PROJECT}/datasets/scenarios/examples/scenario-1?version=${version}`);
    await axePage.getByRole('table', { name: /latest runs/ }).waitFor();
    expect(await serious()).toEqual([]);
    await axePage.goto(`${serve.url}/p/${PROJECT}/datasets/conversations/examples/angry-customer`);
    await axePage.locator('dl.scenario').waitFor();
    expect(await serious()).toEqual([]);
    await axePage.goto(`${serve.url}/p/${PROJECT}/decisions/${decisionId}`);
    await axePage.getByRole('button', { name: 'Show all 3 turns in full' }).first().click();
    expect(await serious()).toEqual([]);
    await axePage.context().close();
  }, 90_000); // axe over three pages: slow on a loaded machine
});
