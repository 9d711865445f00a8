/**
 * Issue 21 in the web UI: the grouped navigation with its project switcher, list rows as real links
 * (open in a new tab, copy the link), the runs' gate column, and the release-control home (live and
 * canary releases, decisions waiting for an owner with their approve button, open alerts, the
 * scorecard with intervals and cost per successful result) — the real `evalops serve` seeded through
 * the CLI and the API, driven in Debian's Chromium, with no console error on the way.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRunsAndGates } from '../support/seed-support-bot.js';
import { apiClient, createKeyLocally, startServe, type ServeProcess } from '../support/serve-process.js';
import { launchBrowser, openPage, screenshotDir } from '../support/browser.js';

describe('grouped navigation, linked rows and the release-control home (Chromium)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-home-ui-'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'ci@example.com' };
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];
  const keys: Record<string, string> = {};
  const runIds: string[] = [];
  const decisionOf: Record<string, string> = {};
  let waiting = '';

  const signIn = async (key: string, who: string): Promise<void> => {
    await page.goto(serve.url);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(who).waitFor();
  };
  const signOut = async (): Promise<void> => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
  };

  beforeAll(async () => {
    const seeded = await seedRunsAndGates(env);
    seeded.runIds.forEach((id, i) => {
      runIds.push(id);
      decisionOf[id] = seeded.decisionIds[i]!;
    });
    keys['viewer'] = await createKeyLocally(env, ['--role', 'viewer', '--project', 'support-bot', '--name', 'pm@example.com']);
    keys['engineer'] = await createKeyLocally(env, ['--role', 'engineer', '--project', 'support-bot', '--name', 'ci-bot']);
    keys['admin'] = await createKeyLocally(env, ['--role', 'admin', '--name', 'release-admin']);
    serve = await startServe(env);
    const call = apiClient(serve.url);
    // A decision that asks an owner's approval (nobody else's outcome changes: it is the newest of its run).
    const decided = await call(keys['engineer'], 'POST', '/projects/support-bot/gate-decisions', {
      policy: { rules: [{ metric: 'right_tool', min: 0.999, action: 'require_approval' }] },
      candidate: runIds[1],
    });
    expect(decided.status, JSON.stringify(decided.body)).toBe(201);
    expect(decided.body.outcome).toBe('require_approval');
    waiting = decided.body.decisionId;
    // The approved first release goes live.
    const releases = await call(keys['admin'], 'GET', '/projects/support-bot/releases');
    const approved = (releases.body.releases as { id: string; status: string }[]).find((r) => r.status === 'approved');
    expect(approved, JSON.stringify(releases.body)).toBeDefined();
    const promoted = await call(keys['admin'], 'POST', `/releases/${approved!.id}/promote?project=support-bot`, {});
    expect(promoted.status, JSON.stringify(promoted.body)).toBe(200);
    // A second project, for the switcher.
    const imported = await call(keys['admin'], 'POST', '/projects/second-bot/datasets/cases/versions', { examples: [{ id: 'a', input: 'hello' }] });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    browser = await launchBrowser();
    ({ page, errors } = await openPage(browser, { width: 1366, height: 768 }));
  });
  afterAll(async () => {
    await browser?.close();
    serve?.stop();
  });

  it('shows the sign-in hint’s command as code, not between literal backticks', async () => {
    await page.goto(serve.url);
    const hint = page.getByText(/Sign in with an API key/);
    expect(await hint.textContent()).not.toContain('`');
    expect(await hint.locator('code').textContent()).toBe('evalops keys create --role viewer');
  });

  it('groups the navigation under Evaluate, Release, Production, Review and Settings, and shows the whole role at 1366 px', async () => {
    await signIn(keys['viewer']!, 'pm@example.com · viewer');
    const nav = page.getByRole('navigation', { name: 'Project' });
    const groups: Record<string, string[]> = {};
    for (const name of ['Evaluate', 'Release', 'Production', 'Review', 'Settings']) {
      groups[name] = (await nav.getByRole('group', { name }).getByRole('link').allTextContents()).map((t) => t.trim());
    }
    expect(groups).toEqual({
      Evaluate: ['Scorecard', 'Runs', 'Compare', 'Trends', 'Datasets', 'Judges', 'Playground'],
      Release: ['Gate decisions', 'Releases'],
      Production: ['Traces', 'Sessions', 'Online', 'Monitors', 'Alerts', 'Triage'],
      Review: ['Review'],
      Settings: ['Audit log'],
    });
    expect(await nav.getByRole('link', { name: 'Playground' }).getAttribute('href')).toBe('/p/support-bot/playground');
    // The role is not cut off: the element shows all its text inside the viewport.
    const who = page.getByText('pm@example.com · viewer');
    expect(await who.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    const box = await who.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(1366);
  });

  it('makes every run a real link, with a copy-link button and the gate outcome of each run', async () => {
    await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Runs' }).click();
    const grid = page.getByRole('grid', { name: 'Runs' });
    await grid.waitFor();
    for (const id of runIds) {
      const link = grid.getByRole('link', { name: id, exact: true });
      expect(await link.getAttribute('href')).toBe(`/p/support-bot/runs/${id}`);
    }
    // The first run was approved by its gate, the second is held (the newest decision: owner approval).
    const row = (id: string) => grid.getByRole('row').filter({ has: page.getByRole('link', { name: id, exact: true }) });
    await expect.poll(() => row(runIds[0]!).getByRole('link', { name: 'Approved' }).getAttribute('href')).toBe(`/p/support-bot/decisions/${decisionOf[runIds[0]!]}`);
    await expect.poll(() => row(runIds[1]!).getByRole('link', { name: "Needs an owner's approval" }).getAttribute('href')).toBe(`/p/support-bot/decisions/${waiting}`);
    // Copy link: the absolute address is on the clipboard.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: serve.url });
    await row(runIds[0]!).getByRole('button', { name: `Copy link to run ${runIds[0]}` }).click();
    await expect.poll(() => page.evaluate<string>('navigator.clipboard.readText()')).toBe(`${serve.url}/p/support-bot/runs/${runIds[0]}`);
    // Ctrl+click opens the run in a new tab and leaves this page where it is.
    const [tab] = await Promise.all([page.context().waitForEvent('page'), row(runIds[0]!).getByRole('link', { name: runIds[0]!, exact: true }).click({ modifiers: ['Control'] })]);
    await tab.waitForURL(`${serve.url}/p/support-bot/runs/${runIds[0]}`);
    await tab.close();
    expect(page.url()).toBe(`${serve.url}/p/support-bot/runs`);
    // Keyboard: Tab from the grid's body reaches the first row's link; Enter opens it.
    await grid.locator('.body').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string | undefined>('document.activeElement?.textContent')).toBe(runIds[1]);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: new RegExp(`Run ${runIds[1]}`) }).waitFor();
  });

  it('links the rows of gate decisions and releases', async () => {
    await page.getByRole('link', { name: 'Gate decisions' }).click();
    const decisions = page.getByRole('grid', { name: 'Gate decisions' });
    await decisions.waitFor();
    expect(await decisions.getByRole('link', { name: waiting, exact: true }).getAttribute('href')).toBe(`/p/support-bot/decisions/${waiting}`);
    await page.getByRole('link', { name: 'Releases' }).click();
    const releases = page.getByRole('grid', { name: 'Releases' });
    await releases.waitFor();
    const first = releases.getByRole('link', { name: /^rel_|^[0-9a-f-]{8,}/ }).first();
    expect(await first.getAttribute('href')).toMatch(/^\/p\/support-bot\/releases\/.+/);
    await signOut();
  });

  it('home: what is live, the decision waiting for an owner, open alerts and the scorecard with intervals and cost per success', async () => {
    await signIn(keys['admin']!, 'release-admin · admin');
    await page.goto(`${serve.url}/p/support-bot`);
    await page.getByRole('heading', { name: 'Release control · support-bot' }).waitFor();
    const live = page.getByRole('region', { name: 'Live and in canary' });
    await expect.poll(() => live.textContent()).toMatch(/Live.*100% of traffic/);
    const owner = page.getByRole('region', { name: 'Waiting for an owner' });
    await expect.poll(() => owner.getByRole('link', { name: /Needs an owner's approval/ }).getAttribute('href')).toBe(`/p/support-bot/decisions/${waiting}`);
    await expect.poll(() => page.getByRole('region', { name: 'Open alerts' }).textContent()).toMatch(/No open alert/);
    const row = page.getByRole('row', { name: /^cites_policy/ });
    await expect.poll(() => row.textContent()).toMatch(/n=90\d+\.\d–\d+\.\d%/);
    await expect.poll(() => page.locator('.cost-per-success').textContent()).toMatch(/Cost per successful result: (\$[\d.]+|—)/);
    await page.screenshot({ path: join(screenshotDir(mkdtempSync(join(tmpdir(), 'evalops-home-shots-'))), 'home.png'), fullPage: true });
    // Approve from the home: the form opens in place, and its message stays after the decision leaves the list.
    await owner.getByRole('button', { name: new RegExp(`Approve .*${waiting}`) }).click();
    await owner.getByLabel('Reason').fill('Tool choice reviewed by hand on the failing cases; fine to ship');
    await owner.getByLabel('Evidence link').fill('https://tickets.example.com/EVAL-7');
    await owner.getByRole('button', { name: 'Override' }).click();
    await expect.poll(() => owner.getByRole('status').textContent()).toMatch(/Override recorded: the decision is now Approved/);
    expect((await apiClient(serve.url)(keys['admin'], 'GET', `/gate-decisions/${waiting}`)).body.effectiveOutcome).toBe('approve');
  });

  it('switches project and keeps the section in view', async () => {
    await page.getByRole('link', { name: 'Datasets' }).click();
    await page.getByLabel('Switch project').selectOption('second-bot');
    await page.waitForURL(`${serve.url}/p/second-bot/datasets`);
    await page.getByRole('link', { name: 'cases' }).waitFor();
  });

  it('logged no console error and no uncaught exception', () => {
    expect(errors).toEqual([]);
  });
});
