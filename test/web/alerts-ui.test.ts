/**
 * Alerts and monitors in the web UI, as an on-call team uses them: a canary whose quality dropped,
 * seeded through the store (an online rule, scored traces of a live and a canary release, a canary
 * monitor) and evaluated by the real monitor service, which opens the alert; then the real `evalops
 * serve` (no worker, so nothing re-evaluates behind the test's back) on that database, driven in
 * Debian's Chromium. A viewer reads the alert and its evidence — the delta worked out below from the
 * seeded counts, the failing traces, the commands — with no way to move it; an engineer acknowledges
 * and resolves it with a note. Then a second canary monitor, bound to a rollback rule, rolls the
 * canary back: its alert shows resolved as acted with the rollback linked, the monitor shows it
 * stopped, and a paused monitor shows who paused it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MonitorSpecSchema } from '../../src/core/monitor/monitor-spec.js';
import { OnlineRuleSpecSchema } from '../../src/core/online/online-rule.js';
import { evaluateOneMonitor } from '../../src/monitor/evaluate-monitors.js';
import { setMonitorPaused } from '../../src/monitor/pause-monitor.js';
import { SpanSchema } from '../../src/core/span.js';
import { openStore, type Store } from '../../src/store/store.js';
import { launchBrowser, openPage, screenshotDir } from '../support/browser.js';
import { apiClient, startServe } from '../support/serve-process.js';

const PROJECT = 'support-bot';
const RULE = 'prod-quality';
const METRIC = 'cites_policy';
const MONITOR = 'canary-quality';
const ONCALL = 'oncall@example.com';
const VIEWER = 'pm@example.com';
const NOTE = 'Rolled back v2: its prompt dropped the policy citation. Fixed in v3.';

/**
 * 300 sampled traces per release, interleaved over the last 150 minutes (inside the canary monitor's
 * 180-minute window): live v1 passes 9 in 10 (270/300 = 90%), canary v2 passes 6 in 10
 * (180/300 = 60%). The canary is 30.0 points below live; with 300 a side the one-sided
 * two-proportion test is far below alpha 0.01, so the monitor fires.
 */
const PER_RELEASE = 300;
const PASSES_PER_TEN: Record<string, number> = { v1: 9, v2: 6 };
interface Seeded {
  readonly traceId: string;
  readonly release: string;
  readonly startMs: number;
  readonly pass: boolean;
}
function seedTraces(nowMs: number): Seeded[] {
  const out: Seeded[] = [];
  for (const [k, release] of ['v1', 'v2'].entries()) {
    for (let i = 0; i < PER_RELEASE; i++) {
      out.push({ traceId: `${k === 0 ? 'a' : 'b'}${i.toString(16).padStart(31, '0')}`, release, startMs: nowMs - 150 * 60_000 + i * 30_000 + k, pass: i % 10 < PASSES_PER_TEN[release]! });
    }
  }
  return out;
}


describe('alerts and monitors in the web UI (Chromium)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-alerts-ui-'));
  const shots = screenshotDir(join(dir, 'shots'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'ci@example.com' };
  const keys: Record<string, string> = {};
  const traces = seedTraces(Date.now());
  /** The five newest failing canary traces: the alert's examples. */
  const newestFailingCanary = () =>
    traces
      .filter((t) => t.release === 'v2' && !t.pass)
      .sort((a, b) => b.startMs - a.startMs)
      .slice(0, 5);
  let serve: { url: string; stop: () => void };
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];
  let alertId = '';
  let canaryReleaseId = '';

  const signIn = async (key: string, who: string): Promise<void> => {
    await page.context().clearCookies();
    await page.goto(serve.url);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(who).waitFor();
  };
  const alertPage = async (): Promise<void> => {
    await page.goto(`${serve.url}/p/${PROJECT}/alerts/${alertId}`);
    await page.getByRole('heading', { level: 2, name: 'Evidence' }).waitFor();
  };
  const timeline = async (): Promise<string[]> => page.getByRole('list', { name: 'Alert timeline' }).getByRole('listitem').allTextContents();

  beforeAll(async () => {
    const store: Store = await openStore(env.EVALOPS_DATABASE_URL);
    try {
      const project = await store.projects.ensure(PROJECT);
      for (const [name, role] of [
        [VIEWER, 'viewer'],
        [ONCALL, 'engineer'],
      ] as const) {
        keys[role] = (await store.apiKeys.create({ role, projectId: project.id, name, createdBy: 'test' })).plaintext;
      }
      const live = await store.releases.ensure(project.id, 'v1');
      await store.releases.apply(live.id, { type: 'gate', outcome: 'approve' }, 'ci');
      await store.releases.apply(live.id, { type: 'promote' }, 'ci');
      const canary = await store.releases.ensure(project.id, 'v2');
      await store.releases.apply(canary.id, { type: 'gate', outcome: 'approve' }, 'ci');
      await store.releases.apply(canary.id, { type: 'promote', percent: 20 }, 'ci');
      canaryReleaseId = canary.id;

      const { rule } = await store.onlineRules.save(
        project.id,
        OnlineRuleSpecSchema.parse({ name: RULE, sampleRate: 1, flags: [], metrics: [{ name: METRIC, owner: 'product@example.com', scorer: { type: 'icontains', value: 'policy' } }] }),
        { backfill: true },
      );
      for (const t of traces) {
        const stored = await store.onlineScores.record(
          { ruleId: rule.id, traceId: t.traceId, projectId: project.id, sampled: true, flags: [], release: t.release, cohort: {}, traceStartMs: t.startMs, latencyMs: 800, costUsd: null, error: false, scoringCostUsd: 0, scoredAt: new Date().toISOString() },
          [{ metric: METRIC, spanId: null, status: 'scored', value: t.pass ? 1 : 0, pass: t.pass, label: null, reason: null, scorerVersion: 'test' }],
        );
        expect(stored).toBe(true);
      }
      // The spans of the failing canary traces the alert will show: the page previews them.
      const failing = newestFailingCanary();
      await store.spans.insertBatch(
        failing.map((t, i) => ({
          projectId: project.id,
          span: SpanSchema.parse({ traceId: t.traceId, spanId: `${i + 1}`.padStart(16, '0'), name: 'support-agent', kind: 'AGENT', otelKind: 'server', status: 'ok', startTimeMs: t.startMs, endTimeMs: t.startMs + 800, durationMs: 800, toolCalls: [], usage: {}, attributes: {}, resource: {}, events: [], release: t.release, input: `Question number ${i} about my refund`, output: `Answer ${i} without the policy` }),
        })),
      );
      const { monitor } = await store.monitors.save(
        project.id,
        MonitorSpecSchema.parse({ name: MONITOR, rule: RULE, metric: METRIC, owner: ONCALL, detector: { kind: 'canary', canary: 'v2', live: 'v1', alpha: 0.01, minSamples: 100, windowMinutes: 180 } }),
      );
      // A second monitor that holds: live's pass rate stays above its floor.
      const { monitor: floor } = await store.monitors.save(project.id, MonitorSpecSchema.parse({ name: 'live-floor', rule: RULE, metric: METRIC, release: 'v1', detector: { kind: 'threshold', threshold: 0.8, minSamples: 100, windowMinutes: 120 } }));
      // One nobody has evaluated yet.
      await store.monitors.save(project.id, MonitorSpecSchema.parse({ name: 'drift-watch', rule: RULE, metric: METRIC }));
      // A change monitor still learning its reference: the page says when it arms and what it can detect (issue 15).
      const { monitor: trend } = await store.monitors.save(project.id, MonitorSpecSchema.parse({ name: 'trend-watch', rule: RULE, metric: METRIC, release: 'v1' }));
      expect((await evaluateOneMonitor(store, trend)).evaluation?.warmingUp).toBe(true);

      const tick = await evaluateOneMonitor(store, monitor);
      expect(tick.error).toBeNull();
      expect(tick.alert?.change).toBe('opened');
      alertId = tick.alert!.id;
      expect((await evaluateOneMonitor(store, floor)).evaluation?.firing).toBe(false);
    } finally {
      await store.close();
    }
    serve = await startServe(env, ['--no-worker']);
    browser = await launchBrowser();
    ({ page, errors } = await openPage(browser));
  });
  afterAll(async () => {
    await browser?.close();
    serve?.stop();
  });

  it('lists the open alert for a viewer, and filters by status on the server', async () => {
    await signIn(keys['viewer']!, `${VIEWER} · viewer`);
    await page.goto(`${serve.url}/p/${PROJECT}/alerts`);
    const table = page.getByRole('table', { name: /first/ });
    await table.waitFor();
    const rows = (await table.getByRole('row').allTextContents()).slice(1);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(new RegExp(`^Openpage\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d${METRIC} on canary v2 -30\\.0 points \\(${MONITOR}\\)—$`));
    await page.getByLabel('Status').selectOption('resolved');
    await page.getByText('No resolved alerts.').waitFor();
    expect(page.url()).toMatch(/\?status=resolved$/);
    await page.getByLabel('Status').selectOption('unresolved');
    await page.getByRole('link', { name: new RegExp(`\\(${MONITOR}\\)$`) }).click();
    await page.getByRole('heading', { level: 2, name: 'Evidence' }).waitFor();
    expect(page.url()).toBe(`${serve.url}/p/${PROJECT}/alerts/${alertId}`);
    expect(errors).toEqual([]);
  });

  it('shows the evidence to act on: the drop in points from the seeded counts, the failing traces, the commands, the rollback', async () => {
    const canary = traces.filter((t) => t.release === 'v2');
    const live = traces.filter((t) => t.release === 'v1');
    const canaryPassed = canary.filter((t) => t.pass).length;
    const livePassed = live.filter((t) => t.pass).length;
    const deltaPoints = ((canaryPassed / canary.length - livePassed / live.length) * 100).toFixed(1).replace('-', '−');
    expect(deltaPoints).toBe('−30.0');

    const facts = Object.fromEntries(
      await page
        .locator('.alert-facts > div')
        .evaluateAll((divs) => divs.map((d) => [d.querySelector('dt')?.textContent ?? '', d.querySelector('dd')?.textContent ?? ''])),
    ) as Record<string, string>;
    expect(facts['Live v1']).toBe(`${((livePassed / live.length) * 100).toFixed(1)}%`);
    expect(facts['Canary v2']).toBe(`${((canaryPassed / canary.length) * 100).toFixed(1)}% (${canaryPassed}/${canary.length} passed)`);
    expect(facts['Change']).toBe(`${deltaPoints} points`);
    expect(Number(facts['p-value'])).toBeLessThan(0.01);
    expect(facts['Cohort']).toBe('release v2, against live v1');
    expect(facts['Signal']).toBe(`${METRIC} pass rate of rule ${RULE} (canary)`);
    expect(await page.locator('.alert-summary').textContent()).toMatch(/^canary v2 cites_policy 60\.0% \(300\) vs live v1 90\.0% \(300\): -30\.0 points, one-sided p = \S+ \(two-proportion z\), alpha 0\.01$/);

    // The examples are the newest failing canary traces, each linked to its trace page, with what it asked and answered.
    const expected = newestFailingCanary().map((t) => t.traceId);
    const links = page.locator('.example-traces a');
    expect(await links.allTextContents()).toEqual(expected);
    expect(await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(expected.map((id) => `/p/${PROJECT}/traces/${id}`));
    const items = page.locator('.example-traces li');
    await expect.poll(async () => (await items.allTextContents()).filter((t) => t.includes('→')).length).toBe(expected.length);
    const previews = await items.allTextContents();
    for (let i = 0; i < expected.length; i++) expect(previews[i]).toContain(`Question number ${i} about my refund → Answer ${i} without the policy`);

    // The triage commands, copyable, and wrapped inside the page (issue 21): nothing runs off to the right.
    const box = await page.locator('pre.commands').boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(page.viewportSize()!.width);
    expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    const commands = (await page.locator('pre.commands').textContent()) ?? '';
    const first = new RegExp(`^evalops online scores --project ${PROJECT} --rule ${RULE} --metric ${METRIC} --release v2 --since (\\S+) --failing --json$`).exec(commands.split('\n')[0]!);
    expect(first).not.toBeNull();
    // Since: the first canary trace in the tested window (the canary started after the window did), to the second.
    const since = first![1]!;
    expect(Date.parse(since)).toBe(Math.min(...traces.filter((t) => t.release === 'v2').map((t) => t.startMs)));
    expect(facts['Since']).toBe(since.slice(0, 19).replace('T', ' '));
    expect(commands).toContain(`evalops traces show ${expected[0]} --project ${PROJECT} --json`);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: serve.url });
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByText('Copied.').waitFor();
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(commands);

    // No rollback rule is bound to this monitor (the acted alert is below).
    await page.getByText('No rollback rule is bound to this monitor; nothing was rolled back.').waitFor();

    // The pass rate of both releases over the last days, from the online series.
    await page.getByRole('img', { name: new RegExp(`${METRIC}: pass rate by release, hourly`) }).waitFor();
    expect(await page.locator('.evidence .chart-summary').textContent()).toBe('Over the last 3 days: v1 90.0% (300 traces), v2 60.0% (300 traces).');

    // A viewer may read, not move.
    expect(await timeline()).toEqual([expect.stringMatching(new RegExp(`^Opened \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d by monitor ${MONITOR}$`)), 'Acknowledged not yet', 'Resolved not yet']);
    expect(await page.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Resolve' }).count()).toBe(0);
    expect(await page.getByLabel('Resolution note').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('shows each monitor with its detector and state, FIRING linked to its open alert', async () => {
    await page.goto(`${serve.url}/p/${PROJECT}/monitors`);
    const table = page.getByRole('table', { name: /Evaluated by the worker/ });
    await table.waitFor();
    const row = (name: string) => table.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });
    expect(await row(MONITOR).getByRole('cell').allTextContents()).toEqual([
      `${METRIC} of rule ${RULE}`,
      'canary v2 vs live v1 (alpha 0.01, ≥ 100 traces each, 180 min)',
      'FIRING',
      '—',
      '—',
      expect.stringMatching(/^canary v2 cites_policy 60\.0% \(300\) vs live v1 90\.0% \(300\): -30\.0 points, .+at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
      `Open alert of ${MONITOR}`,
    ]);
    expect(await row('live-floor').getByRole('cell').nth(2).textContent()).toBe('ok');
    expect(await row('live-floor').getByRole('cell').nth(1).textContent()).toBe('below 80.0% over 120 min (≥ 100 traces)');
    expect(await row('drift-watch').getByRole('cell').nth(2).textContent()).toBe('not evaluated');
    expect(await row('drift-watch').getByRole('cell').nth(6).textContent()).toBe('none');
    // 300 traces of v1 over the last 150-odd minutes (from its first 10-minute bucket): about 2,800 a
    // day, so the 6,700 more traces it needs take (7000 − 300) / rate days.
    const arms = /^in (\d+\.\d) days at (\d+) traces\/day \(7000 traces or 7 days\)$/.exec((await row('trend-watch').getByRole('cell').nth(3).textContent()) ?? '');
    expect(arms).not.toBeNull();
    expect(Number(arms![2])).toBeGreaterThan(2400);
    expect(Number(arms![2])).toBeLessThan(2900);
    expect(Math.abs(Number(arms![1]) - 6700 / Number(arms![2]))).toBeLessThanOrEqual(0.06);
    expect(await row('trend-watch').getByRole('cell').nth(4).textContent()).toMatch(/^\d+\.\d\d false alarms \/ 30 days; a 5-point drop in \d+\.\d h at \d+ traces\/day/);
    // One unresolved alert, counted beside the link to the alerts.
    expect(await page.locator('#main .count-badge').textContent()).toBe('1 unresolved');
    await row(MONITOR).getByRole('link', { name: `Open alert of ${MONITOR}` }).click();
    await page.getByRole('heading', { level: 2, name: 'Evidence' }).waitFor();
    expect(page.url()).toBe(`${serve.url}/p/${PROJECT}/alerts/${alertId}`);
    expect(errors).toEqual([]);
  });

  it('lets an engineer acknowledge, then resolve with a note, and shows who did each', async () => {
    await signIn(keys['engineer']!, `${ONCALL} · engineer`);
    await alertPage();
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.getByRole('button', { name: 'Acknowledge' }).waitFor({ state: 'detached' });
    expect((await timeline())[1]).toMatch(new RegExp(`^Acknowledged by ${ONCALL} at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d$`));
    expect(await page.locator('h1 .badge').first().textContent()).toBe('Acknowledged');
    await page.screenshot({ path: join(shots, 'alert.png'), fullPage: true });

    await page.getByLabel('Resolution note').fill(NOTE);
    await page.getByRole('button', { name: 'Resolve' }).click();
    await page.getByRole('button', { name: 'Resolve' }).waitFor({ state: 'detached' });
    expect(await page.locator('h1 .badge').first().textContent()).toBe('Resolved');
    expect((await timeline())[2]).toMatch(new RegExp(`^Resolved by ${ONCALL} at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d${NOTE.replace(/[.]/g, '\\.')}$`));
    expect(await page.locator('.alert-timeline q').textContent()).toBe(NOTE);

    // What the server stored, and the lists after it.
    const stored = await apiClient(serve.url)(keys['viewer'], 'GET', `/projects/${PROJECT}/alerts/${alertId}`);
    expect(stored.body).toMatchObject({ status: 'resolved', acknowledgedBy: ONCALL, resolvedBy: ONCALL, resolution: NOTE });
    await page.getByRole('link', { name: 'Alerts' }).first().click();
    const list = page.getByRole('table', { name: /first/ });
    await list.getByRole('row').nth(1).waitFor();
    const rows = (await list.getByRole('row').allTextContents()).slice(1);
    expect(rows).toEqual([expect.stringMatching(new RegExp(`^Resolvedpage.+${ONCALL}$`))]);
    await page.getByLabel('Status').selectOption('unresolved');
    await page.getByText('No unresolved alerts.').waitFor();
    expect(errors).toEqual([]);
  });

  it('shows an acted alert resolved with its rollback linked, the monitor stopped, and a paused monitor as paused', async () => {
    const store: Store = await openStore(env.EVALOPS_DATABASE_URL);
    let acted = '';
    let seq = 0;
    try {
      const project = (await store.projects.findByName(PROJECT))!;
      const { monitor } = await store.monitors.save(project.id, MonitorSpecSchema.parse({ name: 'canary-acted', rule: RULE, metric: METRIC, detector: { kind: 'canary', canary: 'v2', live: 'v1', alpha: 0.01, minSamples: 100, windowMinutes: 180 } }));
      await store.rollbackRules.save({ projectId: project.id, releaseId: canaryReleaseId, monitorId: monitor.id, action: 'rollback', percent: null, createdBy: 'test' });
      const tick = await evaluateOneMonitor(store, monitor);
      expect(tick.alert?.change).toBe('opened');
      acted = tick.alert!.id;
      seq = (await store.releases.history(canaryReleaseId)).at(-1)!.seq;
      expect((await evaluateOneMonitor(store, monitor)).stopped).toMatch(/rolled back/);
      const drift = (await store.monitors.find(project.id, 'drift-watch'))!;
      await setMonitorPaused(store, drift, true, ONCALL, 'replaying last week');
    } finally {
      await store.close();
    }
    await page.goto(`${serve.url}/p/${PROJECT}/alerts/${acted}`);
    await page.getByRole('heading', { level: 2, name: 'Evidence' }).waitFor();
    expect(await page.locator('h1 .badge').first().textContent()).toBe('Resolved');
    expect((await timeline())[2]).toMatch(new RegExp(`^Resolved Acted by monitor:canary-acted at .+acted: rolled back release ${canaryReleaseId} \\(v2\\), audit #${seq}$`));
    expect(await page.locator('.rollback-actions li').allTextContents()).toEqual([`Release of v2: rolled back, canary → rolled back (audit #${seq})`]);
    expect(await page.locator('.rollback-actions a').getAttribute('href')).toBe(`/p/${PROJECT}/releases/${canaryReleaseId}`);

    await page.goto(`${serve.url}/p/${PROJECT}/monitors`);
    const table = page.getByRole('table', { name: /Evaluated by the worker/ });
    await table.waitFor();
    const header = (name: string) => table.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) }).getByRole('rowheader');
    expect(await header('canary-acted').textContent()).toMatch(/^canary-actedStopped canary v2 is rolled back \(traffic 0\)/);
    expect(await header('drift-watch').textContent()).toMatch(new RegExp(`^drift-watchPaused by ${ONCALL} since .+: replaying last week — not evaluating or alerting$`));
    expect(await header('live-floor').locator('.monitor-lifecycle').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
