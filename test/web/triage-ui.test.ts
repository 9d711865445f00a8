/**
 * The triage page in Debian's Chromium, on the real `evalops serve`: the support-bot example's runs
 * (v2 loses the refund policy citation on Spanish refunds) and a canary alert seeded through the
 * store (live v1 passes 9 in 10, canary v2 4 in 10; the canary's failing traces end in error). A
 * viewer opens Triage from a run and reads the clusters with no way to promote; an engineer triages
 * the comparison, copies the commands, promotes the cluster through the confirm dialog (by keyboard;
 * a refusal shows inline) and the new dataset version exists through the API; the alert's triage
 * shows what moved, when the cluster started and the release it concentrates in; the traces page
 * triages its filter. axe finds no serious violation on the triage pages.
 */
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MonitorSpecSchema } from '../../src/core/monitor/monitor-spec.js';
import { OnlineRuleSpecSchema } from '../../src/core/online/online-rule.js';
import { SpanSchema } from '../../src/core/span.js';
import { evaluateOneMonitor } from '../../src/monitor/evaluate-monitors.js';
import { openStore } from '../../src/store/store.js';
import { launchBrowser, watchErrors } from '../support/browser.js';
import { seedRunsAndGates } from '../support/seed-support-bot.js';
import { apiClient, startServe, type ServeProcess } from '../support/serve-process.js';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const PROJECT = 'support-bot';
const RULE = 'prod-quality';
const METRIC = 'cites_policy';
const VIEWER = 'pm@example.com';
const ENGINEER = 'oncall@example.com';
const PER_RELEASE = 60;
const PASSES_PER_TEN: Record<string, number> = { v1: 9, v2: 4 };

interface Seeded {
  readonly traceId: string;
  readonly release: string;
  readonly startMs: number;
  readonly pass: boolean;
}

/** 60 scored traces per release over the last 100 minutes, inside the canary monitor's 180-minute window. */
function seedTraces(nowMs: number): Seeded[] {
  const out: Seeded[] = [];
  for (const [k, release] of ['v1', 'v2'].entries()) {
    for (let i = 0; i < PER_RELEASE; i++) out.push({ traceId: `${k === 0 ? 'a' : 'b'}${i.toString(16).padStart(31, '0')}`, release, startMs: nowMs - 100 * 60_000 + i * 60_000 + k, pass: i % 10 < PASSES_PER_TEN[release]! });
  }
  return out;
}

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

describe('triage page (Chromium)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-triage-ui-'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'ci@example.com' };
  const keys: Record<string, string> = {};
  const traces = seedTraces(Date.now());
  const failingCanary = traces.filter((t) => t.release === 'v2' && !t.pass);
  let runIds: string[] = [];
  let alertId = '';
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];
  let call: ReturnType<typeof apiClient>;

  const signIn = async (key: string, who: string): Promise<void> => {
    await page.context().clearCookies();
    await page.goto(serve.url);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(who).waitFor();
  };
  const clustersShown = async (): Promise<string[]> => page.locator('.cluster-card h3').allTextContents();
  const serious = async (): Promise<string[]> => {
    if (!(await page.evaluate<boolean>('typeof window.axe === "object"'))) await page.addScriptTag({ path: AXE });
    const found = await page.evaluate<Violation[]>('axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations)');
    return found.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
  };

  beforeAll(async () => {
    ({ runIds } = await seedRunsAndGates(env));
    const store = await openStore(env.EVALOPS_DATABASE_URL);
    try {
      const project = await store.projects.ensure(PROJECT);
      for (const [name, role] of [
        [VIEWER, 'viewer'],
        [ENGINEER, 'engineer'],
      ] as const) {
        keys[role] = (await store.apiKeys.create({ role, projectId: project.id, name, createdBy: 'test' })).plaintext;
      }
      const live = await store.releases.ensure(project.id, 'v1');
      await store.releases.apply(live.id, { type: 'gate', outcome: 'approve' }, 'ci');
      await store.releases.apply(live.id, { type: 'promote' }, 'ci');
      const canary = await store.releases.ensure(project.id, 'v2');
      await store.releases.apply(canary.id, { type: 'gate', outcome: 'approve' }, 'ci');
      await store.releases.apply(canary.id, { type: 'promote', percent: 20 }, 'ci');
      const { rule } = await store.onlineRules.save(
        project.id,
        OnlineRuleSpecSchema.parse({ name: RULE, sampleRate: 1, flags: [], metrics: [{ name: METRIC, owner: 'product@example.com', scorer: { type: 'icontains', value: 'policy' } }] }),
        { backfill: true },
      );
      for (const t of traces) {
        const stored = await store.onlineScores.record(
          { ruleId: rule.id, traceId: t.traceId, projectId: project.id, sampled: true, flags: [], release: t.release, cohort: {}, traceStartMs: t.startMs, latencyMs: 800, costUsd: null, error: false, scoringCostUsd: 0, scoredAt: new Date().toISOString() },
          [{ metric: METRIC, spanId: null, status: 'scored', value: t.pass ? 1 : 0, pass: t.pass, label: null, reason: t.pass ? null : 'no policy citation', scorerVersion: 'test' }],
        );
        expect(stored).toBe(true);
      }
      // The spans of every failing trace: the canary's end in error (a timeout), live's answer without the policy.
      await store.spans.insertBatch(
        traces
          .filter((t) => !t.pass)
          .map((t, i) => ({
            projectId: project.id,
            span: SpanSchema.parse({
              traceId: t.traceId,
              spanId: `${i + 1}`.padStart(16, '0'),
              name: 'support-agent',
              kind: 'AGENT',
              otelKind: 'server',
              status: t.release === 'v2' ? 'error' : 'ok',
              startTimeMs: t.startMs,
              endTimeMs: t.startMs + 800,
              durationMs: 800,
              toolCalls: [],
              usage: {},
              attributes: {},
              resource: {},
              events: [],
              release: t.release,
              input: t.release === 'v2' ? `Refund question ${i}: where is my money back` : `Shipping question ${i}: when does the parcel arrive`,
              output: t.release === 'v2' ? 'upstream timeout calling the refund tool' : 'It ships next week',
            }),
          })),
      );
      const { monitor } = await store.monitors.save(
        project.id,
        MonitorSpecSchema.parse({ name: 'canary-quality', rule: RULE, metric: METRIC, owner: ENGINEER, detector: { kind: 'canary', canary: 'v2', live: 'v1', alpha: 0.01, minSamples: 30, windowMinutes: 180 } }),
      );
      const tick = await evaluateOneMonitor(store, monitor);
      expect(tick.error).toBeNull();
      expect(tick.alert?.change).toBe('opened');
      alertId = tick.alert!.id;
    } finally {
      await store.close();
    }
    serve = await startServe(env, ['--no-worker']);
    call = apiClient(serve.url);
    browser = await launchBrowser();
    // The page's CSP forbids inline scripts; this context bypasses it to inject axe (as a11y-ui.test.ts does).
    page = await (await browser.newContext({ viewport: { width: 1366, height: 900 }, bypassCSP: true })).newPage();
    page.setDefaultTimeout(10_000);
    errors = watchErrors(page);
  });
  afterAll(async () => {
    await browser?.close();
    serve?.stop();
  });

  it("opens from a run page for a viewer: the run's failure clusters as the API gives them, no promote, and representatives linked to the run's results", async () => {
    const v2 = runIds[1]!;
    await signIn(keys['viewer']!, `${VIEWER} · viewer`);
    await page.goto(`${serve.url}/p/${PROJECT}/runs/${v2}`);
    await page.getByRole('link', { name: 'Triage failures' }).click();
    await page.getByRole('heading', { level: 1, name: `Triage: failures of run ${v2}` }).waitFor();
    expect(page.url()).toBe(`${serve.url}/p/${PROJECT}/triage?run=${v2}`);
    const report = (await call(keys['viewer'], 'GET', `/runs/${v2}/triage`)).body;
    expect(report.clusters.length).toBeGreaterThan(0);
    await page.locator('.cluster-card').first().waitFor();
    expect(await clustersShown()).toEqual(report.clusters.map((c: any) => `${c.id} ${c.id === 'noise' ? 'Unclustered items' : c.name}`));
    expect(await page.locator('.meta').first().textContent()).toContain(`${report.items} failing item${report.items === 1 ? '' : 's'} clustered`);
    // A viewer reads; promoting needs the engineer role.
    expect(await page.getByRole('button', { name: /Promote/ }).count()).toBe(0);
    await page.getByText('Promoting a cluster into a dataset needs the engineer role.').waitFor();

    // The first representative is a real link to that example's results in the run.
    const c1 = report.clusters[0];
    const rep = c1.representatives[0];
    const card = page.locator(`#cluster-${c1.id}`);
    const link = card.locator('.representatives a').first();
    expect(await link.getAttribute('href')).toBe(`/p/${PROJECT}/runs/${v2}?example=${encodeURIComponent(rep.exampleId)}`);
    await link.click();
    await page.getByText(`Showing the results of example ${rep.exampleId} only.`).waitFor();
    const grid = page.getByRole('grid', { name: 'Results' });
    await grid.waitFor();
    const rows = (await grid.getByRole('row').allTextContents()).slice(1);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.startsWith(rep.exampleId)).toBe(true);
    const total = (await call(keys['viewer'], 'GET', `/runs/${v2}/results?example=${encodeURIComponent(rep.exampleId)}`)).body.total;
    expect(rows).toHaveLength(total);
    await page.getByRole('button', { name: 'Show every result' }).click();
    await expect.poll(async () => (await grid.getByRole('row').count()) - 1).toBeGreaterThan(total);
  });

  it('triages a comparison for an engineer: the Spanish refunds cluster with its enrichment, metrics, owners, representatives and copyable commands', async () => {
    const [v1, v2] = runIds as [string, string];
    await signIn(keys['engineer']!, `${ENGINEER} · engineer`);
    await page.goto(`${serve.url}/p/${PROJECT}/compare?baseline=${v1}&candidate=${v2}`);
    await page.getByRole('link', { name: 'Triage regressions' }).click();
    await page.getByRole('heading', { level: 1, name: `Triage: regressions of ${v2} against ${v1}` }).waitFor();
    const report = (await call(keys['engineer'], 'GET', `/runs/${v1}/compare/${v2}/triage`)).body;
    expect(report.clusters).toHaveLength(1);
    const c = report.clusters[0];
    const card = page.locator('#cluster-c1');
    await card.waitFor();
    const facts = Object.fromEntries(await card.locator('.cluster-facts > div').evaluateAll((divs) => divs.map((d) => [d.querySelector('dt')?.textContent ?? '', d.querySelector('dd')?.textContent ?? '']))) as Record<string, string>;
    expect(facts).toMatchObject({ Size: `${c.size} items`, Share: '100.0% of the failing items', Owners: c.owners.join(', '), 'Slice when promoted': c.slice });
    expect(facts['Started at']).toBeUndefined(); // run results have no start of a production failure mode
    expect(c.owners).toContain('product@example.com');
    // The slice it concentrates in: every item is Spanish, half of the whole; enrichment ×2.0.
    const es = await card.getByRole('table', { name: /Slices it concentrates in/ }).getByRole('row', { name: /^lang:es / }).getByRole('cell').allTextContents();
    expect(es).toEqual([String(c.size), '100.0%', '50.0%', '×2.0']);
    expect(await card.locator('.failing-metrics li').first().textContent()).toBe(`cites_policy: ${c.size} of ${c.size} (100.0%)`);
    // Five representatives, each linked to the comparison with that example open.
    const hrefs = await card.locator('.representatives a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(hrefs).toEqual(c.representatives.map((r: any) => `/p/${PROJECT}/compare?baseline=${v1}&candidate=${v2}&example=${encodeURIComponent(r.exampleId)}`));
    expect(hrefs).toHaveLength(5);

    // The report: the suggested promotion and the commands, ran and to run, copyable.
    expect(await page.locator('.suggested-actions li').first().textContent()).toMatch(/^promote c1: /);
    const commandRows = await page.getByRole('table', { name: 'Commands' }).getByRole('row').allTextContents();
    expect(commandRows.some((r) => r.startsWith(`evalops compare ${v1} ${v2} --json`) && r.includes('ran'))).toBe(true);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: serve.url });
    const ran = page.locator('.copyable').filter({ hasText: 'Commands triage ran' });
    await ran.getByRole('button', { name: 'Copy' }).click();
    await ran.getByText('Copied.').waitFor();
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(report.commands.filter((x: any) => x.status === 'ran').map((x: any) => x.command).join('\n'));
    expect(await serious()).toEqual([]);
  });

  it('promotes the cluster through a keyboard-operable confirm dialog: a refusal shows inline, then the new version is linked and exists through the API', async () => {
    const [v1, v2] = runIds as [string, string];
    const c = (await call(keys['engineer'], 'GET', `/runs/${v1}/compare/${v2}/triage`)).body.clusters[0];
    const open = page.getByRole('button', { name: 'Promote c1 to dataset…' });
    const dialog = page.getByRole('dialog', { name: 'Promote cluster c1 to a dataset' });
    // By keyboard: Enter opens, Escape cancels and gives the focus back.
    await open.focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    expect(await page.evaluate<string>('document.activeElement?.id ?? ""')).toBe(await dialog.getByLabel('Dataset name').getAttribute('id'));
    expect(await dialog.getByLabel('Dataset name').inputValue()).toBe('triage-regressions');
    expect(await serious()).toEqual([]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.evaluate<string>('document.activeElement?.textContent ?? ""')).toBe('Promote c1 to dataset…');

    // The server refuses a name over 200 characters: said in the dialog, nothing written.
    await page.keyboard.press('Enter');
    const name = dialog.getByLabel('Dataset name');
    await name.fill('x'.repeat(201));
    await name.press('Enter');
    const refusal = dialog.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/^Not promoted: .*dataset/);
    expect((await call(keys['engineer'], 'GET', `/projects/${PROJECT}/datasets`)).body.datasets.map((d: any) => d.name)).not.toContain('x'.repeat(201));

    await name.fill('es-refunds-ui');
    await dialog.getByRole('button', { name: 'Promote' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const result = page.locator('#cluster-c1 .promote-result');
    const link = result.getByRole('link');
    await link.waitFor();
    const href = (await link.getAttribute('href'))!;
    const version = new URL(href, serve.url).searchParams.get('version')!;
    expect(href).toBe(`/p/${PROJECT}/datasets/es-refunds-ui?version=${version}`);
    expect(await result.textContent()).toBe(`Created version es-refunds-ui@${version.slice(0, 12)} with ${c.size} examples of c1 in slice ${c.slice} (${c.size} in all).`);
    const shown = await call(keys['viewer'], 'GET', `/projects/${PROJECT}/datasets/es-refunds-ui?version=${version}&limit=100`);
    expect(shown.status).toBe(200);
    expect(shown.body.version).toBe(version);
    expect(shown.body.examples).toHaveLength(c.size);
    for (const e of shown.body.examples) {
      expect(e.slices).toContain(c.slice);
      expect(e.metadata.triage).toMatchObject({ source: { run: v2 }, cluster: { id: 'c1', slice: c.slice } });
    }
    await link.click();
    await page.getByRole('heading', { level: 1, name: 'Dataset es-refunds-ui' }).waitFor();
  });

  it('triages an alert: what moved, when the cluster started, the release it concentrates in, and its traces linked', async () => {
    await page.goto(`${serve.url}/p/${PROJECT}/alerts/${alertId}`);
    await page.getByRole('link', { name: 'Triage this alert' }).click();
    await page.getByRole('heading', { level: 2, name: 'What moved' }).waitFor();
    expect(page.url()).toBe(`${serve.url}/p/${PROJECT}/triage?alert=${alertId}`);
    const report = (await call(keys['engineer'], 'GET', `/projects/${PROJECT}/alerts/${alertId}/triage`)).body;
    expect(report.whatMoved.release).toBe('v2');
    expect(await page.locator('.alert-summary').textContent()).toBe(report.whatMoved.summary);
    await page.locator('.cluster-card').first().waitFor();
    expect(await clustersShown()).toEqual(report.clusters.map((c: any) => `${c.id} ${c.id === 'noise' ? 'Unclustered items' : c.name}`));
    // The cluster holding the canary's failures: it started at its oldest trace and concentrates in v2.
    const onCanary = report.clusters.find((c: any) => c.releases.some((r: any) => r.release === 'v2' && r.enrichment > 1));
    expect(onCanary).toBeDefined();
    const card = page.locator(`#cluster-${onCanary.id}`);
    const started = card.locator('.cluster-facts time');
    expect(await started.getAttribute('datetime')).toBe(onCanary.firstSeen);
    const members = new Set<string>(onCanary.itemKeys);
    const oldest = Math.min(...traces.filter((t) => members.has(t.traceId)).map((t) => t.startMs));
    expect(Date.parse(onCanary.firstSeen)).toBe(oldest);
    const v2row = await card.getByRole('table', { name: /Releases it concentrates in/ }).getByRole('row', { name: /^v2 / }).getByRole('cell').allTextContents();
    const share = onCanary.releases.find((r: any) => r.release === 'v2');
    expect(v2row).toEqual([String(share.count), `${(share.share * 100).toFixed(1)}%`, `${(share.overallShare * 100).toFixed(1)}%`, `×${share.enrichment.toFixed(1)}`]);
    const first = card.locator('.representatives a').first();
    const traceId = onCanary.representatives[0].traceId;
    expect(await first.getAttribute('href')).toBe(`/p/${PROJECT}/traces/${traceId}`);
    expect(await serious()).toEqual([]);
    await first.click();
    await expect.poll(() => page.url()).toBe(`${serve.url}/p/${PROJECT}/traces/${traceId}`);
  });

  it("triages the traces page's filter: the canary's error traces, each a trace link", async () => {
    await page.goto(`${serve.url}/p/${PROJECT}/traces?errors=true`);
    await page.getByRole('link', { name: 'Triage these traces' }).click();
    await page.getByRole('heading', { level: 1, name: /^Triage: traces \(.*errors=true/ }).waitFor();
    expect(new URL(page.url()).searchParams.get('traces')).toBe('1');
    expect(new URL(page.url()).searchParams.get('errors')).toBe('true');
    await page.locator('.cluster-card').first().waitFor();
    expect(await page.locator('.meta').first().textContent()).toMatch(new RegExp(`^${failingCanary.length} failing items clustered`));
    const hrefs = await page.locator('.representatives a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    const canaryIds = new Set(failingCanary.map((t) => t.traceId));
    expect(hrefs.length).toBeGreaterThan(0);
    for (const h of hrefs) expect(canaryIds.has(h!.replace(`/p/${PROJECT}/traces/`, ''))).toBe(true);

    // A filter the trace list refuses (a hand-edited address) is the server's 400, named, on the page.
    await page.goto(`${serve.url}/p/${PROJECT}/triage?traces=1&kind=BOGUS`);
    const refused = page.getByRole('alert');
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(/filter\.kind/);
  });

  it('offers runs and alerts to triage from the navigation, and passes axe there', async () => {
    await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Triage' }).click();
    await page.getByRole('heading', { level: 1, name: 'Triage' }).waitFor();
    await page.getByRole('link', { name: `Triage run ${runIds[1]}` }).waitFor();
    await expect.poll(() => page.getByRole('link', { name: /^Triage: / }).count()).toBe(1); // the alerts load apart from the runs
    expect(await serious()).toEqual([]);
  });

  it('logged no console error but the two refusals (the promotion, the filter)', () => {
    expect(errors.filter((e) => !/^Failed to load resource: the server responded with a status of 400/.test(e))).toEqual([]);
    expect(errors.length).toBeLessThanOrEqual(2);
  });
});
