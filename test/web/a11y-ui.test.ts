/**
 * The accessibility check of issue 21: axe-core, run inside Debian's Chromium on every page of a
 * seeded project (two support-bot runs, their gate decisions), finds no serious or critical
 * violation. The page's CSP forbids inline scripts, so the test's own context bypasses it to inject
 * axe; the server's CSP is tested elsewhere (csp-sessions-ui.test.ts).
 */
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRunsAndGates } from '../support/seed-support-bot.js';
import { createKeyLocally, startServe, type ServeProcess } from '../support/serve-process.js';
import { launchBrowser, watchErrors } from '../support/browser.js';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

describe('accessibility of every page (axe-core in Chromium)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-a11y-ui-'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'ci@example.com' };
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];
  let admin = '';
  let runIds: string[] = [];
  let decisionIds: string[] = [];

  beforeAll(async () => {
    ({ runIds, decisionIds } = await seedRunsAndGates(env));
    admin = await createKeyLocally(env, ['--role', 'admin', '--name', 'release-admin']);
    serve = await startServe(env);
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, bypassCSP: true })).newPage();
    page.setDefaultTimeout(60_000);
    errors = watchErrors(page);
    await page.goto(serve.url);
    await page.getByLabel('API key').fill(admin);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('release-admin · admin').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    serve?.stop();
  });

  const serious = async (): Promise<Violation[]> => {
    if (!(await page.evaluate<boolean>('typeof window.axe === "object"'))) await page.addScriptTag({ path: AXE });
    const found = await page.evaluate<Violation[]>('axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations)');
    return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  };

  // One test per page: each has its own deadline, and a failure names the page.
  const base = '/p/support-bot';
  const routes: readonly (readonly [string, () => string])[] = [
    ['home', () => base],
    ['runs', () => `${base}/runs`],
    ['a run', () => `${base}/runs/${runIds[1]}`],
    ['compare', () => `${base}/compare`],
    ['trends', () => `${base}/trends`],
    ['datasets', () => `${base}/datasets`],
    ['a dataset', () => `${base}/datasets/support-cases`],
    ['dataset coverage', () => `${base}/datasets/support-cases/coverage`],
    ['traces', () => `${base}/traces`],
    ['sessions', () => `${base}/sessions`],
    ['gate decisions', () => `${base}/decisions`],
    ['a gate decision', () => `${base}/decisions/${decisionIds[1]}`],
    ['releases', () => `${base}/releases`],
    ['review', () => `${base}/review`],
    ['judges', () => `${base}/judges`],
    ['online rules', () => `${base}/online`],
    ['monitors', () => `${base}/monitors`],
    ['alerts', () => `${base}/alerts`],
    ['audit log', () => `${base}/audit`],
    ['triage chooser', () => `${base}/triage`],
    ['triage of a run', () => `${base}/triage?run=${runIds[1]}`],
    ['dataset example', () => `${base}/datasets/support-cases/examples/account-en-02`],
  ];
  it.each(routes)('finds no serious or critical violation on the %s page', async (_name, route) => {
    await page.goto(`${serve.url}${route()}`);
    await page.locator('main h1').first().waitFor();
    // Let the page's queries settle: no "Loading" left.
    await expect.poll(() => page.getByText(/^Loading/).count()).toBe(0);
    const found = await serious();
    expect(found.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`)).toEqual([]);
  });

  it('logged no console error and no uncaught exception', () => {
    expect(errors).toEqual([]);
  });
});
