/**
 * Subsets and coverage in the web UI, as people use them: the real `evalops serve`, runs and gates
 * through the CLI, production traces sent by the real OpenTelemetry SDK over OTLP, driven in Debian's
 * Chromium. The decision and run pages show the PR subset (name, size, seed, MDE per rule, the full
 * suite decides on main) and the coverage line; the dataset page shows each slice's staleness; the
 * coverage view compares production and dataset shares, lists the slice seen only in production with
 * links to its traces and the command to promote them — with no console error on the way.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { launchBrowser, openPage, screenshotDir } from '../support/browser.js';
import { apiClient, createKeyLocally, startServe, type ServeProcess } from '../support/serve-process.js';

const PROJECT = 'cov-ui';

describe('subsets, coverage and staleness in the web UI (Chromium)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-coverage-ui-'));
  const shots = screenshotDir(join(dir, 'shots'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'ci@example.com' };
  const keys: Record<string, string> = {};
  const cancelTraces: string[] = [];
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];
  let subsetRun = '';
  let decisionId = '';

  const cli = (args: string[]) => runCli(args, { env, cwd: dir });

  beforeAll(async () => {
    // 100 refund and 20 billing examples, all English; three critical ones.
    const rows = Array.from({ length: 120 }, (_, i) => ({ id: `e${String(i).padStart(3, '0')}`, input: i < 100 ? `please refund my order ${i}` : `billing invoice question ${i}`, slices: [i < 100 ? 'intent:refund' : 'intent:billing', 'lang:en'], ...(i < 3 ? { metadata: { critical: true } } : {}) }));
    writeFileSync(join(dir, 'cases.jsonl'), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    writeFileSync(join(dir, 'agent.mjs'), 'export default async () => "ANSWER";\n');
    writeFileSync(
      join(dir, 'evalops.yaml'),
      [
        'version: 1',
        `project: ${PROJECT}`,
        'target: { type: module, path: ./agent.mjs }',
        'dataset: { name: cases, path: ./cases.jsonl }',
        'metrics:',
        '  - { name: answer, owner: qa@example.com, scorer: { type: contains, value: ANSWER } }',
        'run: { cache: false }',
        'subsets:',
        '  pr: { size: 40, seed: 3 }',
        'coverage: { minExamples: 5 }',
        'gate:',
        '  admins: [qa@example.com]',
        '  rules:',
        '    - { metric: answer, noRegression: true, action: block }',
        '    - { minCoverage: 0.9, action: require_approval }',
        '',
      ].join('\n'),
    );
    const full = await cli(['run', '--json']);
    expect(full.code, full.stderr).toBe(0);
    const first = await cli(['gate', '--mode', 'full', '--json']);
    expect(first.code, first.stderr).toBe(3); // approve on the metric, but no traffic yet: the coverage rule is not evaluated
    keys['viewer'] = await createKeyLocally(env, ['--role', 'viewer', '--project', PROJECT, '--name', 'pm@example.com']);
    keys['ingest'] = await createKeyLocally(env, ['--role', 'ingest', '--project', PROJECT, '--name', 'app']);
    keys['owner'] = await createKeyLocally(env, ['--role', 'owner', '--project', PROJECT, '--name', 'qa@example.com']);
    serve = await startServe(env);
    // The first decision needs approval (no traffic); a gate admin approves it so it becomes the baseline.
    const override = await apiClient(serve.url)(keys['owner'], 'POST', `/gate-decisions/${JSON.parse(first.stdout).decisionId}/overrides`, { reason: 'first release, no production traffic yet', evidence: 'https://tickets.example.com/1' });
    expect(override.status, JSON.stringify(override.body)).toBe(201);

    // Production: this week 6 refund and 3 cancel traces (cancel has no example at all); two weeks ago 4 refund.
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'support-bot' }),
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${serve.url}/v1/traces`, headers: { Authorization: `Bearer ${keys['ingest']}` } }))],
    });
    const tracer = provider.getTracer('coverage-ui');
    for (const [intent, n, daysAgo] of [['refund', 6, 0], ['cancel', 3, 0], ['refund', 4, 15]] as const) {
      for (let i = 0; i < n; i++) {
        const startTime = Date.now() - daysAgo * 86_400_000;
        const asked = intent === 'refund' ? `I want a refund for my order ${i}` : `how do I cancel my subscription plan ${i}`;
        const root = tracer.startSpan('agent', { startTime, attributes: { 'evalops.slice.intent': intent, 'evalops.slice.lang': 'en', 'openinference.span.kind': 'AGENT', 'input.value': asked } });
        tracer.startSpan('llm', { startTime }, trace.setSpan(context.active(), root)).end(startTime + 5);
        root.end(startTime + 10);
        if (intent === 'cancel') cancelTraces.push(root.spanContext().traceId);
      }
    }
    await provider.forceFlush();
    await provider.shutdown();

    const subset = await cli(['run', '--subset', 'pr', '--json']);
    expect(subset.code, subset.stderr).toBe(0);
    subsetRun = JSON.parse(subset.stdout).runId;
    const gate = await cli(['gate', '--json']);
    expect(gate.code, gate.stderr).toBe(3);
    const d = JSON.parse(gate.stdout);
    expect(d).toMatchObject({ mode: 'pr', subset: { name: 'pr', size: 40, seed: 3 } });
    decisionId = d.decisionId;

    browser = await launchBrowser();
    ({ page, errors } = await openPage(browser));
    await page.goto(serve.url);
    await page.getByLabel('API key').fill(keys['viewer']!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('pm@example.com · viewer').waitFor();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    serve?.stop();
  });

  it('shows the PR subset and the coverage line on the decision page', async () => {
    await page.goto(`${serve.url}/p/${PROJECT}/decisions/${decisionId}`);
    const subset = page.getByRole('region', { name: 'PR subset pr' });
    await subset.waitFor();
    await expect(subset.textContent()).resolves.toMatch(/40 of 120 \(size 40\)/);
    await expect(subset.textContent()).resolves.toMatch(/Seed\s*3/);
    await expect(subset.textContent()).resolves.toContain('the full suite decides on main');
    const mde = subset.getByRole('table', { name: 'Minimum detectable effect per rule on the subset' });
    await expect(mde.getByRole('row').nth(1).textContent()).resolves.toMatch(/answer noRegression → block.*answer.*40.*(pts|> 100 pts).*(detectable|not detectable on the PR subset)/);
    const line = page.getByRole('region', { name: 'Coverage of production' });
    await expect(line.textContent()).resolves.toMatch(/Dataset covers 66\.7% of the last 7 days' traffic \(6 of 9 traces in slices with at least 5 examples\); most uncovered: intent:cancel 33\.3%/);
    // The coverage rule's finding, its value and bound as percentages.
    const row = page.getByRole('row', { name: /dataset coverage min 0\.9/ });
    await expect(row.textContent()).resolves.toMatch(/Failed.*66\.7%.*minCoverage 90\.0%.*asks an owner/);
    await page.screenshot({ path: join(shots, 'decision-subset-coverage.png'), fullPage: true });
  });

  it('shows the subset on the run page, with the MDE of the gate decision on it', async () => {
    await page.goto(`${serve.url}/p/${PROJECT}/runs/${subsetRun}`);
    const subset = page.getByRole('region', { name: 'PR subset pr' });
    await subset.getByRole('link', { name: 'Gate decision on this run' }).waitFor();
    await expect(subset.textContent()).resolves.toMatch(/every one of 3 slice\(s\) kept with at least \d+; 3 critical example\(s\) always in/);
    await subset.getByRole('table', { name: 'Minimum detectable effect per rule on the subset' }).waitFor();
    await subset.getByRole('link', { name: 'Gate decision on this run' }).click();
    await page.waitForURL(new RegExp(`/decisions/${decisionId}$`));
  });

  it("shows each slice's staleness on the dataset page, the slice seen only in production rising first", async () => {
    await page.goto(`${serve.url}/p/${PROJECT}/datasets/cases`);
    const table = page.getByRole('table', { name: 'Staleness per slice' });
    await table.getByRole('row').nth(1).waitFor();
    const first = table.getByRole('row').nth(1);
    await expect(first.textContent()).resolves.toMatch(/^intent:canceluncovered0—.*33\.3%.*↑ rising$/);
    const refund = table.getByRole('row', { name: /^intent:refund/ });
    await expect(refund.textContent()).resolves.toMatch(/^intent:refund1000 d ago.*100\.0%.*66\.7%↓ falling$/);
    await page.screenshot({ path: join(shots, 'dataset-staleness.png'), fullPage: true });
  });

  it('compares production and dataset shares, links the uncovered traces and gives the promote command', async () => {
    await page.goto(`${serve.url}/p/${PROJECT}/datasets/cases`);
    await page.getByRole('link', { name: 'coverage of production' }).click();
    await page.getByRole('heading', { name: 'Coverage of production by cases' }).waitFor();
    await expect(page.locator('.coverage-headline').first().textContent()).resolves.toMatch(/Dataset covers 66\.7% of the last 7 days' traffic; 33\.3% falls in slices with fewer than 5 examples/);
    const table = page.getByRole('table', { name: 'Production share vs dataset share' });
    await expect(table.getByRole('row', { name: /^intent:cancel/ }).textContent()).resolves.toMatch(/^intent:cancel33\.3%0\.0%0no$/);
    await expect(table.getByRole('row', { name: /^intent:refund/ }).textContent()).resolves.toMatch(/^intent:refund66\.7%83\.3%100yes$/);
    const uncovered = page.getByRole('list', { name: 'Uncovered slices' });
    const pre = uncovered.locator('pre');
    await expect(pre.textContent()).resolves.toMatch(/^evalops traces promote [0-9a-f]{32}( [0-9a-f]{32})* --dataset cases$/);
    await page.screenshot({ path: join(shots, 'dataset-coverage.png'), fullPage: true });
    const link = uncovered.getByRole('link').first();
    const href = await link.getAttribute('href');
    expect(cancelTraces.some((id) => href?.endsWith(`/traces/${id}`))).toBe(true);
    await link.click();
    await page.waitForURL(/\/traces\/[0-9a-f]{32}$/);
    await page.getByText('agent').first().waitFor();
  });

  it('clusters what users ask with the examples: the cancel questions no example resembles are an uncovered cluster with its traces and promote command', async () => {
    await page.goto(`${serve.url}/p/${PROJECT}/datasets/cases/coverage`);
    const table = page.getByRole('table', { name: 'Clusters of what users ask' });
    await table.waitFor();
    const cancel = table.getByRole('row', { name: /cancel|subscription/ });
    await expect(cancel.textContent()).resolves.toMatch(/33\.3%0no/);
    await expect(cancel.locator('pre').textContent()).resolves.toMatch(/^evalops traces promote [0-9a-f]{32}( [0-9a-f]{32})* --dataset cases$/);
    const href = await cancel.getByRole('link').first().getAttribute('href');
    expect(cancelTraces.some((id) => href?.endsWith(`/traces/${id}`))).toBe(true);
    await expect(table.getByRole('row', { name: /refund/ }).textContent()).resolves.toMatch(/66\.7%100yes/);
    // Turned off, the section is gone (and the clustering not asked for).
    await page.getByLabel('Cluster what users ask').uncheck();
    await page.getByRole('button', { name: 'Measure' }).click();
    await page.waitForURL(/clusters=0/);
    await expect.poll(() => page.getByRole('table', { name: 'Clusters of what users ask' }).count()).toBe(0);
    await page.getByRole('table', { name: 'Production share vs dataset share' }).waitFor();
  });

  it('a malformed attribute mapping is refused in the form, not sent', async () => {
    await page.goto(`${serve.url}/p/${PROJECT}/datasets/cases/coverage`);
    await page.getByLabel('Mapped attributes').fill('lang');
    await page.getByRole('button', { name: 'Measure' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/key=attribute pairs/);
    await page.getByLabel('Mapped attributes').fill('region=app.region');
    await page.getByRole('button', { name: 'Measure' }).click();
    // The server names the field it refuses: the dataset has no slice key "region".
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/region/);
    errors.splice(0, errors.length, ...errors.filter((e) => !/status of 400/.test(e)));
    expect(errors).toEqual([]);
  });
});
