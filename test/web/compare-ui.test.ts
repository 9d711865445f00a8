/**
 * The compare page, the run page's filters and charts, datasets and trends as a person uses them:
 * the real `evalops serve` with two support-bot runs (v2 regresses on Spanish refunds) seeded
 * through the CLI, driven in Debian's Chromium — with no console error on the way.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { startServe, type ServeProcess } from '../support/serve-process.js';
import { launchBrowser, screenshotDir, watchErrors } from '../support/browser.js';

describe('compare, run filters and charts, datasets and trends in the web UI (Chromium)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-compare-ui-'));
  const shots = screenshotDir(join(dir, 'shots'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'ci@example.com' };
  let server: ServeProcess;
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];
  let url = '';
  let key = '';
  let v1 = '';
  let v2 = '';
  let firstVersion = '';
  let secondVersion = '';

  beforeAll(async () => {
    for (const config of ['evalops.yaml', 'evalops.v2.yaml']) {
      const run = await runCli(['run', '-c', `examples/support-bot/${config}`, '--json'], { env });
      expect(run.code, run.stderr).toBe(0);
      if (v1) v2 = JSON.parse(run.stdout).runId;
      else v1 = JSON.parse(run.stdout).runId;
    }
    // A second version of the dataset: one example dropped, one changed, one added.
    const lines = readFileSync('examples/support-bot/data/cases.jsonl', 'utf8').trim().split('\n');
    const changed = lines.slice(1).map((l) => (l.includes('"refund-es-01"') ? l.replace('"source": "trace"', '"source": "escalation"') : l));
    changed.push(JSON.stringify({ id: 'refund-es-99', input: { message: '¿Me devuelven el dinero?', lang: 'es', customerId: 'C-9999' }, expected: { keyword: 'refund policy' }, slices: ['intent:refund', 'lang:es'], source: 'trace' }));
    const file = join(dir, 'cases-v2.jsonl');
    writeFileSync(file, `${changed.join('\n')}\n`);
    const versions = await runCli(['datasets', 'show', 'support-cases', '--project', 'support-bot', '--json'], { env });
    firstVersion = JSON.parse(versions.stdout).version;
    const imported = await runCli(['datasets', 'import', file, '--name', 'support-cases', '--project', 'support-bot', '--json'], { env });
    expect(imported.code, imported.stderr).toBe(0);
    secondVersion = JSON.parse(imported.stdout).version;
    const created = await runCli(['keys', 'create', '--role', 'viewer', '--project', 'support-bot', '--name', 'pm@example.com', '--json'], { env });
    expect(created.code, created.stderr).toBe(0);
    key = JSON.parse(created.stdout).secret;
    server = await startServe(env);
    url = server.url;
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.setDefaultTimeout(60_000);
    errors = watchErrors(page);
    await page.goto(url);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Scorecard · support-bot' }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    server?.stop();
  });

  it('opens the comparison from the run page with the previous run as the baseline', async () => {
    await page.goto(`${url}/p/support-bot/runs/${v2}`);
    await page.getByRole('link', { name: 'Compare with…' }).click();
    await page.getByRole('heading', { name: 'Compare runs' }).waitFor();
    await expect.poll(() => page.getByLabel('Baseline run', { exact: true }).inputValue()).toBe(v1);
    expect(await page.getByLabel('Candidate run', { exact: true }).inputValue()).toBe(v2);
    expect(new URL(page.url()).searchParams.get('baseline')).toBe(v1);
  });

  it('shows each metric’s delta with its interval, and the drop of cites_policy in Spanish refunds on the heat-map', async () => {
    await page.goto(`${url}/p/support-bot/compare?baseline=${v1}&candidate=${v2}`);
    const row = page.getByRole('row', { name: /^cites_policy/ }).first();
    await expect.poll(() => row.textContent()).toMatch(/−\d+\.\d pts.*regressed/);
    expect(await row.getByRole('img').getAttribute('aria-label')).toMatch(/^cites_policy: delta −\d+\.\d pts, 95% interval −\d+\.\d pts to [−+±]\d+\.\d pts$/);

    const heatmap = page.getByRole('table', { name: /Change in each metric/ });
    for (const slice of ['intent:refund', 'lang:es']) {
      const cell = heatmap.locator(`td[data-metric="cites_policy"][data-slice="${slice}"]`);
      const label = (await cell.getByRole('button').getAttribute('aria-label')) ?? '';
      expect(label, slice).toMatch(new RegExp(`^cites_policy in ${slice}: −(\\d+\\.\\d) pts .*regressed`));
      expect(Number(/−(\d+\.\d) pts/.exec(label)![1]), slice).toBeGreaterThan(10);
      // The number and the ▼ mark are in the cell itself; the colour is from the orange (drop) side.
      expect(await cell.textContent()).toMatch(/^▼ −\d+\.\d pts$/);
      const rgb = (await cell.evaluate((el) => String((globalThis as any).getComputedStyle(el).backgroundColor))).match(/\d+/g)!.map(Number);
      expect(rgb[0]!, slice).toBeGreaterThan(rgb[2]!);
    }
    // English cases did not move: no mark, no colour step beyond neutral.
    const en = heatmap.locator('td[data-metric="cites_policy"][data-slice="lang:en"]');
    expect(await en.textContent()).not.toContain('▼');
    await page.screenshot({ path: join(shots, 'compare.png'), fullPage: true });
  });

  it('lists the flipped examples with the Spanish refunds going pass → fail first, and narrows to a heat-map cell', async () => {
    const grid = page.getByRole('grid', { name: 'Flipped examples' });
    await grid.waitFor();
    const rows = grid.getByRole('row');
    const first = await rows.nth(1).textContent();
    expect(first).toMatch(/refund-es-\d+.*cites_policy: pass → fail/);
    // Every pass → fail row comes before the first fail → pass-only row.
    const texts = await rows.allTextContents();
    const body = texts.slice(1);
    const lastDrop = body.map((t) => t.includes('pass → fail')).lastIndexOf(true);
    const firstGainOnly = body.findIndex((t) => !t.includes('pass → fail'));
    expect(firstGainOnly === -1 || firstGainOnly > lastDrop).toBe(true);

    await page.getByRole('table', { name: /Change in each metric/ }).locator('td[data-metric="cites_policy"][data-slice="lang:es"] button').click();
    await expect.poll(() => page.getByText('Showing cites_policy in lang:es').count()).toBe(1);
    await expect.poll(async () => (await grid.getByRole('row').allTextContents()).slice(1).every((t) => t.includes('lang:es') && t.includes('cites_policy'))).toBe(true);
    expect(new URL(page.url()).searchParams.get('slice')).toBe('lang:es');
  });

  it('shows both outputs of a flipped example side by side with the changed words marked', async () => {
    const grid = page.getByRole('grid', { name: 'Flipped examples' });
    const id = /refund-es-\d+/.exec((await grid.getByRole('row').nth(1).textContent()) ?? '')![0];
    // The row is a real link to this comparison with the example open (new tab, copy link).
    expect(await grid.getByRole('row').nth(1).getByRole('link').getAttribute('href')).toContain(`example=${id}`);
    await grid.getByRole('row').nth(1).click();
    const panel = page.getByRole('region', { name: `Example ${id}` });
    await panel.waitFor();
    const before = panel.getByRole('region', { name: `Baseline ${v1}` });
    const after = panel.getByRole('region', { name: `Candidate ${v2}` });
    await expect.poll(async () => (await before.locator('pre').textContent())?.length ?? 0).toBeGreaterThan(0);
    expect(await before.locator('pre').textContent()).not.toBe(await after.locator('pre').textContent());
    expect(await before.locator('del').count()).toBeGreaterThan(0);
    expect(await after.locator('ins').count()).toBeGreaterThan(0);
    expect(await panel.getByRole('row', { name: /^cites_policy/ }).textContent()).toMatch(/pass.*fail/);
    await panel.screenshot({ path: join(shots, 'compare-example.png') });
  });

  it('filters a run’s results by a metric’s failures and by slice, paged by the server', async () => {
    await page.goto(`${url}/p/support-bot/runs/${v2}`);
    const results = page.getByRole('grid', { name: 'Results' });
    await results.waitFor();
    expect(await results.getAttribute('aria-rowcount')).toBe('91');
    await page.getByLabel('Failed on metric', { exact: true }).selectOption('cites_policy');
    await page.getByLabel('Slice', { exact: true }).selectOption('lang:es');
    await expect.poll(async () => Number(await results.getAttribute('aria-rowcount'))).toBeLessThan(46);
    const rows = (await results.getByRole('row').allTextContents()).slice(1);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((t) => /-es-/.test(t) && t.includes('cites_policy: fail'))).toBe(true);
    // The grid is virtualised: rows off screen are not rendered, so the count comes from aria-rowcount.
    const matching = Number(await results.getAttribute('aria-rowcount')) - 1;
    expect(rows.length).toBeLessThanOrEqual(matching);
    expect(await page.getByText(`${matching} results match`).count()).toBe(1);
  });

  it('draws pass rate by slice and the latency histogram of the run, each with its text alternative', async () => {
    const slices = page.getByRole('figure', { name: 'Pass rate by slice · cites_policy' });
    const svg = slices.getByRole('img');
    await expect.poll(async () => (await svg.count()) === 1 && (await svg.getAttribute('aria-labelledby')) !== null).toBe(true);
    expect(await slices.textContent()).toMatch(/cites_policy pass rate in \d+ slices, \d+\.\d% overall; lowest .* at \d+\.\d%/);
    expect(await slices.locator('rect.bar').count()).toBeGreaterThan(5);
    await slices.getByText('Show the numbers').click();
    expect(await slices.getByRole('row', { name: /^lang:es/ }).textContent()).toMatch(/lang:es\d+\d+\.\d%/);
    const latency = page.getByRole('figure', { name: 'Latency distribution' });
    expect(await latency.textContent()).toMatch(/\d+ latencies from .* median .* p95/);
    expect(await latency.locator('rect.bar').count()).toBeGreaterThan(0);
    await slices.screenshot({ path: join(shots, 'chart-slices.png') });
  });

  it('draws the trends over runs: pass rate per metric, cost per success and latency', async () => {
    await page.getByRole('link', { name: 'Trends' }).click();
    const trend = page.getByRole('figure', { name: 'Pass rate by metric over runs' });
    await trend.waitFor();
    expect(await trend.textContent()).toMatch(/2 completed runs, oldest first\. From the first to the last: .*cites_policy \d+\.\d% → \d+\.\d%/);
    expect(await trend.locator('polyline').count()).toBeGreaterThan(2);
    await trend.getByText('Show the numbers').click();
    expect(await trend.getByRole('row').count()).toBe(3);
    expect(await trend.getByRole('row', { name: new RegExp(v2) }).count()).toBe(1);
    expect(await page.getByRole('figure', { name: 'Cost per successful result over runs' }).count()).toBe(1);
    expect(await page.getByRole('figure', { name: 'Latency over runs' }).count()).toBe(1);
    await trend.screenshot({ path: join(shots, 'chart-trends.png') });
  });

  it('lists datasets, shows a version with its examples and slices, and diffs two versions', async () => {
    await page.getByRole('link', { name: 'Datasets' }).click();
    await page.getByRole('link', { name: 'support-cases' }).click();
    await page.getByRole('heading', { name: 'Dataset support-cases' }).waitFor();
    // The newest version by default: 90 examples (one dropped, one added).
    await expect.poll(() => page.getByLabel('Version', { exact: true }).inputValue()).toBe(secondVersion);
    const examples = page.getByRole('grid', { name: 'Examples' });
    expect(await examples.getAttribute('aria-rowcount')).toBe('91');
    expect(await page.getByRole('list', { name: /Slices/ }).textContent()).toMatch(/lang:es\s*46/);
    await page.getByLabel('Version', { exact: true }).selectOption(firstVersion);
    await expect.poll(() => page.getByText(`Version ${firstVersion}`).count()).toBe(1);
    expect(await examples.getByRole('row', { name: /account-en-01/ }).textContent()).toMatch(/How do I reset my password\?.*privacy policy.*intent:account, lang:en.*manual/);

    // Diffed from the older version to the newer, whichever of the two is open.
    await page.getByLabel('Diff with', { exact: true }).selectOption(secondVersion);
    await page.getByRole('heading', { name: 'Version diff · support-cases' }).waitFor();
    await expect.poll(() => page.getByText('1 added · 1 removed · 1 changed · 88 unchanged').count()).toBe(1);
    expect(await page.getByRole('grid', { name: 'Added examples' }).textContent()).toContain('refund-es-99');
    expect(await page.getByRole('grid', { name: 'Removed examples' }).textContent()).toContain('account-en-01');
    await page.screenshot({ path: join(shots, 'dataset-diff.png'), fullPage: true });
    expect(new URL(page.url()).searchParams.get('from')).toBe(firstVersion);
    expect(await page.getByRole('grid', { name: 'Changed examples' }).textContent()).toMatch(/refund-es-01.*source.*source: trace.*source: escalation/);
  });

  it('loads a large diff a page at a time: the counts of every list, then 100 examples of a list per "Load more"', async () => {
    const big = (n: number, tag: string) => Array.from({ length: n }, (_, i) => JSON.stringify({ id: `e${String(i).padStart(4, '0')}`, input: `${tag} ${i}` })).join('\n');
    writeFileSync(join(dir, 'big-v1.jsonl'), `${big(10, 'x')}\n`);
    writeFileSync(join(dir, 'big-v2.jsonl'), `${big(250, 'x')}\n`);
    const hashes: string[] = [];
    for (const f of ['big-v1.jsonl', 'big-v2.jsonl']) {
      const res = await runCli(['datasets', 'import', join(dir, f), '--name', 'big', '--project', 'support-bot', '--json'], { env });
      expect(res.code, res.stderr).toBe(0);
      hashes.push(JSON.parse(res.stdout).version);
    }
    const pages: string[] = [];
    const listen = (r: { url: () => string }) => void (r.url().includes('/api/v1/projects/support-bot/datasets/big/diff') && pages.push(new URL(r.url()).searchParams.toString()));
    page.on('request', listen);
    await page.goto(`${url}/p/support-bot/datasets/big/diff?from=${hashes[0]}&to=${hashes[1]}`);
    await expect.poll(() => page.getByText('240 added · 0 removed · 0 changed · 10 unchanged').count()).toBe(1);
    const added = page.getByRole('grid', { name: 'Added examples' });
    expect(await added.getAttribute('aria-rowcount')).toBe('101');
    const foot = page.locator('.load-more').first();
    expect(await foot.textContent()).toMatch(/^100 added examples shown, more match/);
    await foot.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => added.getAttribute('aria-rowcount')).toBe('201');
    await foot.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => added.getAttribute('aria-rowcount')).toBe('241');
    expect(await foot.textContent()).toBe('240 added examples shown');
    page.off('request', listen);
    // No request asked for more than a page.
    expect(pages.length).toBeGreaterThanOrEqual(5); // the first page of each list, then two more of the added
    for (const q of pages) expect(new URLSearchParams(q).get('limit')).toBe('100');
  });

  it('says so when a compared run does not exist, with the server’s message', async () => {
    await page.goto(`${url}/p/support-bot/compare?baseline=run_missing&candidate=${v2}`);
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/Not found.*run run_missing not found/);
    // The 404 is the one failed request the browser reports; nothing else may log an error.
    expect(errors).toEqual([expect.stringMatching(/status of 404/)]);
    errors.length = 0;
  });

  it('logged no console error and no uncaught exception', () => {
    expect(errors).toEqual([]);
  });
});
