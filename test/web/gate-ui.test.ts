/**
 * Gate decisions, overrides, releases and the audit log in the web UI, as people use them: the real
 * `evalops serve` seeded through the CLI (two support-bot runs, the second gated and blocked) and
 * the API, driven in Debian's Chromium. A viewer reads a blocked decision and its regressed slices and
 * cannot override; the owner of the failed metric overrides it, sees the release move, promotes it
 * to a canary, and finds both acts in the audit log — with no console error on the way.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { apiClient, createKeyLocally, startServe, type ServeProcess } from '../support/serve-process.js';
import { launchBrowser, openPage, screenshotDir } from '../support/browser.js';

describe('gate decisions, releases and the audit log in the web UI (Chromium)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-gate-ui-'));
  const shots = screenshotDir(join(dir, 'shots'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'ci@example.com' };
  const reason = 'Spanish refund copy is fixed in the next deploy; English is unchanged';
  const evidence = 'https://tickets.example.com/EVAL-42';
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];
  const keys: Record<string, string> = {};
  const runIds: string[] = [];
  /** The CLI's block under the full policy (cites_policy and right_tool failed: two owners). */
  let fullBlock = '';
  /** A block under the cites_policy rule alone: product@example.com owns every failed metric. */
  let citesBlock = '';
  let variant = '';

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
    for (const config of ['evalops.yaml', 'evalops.v2.yaml']) {
      const run = await runCli(['run', '-c', `examples/support-bot/${config}`, '--json'], { env });
      expect(run.code, run.stderr).toBe(0);
      runIds.push(JSON.parse(run.stdout).runId);
      const gate = await runCli(['gate', '-c', 'examples/support-bot/evalops.yaml', '--json'], { env });
      expect(gate.code, gate.stderr).toBe(config === 'evalops.yaml' ? 0 : 1);
      if (config === 'evalops.v2.yaml') fullBlock = JSON.parse(gate.stdout).decisionId;
    }
    keys['viewer'] = await createKeyLocally(env, ['--role', 'viewer', '--project', 'support-bot', '--name', 'pm@example.com']);
    keys['owner'] = await createKeyLocally(env, ['--role', 'owner', '--project', 'support-bot', '--name', 'product@example.com']);
    keys['engineer'] = await createKeyLocally(env, ['--role', 'engineer', '--project', 'support-bot', '--name', 'ci-bot']);
    keys['admin'] = await createKeyLocally(env, ['--role', 'admin', '--name', 'release-admin']);
    serve = await startServe(env);
    const decided = await apiClient(serve.url)(keys['engineer'], 'POST', '/projects/support-bot/gate-decisions', {
      policy: { rules: [{ metric: 'cites_policy', noRegression: true, perSlice: true, action: 'block' }] },
      candidate: runIds[1],
    });
    expect(decided.status, JSON.stringify(decided.body)).toBe(201);
    expect(decided.body).toMatchObject({ outcome: 'block', owners: ['product@example.com'] });
    citesBlock = decided.body.decisionId;
    variant = decided.body.candidate.variant;

    browser = await launchBrowser();
    ({ page, errors } = await openPage(browser));
  });
  afterAll(async () => {
    await browser?.close();
    serve?.stop();
  });

  it('puts the latest decision per variant, in plain words, above the scorecard', async () => {
    await signIn(keys['viewer']!, 'pm@example.com · viewer');
    const latest = page.getByRole('region', { name: /Latest gate decisions/ });
    await latest.getByRole('link').first().waitFor();
    const cards = await latest.getByRole('listitem').allTextContents();
    expect(cards).toHaveLength(2);
    // The variant by its target (module path and export) and a short hash, not the hash alone.
    expect(cards[0]).toMatch(new RegExp(`variant \\./agent-v2\\.ts#answer · ${variant.slice(0, 8)}Blocked`));
    expect(cards[1]).toMatch(/Approved/);
    await page.screenshot({ path: join(shots, 'scorecard-decisions.png') });
    // The decisions come first, above the metrics table.
    const order = await page.evaluate<string[]>("[...document.querySelectorAll('main [aria-labelledby=scorecard-title] > *')].map((e) => e.className || e.tagName)");
    expect(order.indexOf('latest-decisions')).toBeGreaterThan(-1);
    await page.locator('table.metrics').waitFor();
    expect(order.indexOf('latest-decisions')).toBeLessThan((await page.evaluate<string[]>("[...document.querySelectorAll('main [aria-labelledby=scorecard-title] > *')].map((e) => e.className || e.tagName)")).indexOf('metrics'));
  });

  it('shows a viewer the blocked decision: outcome first, the regressed slices, evidence, owners — and no override', async () => {
    await page.getByRole('region', { name: /Latest gate decisions/ }).getByRole('link', { name: /Blocked/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Blocked' }).waitFor();
    expect(page.url()).toContain(`/decisions/${citesBlock}`);
    await expect.poll(() => page.locator('.verdict .slices').textContent()).toBe('Regressed slices: intent:refundlang:es');
    // Failed findings first, with the slice, the paired change and its interval.
    const rows = page.getByRole('table', { name: 'Findings' }).getByRole('row');
    await expect.poll(async () => (await rows.allTextContents()).filter((t) => t.startsWith('Failed')).length).toBe(3);
    const texts = await rows.allTextContents();
    const failed = texts.filter((t) => t.startsWith('Failed'));
    expect(texts.slice(1, 4)).toEqual(failed);
    expect(failed.find((t) => t.includes('lang:es'))).toMatch(/lang:es100\.0% → 55\.6%−44\.4 pts−\d+\.\d pts … −\d+\.\d ptsregressed p < 0\.001blocksproduct@example\.com$/);
    expect(failed.find((t) => t.includes('intent:refund'))).toMatch(/100\.0% → 50\.0%−50\.0 pts/);
    // Evidence: the Spanish refund cases that flipped, with both outputs; links to both runs.
    const evidence = page.getByRole('region', { name: /cites_policy: examples that fail/ });
    // Parts of the page load apart from the decision: poll what they show.
    await expect.poll(() => evidence.getByRole('row', { name: /refund-es-01/ }).textContent()).toMatch(/intent:refundlang:es.*pedido A1001.*política de reembolso.*not found/);
    await expect.poll(() => page.getByRole('link', { name: 'baseline run' }).getAttribute('href')).toBe(`/p/support-bot/runs/${runIds[0]}`);
    await expect.poll(() => page.getByRole('listitem').filter({ hasText: /^cites_policy: / }).textContent()).toBe('cites_policy: product@example.com');
    await expect.poll(() => page.locator('.verdict').getByRole('link', { name: 'Candidate (blocked)' }).count()).toBe(1);
    // No override for a viewer: neither the form nor a button.
    expect(await page.getByRole('button', { name: 'Override' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: /Override/ }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Override this decision' }).count()).toBe(0);
    await page.screenshot({ path: join(shots, 'gate-decision.png'), fullPage: true });
  });

  it('refuses the viewer’s override at the server too, signed in by the same cookie', async () => {
    const res = await page.request.post(`${serve.url}/api/v1/gate-decisions/${citesBlock}/overrides`, { headers: { 'x-evalops-csrf': '1' }, data: { reason, evidence } });
    expect(res.status()).toBe(403);
    expect((await res.json()).error.code).toBe('forbidden');
    const stored = await page.request.get(`${serve.url}/api/v1/gate-decisions/${citesBlock}`);
    expect(await stored.json()).toMatchObject({ effectiveOutcome: 'block', overrides: [] });
  });

  it('offers a viewer no promote or rollback on a release', async () => {
    await page.getByRole('link', { name: 'Candidate (blocked)' }).click();
    await page.getByRole('heading', { level: 1, name: /Release of variant/ }).waitFor();
    expect(await page.getByRole('button', { name: /Promote|Roll back/ }).count()).toBe(0);
    await signOut();
  });

  it('shows the owner the form, checks it before sending, and shows the server’s refusal when another owner is needed', async () => {
    await signIn(keys['owner']!, 'product@example.com · owner');
    await page.goto(`${serve.url}/p/support-bot/decisions/${fullBlock}`);
    const form = page.getByRole('form', { name: 'Override this decision' });
    await form.waitFor();
    expect(await form.textContent()).toMatch(/the owner of every failed metric \(platform@example\.com, product@example\.com\) or a gate admin/);
    await form.getByLabel('Reason').fill('too short');
    await form.getByLabel('Evidence link').fill('trust me');
    await form.getByRole('button', { name: 'Override' }).click();
    expect(await form.getByText('Reason: say why in at least 10 characters.').count()).toBe(1);
    expect(await form.getByText('Evidence: give an http(s) link').count()).toBe(1);
    expect(await form.getByLabel('Evidence link').getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByLabel('Percent of traffic').isDisabled()).toBe(true);
    await form.getByLabel('Narrow the rollout to').check();
    await form.getByLabel('Percent of traffic').fill('100');
    await form.getByRole('button', { name: 'Override' }).click();
    expect(await form.getByText('Percent: a whole number from 1 to 99.').count()).toBe(1);
    await form.getByLabel('Approve').check();
    expect(errors).toEqual([]);

    await form.getByLabel('Reason').fill(reason);
    await form.getByLabel('Evidence link').fill(evidence);
    await form.getByRole('button', { name: 'Override' }).click();
    await expect.poll(() => form.getByRole('alert').textContent()).toMatch(/product@example\.com may not override .*platform@example\.com is not product@example\.com/);
    // The refused request is the one failed request the browser reports.
    expect(errors).toEqual([expect.stringMatching(/status of 403/)]);
    errors.length = 0;
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Blocked');
  });

  it('lets the owner of the failed metric override: the outcome in force changes and the release moves', async () => {
    await page.getByRole('link', { name: 'Gate decisions' }).click();
    const grid = page.getByRole('grid', { name: 'Gate decisions' });
    await grid.waitFor();
    expect(await grid.getByRole('row').count()).toBe(4);
    expect(await page.locator('.load-more').textContent()).toBe('3 decisions shown');
    expect(await grid.getByRole('row').filter({ hasText: citesBlock }).textContent()).toContain(`./agent-v2.ts#answer · ${variant.slice(0, 8)}`);
    await page.screenshot({ path: join(shots, 'gate-decisions.png') });
    await grid.getByText(citesBlock).click();
    const form = page.getByRole('form', { name: 'Override this decision' });
    await form.getByLabel('Reason').fill(reason);
    await form.getByLabel('Evidence link').fill(evidence);
    await form.getByRole('button', { name: 'Override' }).click();
    await page.getByRole('heading', { level: 1, name: 'Approved' }).waitFor();
    expect(await page.locator('.verdict .overridden').textContent()).toMatch(/^Overridden by product@example\.com \(owner\) on .*The gate said: Blocked$/);
    expect(await page.locator('.verdict').getByRole('link', { name: 'Approved' }).count()).toBe(1);
    const override = page.getByRole('list', { name: 'Overrides' }).getByRole('listitem');
    expect(await override.textContent()).toContain(`product@example.com (owner)set Approved: ${reason}`);
    expect(await override.getByRole('link', { name: 'evidence' }).getAttribute('href')).toBe(evidence);
    // The form stays after the refetch, so its success message can be read (issue 21).
    expect(await form.getByRole('status').textContent()).toMatch(/^Override recorded: the decision is now Approved/);
  });

  it('shows the release timeline with who did what, and promotes the release to a canary', async () => {
    await page.getByRole('link', { name: 'Releases' }).click();
    const grid = page.getByRole('grid', { name: 'Releases' });
    await grid.waitFor();
    const name = `./agent-v2.ts#answer · ${variant.slice(0, 8)}`;
    await grid.getByText(name).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(`Release of variant ${name.replace(/[.]/g, '\\.')}`) }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).locator('code').getAttribute('title')).toBe(variant);
    const stages = page.getByRole('list', { name: 'Release stages' }).getByRole('listitem');
    expect(await stages.allTextContents()).toEqual([
      expect.stringMatching(/^Candidatesince /),
      expect.stringMatching(/^Approvedproduct@example\.com · .*\(current\)$/),
      'Canarynot reached',
      'Livenot reached',
      'Rolled backnot reached',
    ]);
    const history = async () => page.getByRole('list', { name: 'Release history' }).getByRole('listitem').allTextContents();
    expect(await history()).toEqual([
      expect.stringMatching(/product@example\.comGate outcome: Approved \(decision\)Candidate → Approved/),
      expect.stringMatching(/ci-botGate outcome: Blocked \(decision\)Candidate → Candidate/),
      expect.stringMatching(/ci@example\.comGate outcome: Blocked \(decision\)Candidate → Candidate/),
    ]);
    await page.getByLabel('Canary share of traffic (%)').fill('25');
    await page.getByRole('button', { name: 'Promote to canary' }).click();
    await page.getByRole('heading', { level: 1, name: /Canary at 25%/ }).waitFor();
    expect((await history())[0]).toMatch(/product@example\.comPromoted to canary at 25%Approved → Canary at 25%/);
    expect(await stages.nth(2).textContent()).toMatch(/^Canary at 25%product@example\.com · .*\(current\)$/);
    await page.screenshot({ path: join(shots, 'release-timeline.png'), fullPage: true });
    // A smaller canary is refused by the server, and its message shown.
    await page.getByLabel('Canary share of traffic (%)').fill('10');
    await page.getByRole('button', { name: 'Promote to canary' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/already canary at 25%/);
    expect(errors).toEqual([expect.stringMatching(/status of 409/)]);
    errors.length = 0;
  });

  it('shows the override and the promotion in the audit log, the chain intact, a page at a time', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Chain' }).textContent()).toMatch(/^Chain intact: \d+ entries verified up to #\d+/);
    const override = page.getByRole('row', { name: /gate\.override/ });
    expect(await override.textContent()).toMatch(new RegExp(`product@example\\.comOverride gate\\.overridedecision ${citesBlock}Blocked → Approved as owner: ${reason}`));
    const promoted = page.getByRole('row', { name: /Release moved/ }).filter({ hasText: 'Canary at 25%' });
    expect(await promoted.textContent()).toMatch(/product@example\.com.*Approved → Canary at 25%/);
    const seqs = async () => (await page.getByRole('table').getByRole('rowheader').allTextContents()).map(Number);
    const all = await seqs();
    expect(all).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
    await page.screenshot({ path: join(shots, 'audit-log.png'), fullPage: true });

    // Paged by position: three entries a page, from the oldest, forward with "after".
    await page.goto(`${serve.url}/p/support-bot/audit?limit=3`);
    await expect.poll(seqs).toEqual(all.slice(-3));
    await page.getByRole('button', { name: 'Oldest' }).click();
    await expect.poll(seqs).toEqual([1, 2, 3]);
    expect(page.url()).toMatch(/after=0/);
    await page.getByRole('button', { name: 'Newer →' }).click();
    await expect.poll(seqs).toEqual([4, 5, 6]);
    await page.getByRole('button', { name: '← Older' }).click();
    await expect.poll(seqs).toEqual([1, 2, 3]);
  });

  it('pages the decisions 100 at a time, and shows a narrowing override with its percentage in the list and on the decision', async () => {
    const call = apiClient(serve.url);
    const narrowed = await call(keys['admin'], 'POST', `/gate-decisions/${fullBlock}/overrides`, { reason, evidence, outcome: 'narrow', percent: 15 });
    expect(narrowed.status, JSON.stringify(narrowed.body)).toBe(201);
    for (let i = 0; i < 99; i++) {
      const res = await call(keys['engineer'], 'POST', '/projects/support-bot/gate-decisions', { policy: { rules: [{ metric: 'right_tool', min: 0.01, action: 'block' }] }, candidate: runIds[0] });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    await page.goto(`${serve.url}/p/support-bot/decisions`);
    const grid = page.getByRole('grid', { name: 'Gate decisions' });
    await grid.waitFor();
    expect(await grid.getAttribute('aria-rowcount')).toBe('101');
    expect(await page.locator('.load-more').textContent()).toMatch(/^100 decisions shown, more matchLoad more$/);
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => grid.getAttribute('aria-rowcount')).toBe('103');
    expect(await page.locator('.load-more').textContent()).toBe('102 decisions shown');
    await grid.locator('.body').press('End'); // the rows are virtualised: the oldest are drawn once scrolled to
    const row = grid.getByRole('row').filter({ hasText: fullBlock });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/^Narrowed to 15% overridden \(was Blocked\)/);
    await row.click();
    await page.getByRole('heading', { level: 1, name: 'Narrowed to 15%' }).waitFor();
    const last = page.getByRole('list', { name: 'Overrides' }).getByRole('listitem').last();
    expect(await last.textContent()).toContain(`set Narrowed to 15%: ${reason}`);
  });

  it('shows a decision’s errors per side, the pairs counted as fails and the top error messages', async () => {
    // A candidate that answers every English case with every policy's name and throws on every Spanish one.
    writeFileSync(join(dir, 'flaky.mjs'), "export default (x) => { if (x.lang === 'es') throw new Error('Spanish model unavailable'); return 'See the refund policy, privacy policy, cancellation policy and shipping policy.'; };\n");
    writeFileSync(
      join(dir, 'flaky.yaml'),
      `version: 1\nproject: support-bot\ntarget: { type: module, path: ./flaky.mjs }\ndataset: { name: support-cases, path: ${resolve('examples/support-bot/data/cases.jsonl')} }\nmetrics:\n  - { name: cites_policy, owner: product@example.com, scorer: { type: icontains, value: "{{expected.keyword}}" } }\n`,
    );
    const run = await runCli(['run', '-c', join(dir, 'flaky.yaml'), '--json', '--no-cache'], { env });
    const runId = JSON.parse(run.stdout).runId as string;
    const decided = await apiClient(serve.url)(keys['engineer'], 'POST', '/projects/support-bot/gate-decisions', { policy: { rules: [{ metric: 'cites_policy', noRegression: true, action: 'block' }] }, candidate: runId, baseline: runIds[0] });
    expect(decided.status, JSON.stringify(decided.body)).toBe(201);
    expect(decided.body.outcome).toBe('block');
    const errored = decided.body.errors.candidate.examples as number;
    expect(errored).toBeGreaterThan(0);
    await page.goto(`${serve.url}/p/support-bot/decisions/${decided.body.decisionId}`);
    const region = page.getByRole('region', { name: 'Errors and missing results' });
    await region.waitFor();
    const perSide = region.getByRole('table', { name: 'Errored examples per side' });
    expect(await perSide.getByRole('row', { name: /^Candidate/ }).textContent()).toMatch(new RegExp(`^Candidate${errored} of \\d+.*${errored}× Spanish model unavailable`));
    expect(await perSide.getByRole('row', { name: /^Baseline/ }).textContent()).toMatch(/^Baseline0 of \d+0\.0%/);
    expect(await region.getByRole('table', { name: 'Pairs counted as fails' }).getByRole('row', { name: /cites_policy/ }).textContent()).toBe(`cites_policy0${errored}`);
    expect(await region.textContent()).toMatch(/the error rate rose/);
    const builtIn = page.getByRole('table', { name: 'Findings' }).getByRole('row', { name: /built-in: target-error rate/ });
    expect(await builtIn.textContent()).toMatch(/^Failed/);
  });

  it('logged no console error and no uncaught exception', () => {
    expect(errors).toEqual([]);
  });
});
