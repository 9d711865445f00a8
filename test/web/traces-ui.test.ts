/**
 * The traces pages as a person uses them: the real `evalops serve`, production traffic sent by the
 * instrumented example app over OTLP (and a batch of older traces, to page through), driven in
 * Debian's Chromium. Filter the list, page it, open a trace, walk its span tree by keyboard to a tool
 * call, add traces to a dataset as an engineer, browse sessions, and find no add button as a viewer —
 * with no console error on the way.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runNode } from '../cli/run-cli.js';
import { createKeyLocally, startServe, type ServeProcess } from '../support/serve-process.js';
import { launchBrowser, openPage, screenshotDir } from '../support/browser.js';

const PROJECT = 'support-bot';
const OLDER = 55;

/** `OLDER` one-span traces of a nightly job, two hours old, as OTLP JSON. */
function olderTraces(now: number) {
  const ns = (ms: number): string => String(BigInt(Math.round(ms)) * 1_000_000n);
  const spans = Array.from({ length: OLDER }, (_, i) => ({
    traceId: `ab${String(i + 1).padStart(30, '0')}`,
    spanId: `cd${String(i + 1).padStart(14, '0')}`,
    name: 'nightly-digest',
    kind: 1,
    startTimeUnixNano: ns(now - 2 * 3.6e6 - i * 1000),
    endTimeUnixNano: ns(now - 2 * 3.6e6 - i * 1000 + 250),
    attributes: [
      { key: 'openinference.span.kind', value: { stringValue: 'CHAIN' } },
      { key: 'evalops.release', value: { stringValue: '1.9.0' } },
    ],
  }));
  return { resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'support-bot' } }] }, scopeSpans: [{ spans }] }] };
}

describe('the traces pages (Chromium)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-traces-ui-'));
  const shots = screenshotDir(join(dir, 'shots'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'ci@example.com' };
  const keys: Record<string, string> = {};
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];

  const signIn = async (key: string, heading: RegExp | string): Promise<void> => {
    await page.goto(`${serve.url}/p/${PROJECT}/traces`);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: heading }).waitFor();
  };
  const rowCount = async (grid: string): Promise<number> => Number(await page.getByRole('grid', { name: grid }).getAttribute('aria-rowcount')) - 1;

  beforeAll(async () => {
    keys['ingest'] = await createKeyLocally(env, ['--role', 'ingest', '--project', PROJECT, '--name', 'support-bot-prod']);
    keys['engineer'] = await createKeyLocally(env, ['--role', 'engineer', '--project', PROJECT, '--name', 'eng@example.com']);
    keys['viewer'] = await createKeyLocally(env, ['--role', 'viewer', '--project', PROJECT, '--name', 'pm@example.com']);
    serve = await startServe(env);
    const older = await fetch(`${serve.url}/v1/traces`, { method: 'POST', headers: { authorization: `Bearer ${keys['ingest']}`, 'content-type': 'application/json' }, body: JSON.stringify(olderTraces(Date.now())) });
    expect(older.status, await older.text()).toBe(200);
    const traffic = await runNode(['--import', 'tsx', 'examples/support-bot/traffic.ts', '--endpoint', serve.url], { env: { EVALOPS_API_KEY: keys['ingest']! } });
    expect(traffic.code, traffic.stderr).toBe(0);
    expect(traffic.stdout).toMatch(/sent 10 traces in 6 sessions .* feedback: 1 up, 3 down/);
    browser = await launchBrowser();
    ({ page, errors } = await openPage(browser));
  });
  afterAll(async () => {
    await browser?.close();
    serve?.stop();
  });

  it('lists traces newest first, 50 at a time, and loads the rest with "Load more"', async () => {
    await signIn(keys['engineer']!, 'Traces');
    const grid = page.getByRole('grid', { name: 'Traces' });
    await grid.waitFor();
    expect(await rowCount('Traces')).toBe(50);
    expect(await grid.getByRole('row').nth(1).textContent()).toMatch(/AGENT\s*support-agent/);
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => rowCount('Traces')).toBe(10 + OLDER);
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
  });

  it('filters on the server by time, release and feedback: the three complaints', async () => {
    const filters = page.getByRole('search', { name: 'Filter traces' });
    await filters.getByLabel('Time').selectOption({ label: 'Last hour' });
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => rowCount('Traces')).toBe(10);
    await filters.getByLabel('Release').fill('2.0.0');
    await filters.getByLabel('Feedback').selectOption({ label: 'Thumbs down' });
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => rowCount('Traces')).toBe(3);
    expect(page.url()).toMatch(/range=1h.*release=2\.0\.0.*hasFeedback=negative/);
    const rows = page.getByRole('grid', { name: 'Traces' }).getByRole('row');
    for (let i = 1; i <= 3; i++) expect(await rows.nth(i).textContent()).toMatch(/support-agent.*ok.*\$0\.\d+.*1 down · 1 comment.*chat-10\d\d/);
    // A filter that matches nothing says so.
    await filters.getByLabel('Attribute').fill('evalops.slice.lang=fr');
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('No trace matches these filters.').waitFor();
    await filters.getByLabel('Attribute').fill('evalops.slice.lang=es');
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => rowCount('Traces')).toBe(3);
    await page.screenshot({ path: join(shots, 'traces.png') });
  });

  it('tells rows apart: input and output previews, model, tokens, cost; status in the span words the trace page uses', async () => {
    const grid = page.getByRole('grid', { name: 'Traces' });
    expect(await grid.getByRole('columnheader').allTextContents()).toEqual(expect.arrayContaining(['Input', 'Output', 'Model', 'Status', 'Tokens', 'Cost', 'Online']));
    const first = grid.getByRole('row').nth(1);
    const cells = first.getByRole('gridcell');
    const headers = (await grid.getByRole('columnheader').allTextContents()).map((h) => h.trim());
    const cell = (name: string) => cells.nth(headers.indexOf(name));
    expect(await cell('Input').textContent()).toMatch(/reembolso/);
    expect(await cell('Output').textContent()).toMatch(/\S/);
    expect(await cell('Output').textContent()).not.toBe('—');
    expect(await cell('Model').textContent()).toMatch(/support-rules-v2/);
    expect(Number((await cell('Tokens').textContent())!.replace(/,/g, ''))).toBeGreaterThan(0);
    expect(await cell('Cost').textContent()).toMatch(/^\$0\.\d+$/);
    const listed = (await cell('Status').textContent())!.trim();
    // The trace page's root span says the same word.
    await cell('Time').getByRole('link').click();
    const detail = page.getByRole('article');
    await expect.poll(() => detail.getByRole('heading', { level: 2 }).textContent()).toMatch(/^support-agent/);
    expect(await detail.getByRole('heading', { level: 2 }).locator('.badge').textContent()).toBe(listed);
    await page.goBack();
    await grid.waitFor();
  });

  it('opens a trace: the span tree as a waterfall, walked by keyboard to the LLM’s tool call and the tool span', async () => {
    const grid = page.getByRole('grid', { name: 'Traces' });
    await grid.locator('.body').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /^Trace support-agent/ }).waitFor();
    const tree = page.getByRole('tree', { name: 'Span tree' });
    const items = tree.getByRole('treeitem');
    expect(await items.count()).toBe(3);
    expect(await items.nth(0).getAttribute('aria-level')).toBe('1');
    expect(await items.nth(1).getAttribute('aria-level')).toBe('2');
    // Bars are placed relative to the trace: the root spans all of it.
    expect(await tree.locator('.span-bar').first().getAttribute('style')).toMatch(/left: 0%; width: 100%/);
    const detail = page.getByRole('article');
    expect(await detail.getByRole('heading', { level: 2 }).textContent()).toMatch(/^support-agent/);
    expect(await detail.getByLabel('Input').textContent()).toMatch(/reembolso/);

    await tree.focus();
    await page.keyboard.press('ArrowDown');
    expect(await items.nth(1).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => detail.getByRole('heading', { level: 2 }).textContent()).toMatch(/^ChatCompletion/);
    expect(await detail.textContent()).toMatch(/Modelsupport-rules-v2 \(acme\)/);
    expect(await detail.textContent()).toMatch(/Tokens\d+ \(\d+ in, \d+ out\)/);
    const output = detail.getByLabel('Output');
    expect(await output.textContent()).toMatch(/assistant.*He recibido tu solicitud de reembolso/s);
    const call = output.getByRole('list', { name: 'Tool calls' }).getByRole('listitem').first();
    expect(await call.textContent()).toMatch(/Tool call lookup_order.*A10\d\d/s);
    expect(await detail.getByRole('row', { name: /llm\.model_name/ }).textContent()).toMatch(/support-rules-v2/);

    await page.keyboard.press('ArrowDown');
    await expect.poll(() => detail.getByRole('heading', { level: 2 }).textContent()).toMatch(/^lookup_order/);
    expect(await detail.textContent()).toMatch(/KindTOOL/);
    await page.keyboard.press('ArrowLeft'); // back to the parent, the agent
    await expect.poll(() => detail.getByRole('heading', { level: 2 }).textContent()).toMatch(/^support-agent/);

    const feedback = page.getByRole('list', { name: 'Feedback' });
    expect(await feedback.textContent()).toMatch(/thumbs down.*I asked for a refund and nothing happened.*C-10\d\d/);
    await page.keyboard.press('ArrowDown');
    await page.screenshot({ path: join(shots, 'trace.png'), fullPage: true });
  });

  it('adds the trace to a dataset as an engineer and says which version holds it', async () => {
    const traceId = /\/traces\/([0-9a-f]{32})$/.exec(page.url())?.[1] ?? '';
    await page.getByRole('button', { name: 'Add to dataset' }).click();
    await page.getByLabel('Dataset name').fill('from ui');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByText(/Use letters, digits/).waitFor();
    await page.getByLabel('Dataset name').fill('from-ui');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const status = page.getByRole('status').filter({ hasText: 'version' });
    await expect.poll(() => status.textContent()).toMatch(/Created version from-ui@[0-9a-f]{12} with 1 trace added \(1 examples in all\)/);
    const shown = /from-ui@([0-9a-f]{12})/.exec((await status.textContent()) ?? '')?.[1];
    const dataset = await runCli(['datasets', 'show', 'from-ui', '--project', PROJECT, '--json'], { env });
    expect(dataset.code, dataset.stderr).toBe(0);
    const doc = JSON.parse(dataset.stdout);
    expect(doc.version.startsWith(shown)).toBe(true);
    expect(doc.examples.map((e: { id: string }) => e.id)).toEqual([`trace_${traceId}`]);
  });

  it('adds selected traces, and all that match the filter, from the list', async () => {
    await page.goBack(); // to the filtered list
    const grid = page.getByRole('grid', { name: 'Traces' });
    await expect.poll(() => rowCount('Traces')).toBe(3);
    await grid.getByRole('checkbox').nth(1).check();
    await grid.getByRole('checkbox').nth(2).check();
    expect(page.url()).toMatch(/\/traces\?/); // selecting does not open the trace
    await page.getByRole('button', { name: 'Add 2 selected to dataset' }).click();
    await page.getByLabel('Dataset name').fill('from-ui');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'version' }).textContent()).toMatch(/Created version from-ui@[0-9a-f]{12} with 2 traces added \(3 examples in all\)/);

    await page.getByRole('button', { name: 'Add all matching the filter to dataset' }).click();
    await page.getByRole('form', { name: 'Add all matching the filter to dataset' }).getByLabel('Dataset name').fill('complaints');
    await page.getByRole('form', { name: 'Add all matching the filter to dataset' }).getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'complaints' }).textContent()).toMatch(/Created version complaints@[0-9a-f]{12} with 3 traces added/);
  });

  it('lists sessions and opens one: its traces in order', async () => {
    await page.getByRole('link', { name: 'Sessions' }).click();
    await expect.poll(() => rowCount('Sessions')).toBe(6);
    const row = page.getByRole('grid', { name: 'Sessions' }).getByRole('row').filter({ hasText: 'chat-1002' });
    expect(await row.textContent()).toMatch(/chat-1002.*C-1002.*2.*1 down/);
    await row.click();
    await page.getByRole('heading', { name: 'Session chat-1002' }).waitFor();
    expect(await rowCount('Session traces')).toBe(2);
    // Oldest first (the SDK stamps starts to the millisecond, so two turns may share one), and the refund the customer disliked among them.
    const grid = page.getByRole('grid', { name: 'Session traces' });
    const times = [await grid.locator('time').nth(0).getAttribute('datetime'), await grid.locator('time').nth(1).getAttribute('datetime')];
    expect(times[0]! <= times[1]!, times.join(' then ')).toBe(true);
    expect(await grid.getByRole('row').filter({ hasText: '1 down · 1 comment' }).count()).toBe(1);
  });

  it('offers no "Add to dataset" and no selection to a viewer', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    await signIn(keys['viewer']!, 'Traces');
    await expect.poll(() => rowCount('Traces')).toBe(50);
    expect(await page.getByRole('checkbox', { name: /Select trace/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /to dataset/ }).count()).toBe(0);
    await page.getByRole('grid', { name: 'Traces' }).getByRole('row').nth(1).click();
    await page.getByRole('heading', { name: /^Trace support-agent/ }).waitFor();
    await page.getByRole('tree', { name: 'Span tree' }).waitFor();
    expect(await page.getByRole('button', { name: /dataset/i }).count()).toBe(0);
    expect(await page.getByText('pm@example.com · viewer').count()).toBe(1);
  });

  it('logged no console error and no uncaught exception', () => {
    expect(errors).toEqual([]);
  });
});
