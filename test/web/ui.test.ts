/**
 * The web UI as a person uses it: the real `evalops serve` with a project seeded through the CLI,
 * driven in Debian's Chromium. Sign in, scorecard, runs, one run and its failures, sign out — with no
 * console error on the way.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { startServe, type ServeProcess } from '../support/serve-process.js';
import { launchBrowser, screenshotDir, watchErrors } from '../support/browser.js';

describe('the web UI (Chromium)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-ui-'));
  const shots = screenshotDir(join(dir, 'shots'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'ci@example.com' };
  let server: ServeProcess;
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];
  let url = '';
  const keys: Record<string, string> = {};
  const runIds: string[] = [];

  beforeAll(async () => {
    for (const config of ['evalops.yaml', 'evalops.v2.yaml']) {
      const run = await runCli(['run', '-c', `examples/support-bot/${config}`, '--json'], { env });
      expect(run.code, run.stderr).toBe(0);
      runIds.push(JSON.parse(run.stdout).runId);
      await runCli(['gate', '-c', 'examples/support-bot/evalops.yaml', '--json'], { env });
    }
    for (const [name, role] of [['viewer', 'viewer'], ['owner', 'owner']] as const) {
      const res = await runCli(['keys', 'create', '--role', role, '--project', 'support-bot', '--name', name === 'owner' ? 'product@example.com' : 'pm@example.com', '--json'], { env });
      expect(res.code, res.stderr).toBe(0);
      keys[name] = JSON.parse(res.stdout).secret;
    }
    server = await startServe(env);
    url = server.url;
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1366, height: 820 } })).newPage();
    page.setDefaultTimeout(60_000);
    errors = watchErrors(page);
  });
  afterAll(async () => {
    await browser?.close();
    server?.stop();
  });

  it('refuses a wrong key with the server’s message, and signs in with a good one', async () => {
    await page.goto(url);
    await page.getByLabel('API key').fill(`${keys['viewer']!.slice(0, -4)}AAAA`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/invalid API key/);
    // The refused sign-in is the one failed request the browser reports; nothing else may log an error.
    expect(errors).toEqual([expect.stringMatching(/status of 401/)]);
    errors.length = 0;
    await page.getByLabel('API key').fill(keys['viewer']!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Scorecard · support-bot' }).waitFor();
    expect(await page.getByText('pm@example.com · viewer').count()).toBe(1);
  });

  it('keeps only an opaque session id in an http-only cookie, and the key nowhere the page’s scripts or storage reach', async () => {
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'evalops_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: false });
    expect(cookies.find((c) => c.name === 'evalops_session')!.value).not.toContain('eo_');
    expect(await page.evaluate<string>('document.cookie')).not.toContain('eo_');
    expect(await page.evaluate<string>('JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })')).not.toContain('eo_');
  });

  it('shows the scorecard: every metric with owner, failure class, lifecycle, value, trend and gates', async () => {
    const row = page.getByRole('row', { name: /cites_policy/ });
    await expect.poll(() => row.textContent()).toMatch(/product@example\.com.*answer_quality.*regression.*%.*n=90/);
    expect(await row.getByRole('img').getAttribute('aria-label')).toMatch(/cites_policy pass rate, oldest first: \d+%, \d+%/);
    expect(await row.textContent()).toMatch(/block: cites_policy noRegression/);
    await page.screenshot({ path: join(shots, 'scorecard.png') });
  });

  it('lists the runs and opens one: metrics with intervals, results with scores, the failures alone', async () => {
    await page.getByRole('link', { name: 'Runs' }).click();
    const grid = page.getByRole('grid', { name: 'Runs' });
    await grid.waitFor();
    for (const id of runIds) expect(await grid.getByText(id).count()).toBe(1);
    await page.screenshot({ path: join(shots, 'runs.png') });
    // Keyboard: focus the rows, go down to v1 and back up to v2 (the newest, which regressed), open it with Enter.
    await grid.locator('.body').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: new RegExp(`Run ${runIds[1]}`) }).waitFor();
    await expect.poll(() => page.getByRole('row', { name: /^cites_policy/ }).textContent()).toMatch(/90.*%.*–.*%/);
    const results = page.getByRole('grid', { name: 'Results' });
    await results.waitFor();
    expect(await results.getAttribute('aria-rowcount')).toBe('91');
    expect(await results.getByRole('columnheader').allTextContents()).toEqual(expect.arrayContaining(['Input', 'Expected', 'Output', 'Scores']));
    await page.getByLabel('Only failures').check();
    await expect.poll(async () => Number(await results.getAttribute('aria-rowcount'))).toBeLessThan(91);
    const failing = await results.getByRole('row').filter({ hasText: 'fail' }).count();
    expect(failing).toBeGreaterThan(0);
    await page.screenshot({ path: join(shots, 'run.png') });
  });

  it('signs out back to the sign-in page, and the cookie no longer works', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    expect(await page.context().cookies()).toEqual([]);
    expect((await page.request.get(`${url}/api/v1/projects/support-bot/runs`)).status()).toBe(401);
  });

  it('logged no console error and no uncaught exception', () => {
    expect(errors).toEqual([]);
  });
});
