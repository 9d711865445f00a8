/**
 * Online rules in the web UI, as someone coming from Langfuse or Arize reads production quality:
 * two rules seeded through the store — one enabled, with scored traces of two releases over the
 * last five hours (known pass counts and latencies per hour, flag-picked traces that the series
 * must leave out, and an older batch three days back), one paused with nothing scored — then the
 * real `evalops serve` (no worker, so nothing is scored behind the test's back) on that database,
 * driven in Debian's Chromium. Every number the test expects is worked out below from the seeds.
 */
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MonitorSpecSchema } from '../../src/core/monitor/monitor-spec.js';
import { OnlineRuleSpecSchema } from '../../src/core/online/online-rule.js';
import { openStore, type Store } from '../../src/store/store.js';
import { launchBrowser, openPage, screenshotDir } from '../support/browser.js';
import { startServe } from '../support/serve-process.js';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const PROJECT = 'support-bot';
const EMPTY_PROJECT = 'empty-bot';
const RULE = 'prod-quality';
const PAUSED_RULE = 'refunds';
const SESSION_RULE = 'chats';
const DEFAULT_SESSION_RULE = 'chats-default';
const METRIC = 'cites_policy';
const VIEWER = 'pm@example.com';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Per release, the passes of its 20 sampled traces in each of the last five hours, oldest first. */
const PASSES: Record<string, readonly number[]> = { v1: [18, 17, 20, 15, 19], v2: [12, 10, 14, 8, 13] };
const PER_HOUR = 20;

interface Seeded {
  readonly traceId: string;
  readonly release: string;
  readonly startMs: number;
  readonly sampled: boolean;
  readonly flags: readonly string[];
  readonly pass: boolean;
  readonly latencyMs: number;
  readonly scoringCostUsd: number;
  readonly scoredAt: string;
}

/**
 * Five whole hours before the current one: per hour and release 20 sampled traces, three minutes
 * apart, passing as PASSES says; their latencies climb by hour, v2 is 600 ms slower, and the first of
 * each bucket is an outlier (so p95 by nearest rank is the second slowest, not the slowest). One
 * sampled v1 trace an hour is also flagged. Two v2 traces an hour were picked by the error flag only
 * (not sampled, failing, 9 s): the series must not count them. Ten sampled, passing v1 traces three
 * days back, scored then, cost more: they count in the totals but not in today's spend or the last 24 hours.
 */
function seedTraces(nowMs: number): Seeded[] {
  const out: Seeded[] = [];
  const firstHour = Math.floor(nowMs / HOUR) * HOUR - 5 * HOUR;
  const scoredAt = new Date(nowMs).toISOString();
  let n = 0;
  const id = (): string => (n++).toString(16).padStart(32, '0');
  for (let h = 0; h < 5; h++) {
    for (const [k, release] of ['v1', 'v2'].entries()) {
      for (let i = 0; i < PER_HOUR; i++) {
        const latencyMs = i === 0 ? 5_000 + h * 100 : 200 + h * 40 + ((i * 7) % 20) * 25 + k * 600;
        out.push({ traceId: id(), release, startMs: firstHour + h * HOUR + i * 180_000 + k * 1_000, sampled: true, flags: release === 'v1' && i === 5 ? ['long_session'] : [], pass: i < PASSES[release]![h]!, latencyMs, scoringCostUsd: 0.01, scoredAt });
      }
    }
    for (let j = 0; j < 2; j++) {
      out.push({ traceId: id(), release: 'v2', startMs: firstHour + h * HOUR + 1_500_000 + j * 60_000, sampled: false, flags: ['error'], pass: false, latencyMs: 9_000, scoringCostUsd: 0.01, scoredAt });
    }
  }
  const oldHour = Math.floor((nowMs - 3 * DAY) / HOUR) * HOUR;
  for (let j = 0; j < 10; j++) {
    const startMs = oldHour + j * 60_000;
    out.push({ traceId: id(), release: 'v1', startMs, sampled: true, flags: [], pass: true, latencyMs: 300, scoringCostUsd: 0.05, scoredAt: new Date(startMs + 60_000).toISOString() });
  }
  return out;
}

/** Nearest-rank quantile, as src/monitor/online-series.ts computes it. */
function nearestRank(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const ms = (x: number): string => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${Math.round(x)} ms`);
const usd = (x: number): string => `$${x.toFixed(2)}`;

/**
 * The "Show the numbers" table expected of the seeds: sampled traces since `sinceMs`, one row per
 * bucket with data (oldest first), one column per cohort (by name), '—' where a cohort has none.
 */
function expectedTable(traces: readonly Seeded[], o: { sinceMs: number; bucketMs: number; cohort: (t: Seeded) => string; value: (ts: readonly Seeded[]) => string }): string[][] {
  const cells = new Map<number, Map<string, Seeded[]>>();
  for (const t of traces.filter((x) => x.sampled && x.startMs >= o.sinceMs)) {
    const start = Math.floor(t.startMs / o.bucketMs) * o.bucketMs;
    const row = cells.get(start) ?? new Map<string, Seeded[]>();
    row.set(o.cohort(t), [...(row.get(o.cohort(t)) ?? []), t]);
    cells.set(start, row);
  }
  const cohorts = [...new Set([...cells.values()].flatMap((row) => [...row.keys()]))].sort();
  const daily = o.bucketMs >= DAY;
  return [...cells.entries()]
    .sort(([a], [b]) => a - b)
    .map(([start, row]) => {
      const iso = new Date(start).toISOString();
      return [daily ? iso.slice(0, 10) : `${iso.slice(0, 16).replace('T', ' ')} UTC`, ...cohorts.map((c) => (row.has(c) ? o.value(row.get(c)!) : '—'))];
    });
}
const passRate = (ts: readonly Seeded[]): string => pct(ts.filter((t) => t.pass).length / ts.length);
const p95 = (ts: readonly Seeded[]): string => ms(nearestRank(ts.map((t) => t.latencyMs), 0.95));

describe('online rules in the web UI (Chromium)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-online-ui-'));
  const shots = screenshotDir(join(dir, 'shots'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'ci@example.com' };
  const keys: Record<string, string> = {};
  const now = Date.now();
  const traces = seedTraces(now);
  let serve: { url: string; stop: () => void };
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];

  const signIn = async (key: string, who: string): Promise<void> => {
    await page.context().clearCookies();
    await page.goto(serve.url);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(who).waitFor();
  };
  /** The rows of the chart's "Show the numbers" table (folded, so read from the DOM), header first. */
  const chartTable = async (): Promise<string[][]> =>
    page.locator('.online-series figure.chart table tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent ?? '')));
  /** A definition list's terms and their definitions. */
  const pairs = async (selector: string): Promise<Record<string, string>> =>
    Object.fromEntries(await page.locator(`${selector} dt`).evaluateAll((dts) => dts.map((dt) => [dt.textContent ?? '', dt.nextElementSibling?.textContent ?? '']))) as Record<string, string>;

  beforeAll(async () => {
    const store: Store = await openStore(env.EVALOPS_DATABASE_URL);
    try {
      const project = await store.projects.ensure(PROJECT);
      keys[PROJECT] = (await store.apiKeys.create({ role: 'viewer', projectId: project.id, name: VIEWER, createdBy: 'test' })).plaintext;
      const empty = await store.projects.ensure(EMPTY_PROJECT);
      keys[EMPTY_PROJECT] = (await store.apiKeys.create({ role: 'viewer', projectId: empty.id, name: VIEWER, createdBy: 'test' })).plaintext;

      const { rule } = await store.onlineRules.save(
        project.id,
        OnlineRuleSpecSchema.parse({
          name: RULE,
          filter: { releases: ['v1', 'v2'], spanKinds: ['LLM'] },
          sampleRate: 0.5,
          metrics: [
            { name: METRIC, scorer: { type: 'icontains', value: 'policy' } },
            { name: 'concise', scorer: { type: 'length', maxWords: 120 } },
          ],
          flags: [{ kind: 'error' }, { kind: 'long_session', minTraces: 5 }],
          reviewQueue: 'triage',
          budgetUsdPerDay: 5,
        }),
        { backfill: true },
      );
      for (const t of traces) {
        const stored = await store.onlineScores.record(
          { ruleId: rule.id, traceId: t.traceId, projectId: project.id, sampled: t.sampled, flags: [...t.flags], release: t.release, cohort: {}, traceStartMs: t.startMs, latencyMs: t.latencyMs, costUsd: null, error: t.flags.includes('error'), scoringCostUsd: t.scoringCostUsd, scoredAt: t.scoredAt },
          [
            { metric: METRIC, spanId: null, status: 'scored', value: t.pass ? 1 : 0, pass: t.pass, label: null, reason: null, scorerVersion: 'test' },
            { metric: 'concise', spanId: null, status: 'scored', value: 1, pass: true, label: null, reason: null, scorerVersion: 'test' },
          ],
        );
        expect(stored).toBe(true);
      }
      const { rule: paused } = await store.onlineRules.save(project.id, OnlineRuleSpecSchema.parse({ name: PAUSED_RULE, metrics: [{ name: 'helpful', scorer: { type: 'icontains', value: 'refund' } }] }));
      await store.onlineRules.setEnabled(paused.id, false);
      // Two rules that score whole sessions: one with its own readiness and flags, one on the defaults.
      await store.onlineRules.save(
        project.id,
        OnlineRuleSpecSchema.parse({
          name: SESSION_RULE,
          target: 'sessions',
          sampleRate: 1,
          session: { idleSeconds: 600, flags: [{ kind: 'long', maxTurns: 6 }, { kind: 'repeated_message' }] },
          flags: [{ kind: 'low_judge_confidence' }],
          metrics: [
            { name: 'short', scorer: { type: 'turns', max: 6 } },
            { name: 'polite_turns', scorer: { type: 'per-turn', scorer: { type: 'icontains', value: 'please' }, aggregate: 'any' } },
            { name: 'no_loops', scorer: { type: 'repeated-question', who: 'assistant' } },
            { name: 'cites', scorer: { type: 'icontains', value: 'policy' } },
          ],
        }),
      );
      await store.onlineRules.save(project.id, OnlineRuleSpecSchema.parse({ name: DEFAULT_SESSION_RULE, target: 'sessions', metrics: [{ name: 'calm', scorer: { type: 'frustration' } }] }));
      await store.monitors.save(project.id, MonitorSpecSchema.parse({ name: 'live-floor', rule: RULE, metric: METRIC, release: 'v1', detector: { kind: 'threshold', threshold: 0.8, minSamples: 50, windowMinutes: 120 } }));
      await store.monitors.save(project.id, MonitorSpecSchema.parse({ name: 'refunds-watch', rule: PAUSED_RULE, metric: 'helpful' }));
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

  it('lists each rule with what it scored and spent today, reached from the nav entry before Monitors', async () => {
    await signIn(keys[PROJECT]!, `${VIEWER} · viewer`);
    const nav = page.getByRole('navigation', { name: 'Project' });
    const labels = (await nav.getByRole('link').allTextContents()).map((l) => l.trim());
    expect(labels.indexOf('Online')).toBe(labels.indexOf('Monitors') - 1);
    await nav.getByRole('link', { name: 'Online' }).click();
    const table = page.getByRole('table', { name: /Counts over every trace/ });
    await table.waitFor();
    expect(page.url()).toBe(`${serve.url}/p/${PROJECT}/online`);
    expect(await table.getByRole('columnheader').allTextContents()).toEqual(['Rule', 'State', 'Scores', 'Sample rate', 'Metrics', 'Scored', 'Sampled', 'Flagged', 'Spent today', 'Flags']);
    const row = (name: string) => table.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });

    const todayMs = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`);
    const spentToday = traces.filter((t) => Date.parse(t.scoredAt) >= todayMs).reduce((s, t) => s + t.scoringCostUsd, 0);
    expect(spentToday).toBeCloseTo(2.1, 9);
    expect(await row(RULE).getByRole('cell').allTextContents()).toEqual([
      'enabled',
      'traces',
      '50%',
      `${METRIC}, concise`,
      `${traces.length} traces`,
      String(traces.filter((t) => t.sampled).length),
      String(traces.filter((t) => t.flags.length > 0).length),
      usd(spentToday),
      'error, long session (≥ 5 traces)',
    ]);
    expect([traces.length, traces.filter((t) => t.sampled).length, traces.filter((t) => t.flags.length > 0).length]).toEqual([220, 210, 15]);
    expect(await row(PAUSED_RULE).getByRole('cell').allTextContents()).toEqual(['paused', 'traces', '10%', 'helpful', '0 traces', '0', '0', '$0.00', 'error, negative feedback, repeated question (similarity ≥ 0.9), frustration, low judge confidence']);
    // Session rules: what they score and when a session is ready, and their session flags (not the trace flags).
    expect(await row(SESSION_RULE).getByRole('cell').allTextContents()).toEqual(['enabled', 'sessions, ready after 10 min idle', '100%', 'short, polite_turns, no_loops, cites', '0 sessions', '0', '0', '$0.00', 'long (more than 6 user turns), repeated message, low judge confidence']);
    expect(await row(DEFAULT_SESSION_RULE).getByRole('cell').allTextContents()).toEqual(['enabled', 'sessions, ready after 15 min idle', '10%', 'calm', '0 sessions', '0', '0', '$0.00', 'long (more than 10 user turns), repeated message, frustration, low judge confidence']);

    await row(RULE).getByRole('link', { name: RULE }).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(`^${RULE}`) }).waitFor();
    expect(page.url()).toBe(`${serve.url}/p/${PROJECT}/online/${RULE}`);
    expect(errors).toEqual([]);
  });

  it("summarises the rule's spec and counts, and lists only the monitors on it", async () => {
    expect(await pairs('dl.rule-spec')).toEqual({
      Filter: 'release v1 or v2 · a span of kind LLM',
      Scores: 'each trace',
      'Sample rate': '50% of matching traces',
      Metrics: `${METRIC} (icontains)concise (length)`,
      Flags: 'error, long session (≥ 5 traces)',
      'Review queue': 'triage',
      Budget: '$5.00 per UTC day',
    });
    const spentAll = traces.reduce((s, t) => s + t.scoringCostUsd, 0);
    expect(await pairs('dl.rule-counts')).toEqual({ 'Traces scored': '220', Sampled: '210', Flagged: '15', 'Spent today': '$2.10', 'Spent in all': usd(spentAll) });
    expect(usd(spentAll)).toBe('$2.60');

    const monitors = page.getByRole('table', { name: /Monitors of rule/ });
    await monitors.waitFor();
    const rows = monitors.getByRole('row');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(1).getByRole('rowheader').textContent()).toBe('live-floor');
    expect(await rows.nth(1).getByRole('cell').allTextContents()).toEqual([`${METRIC} of v1`, 'below 80.0% over 120 min (≥ 50 traces)', 'not evaluated', 'none']);
    expect(await page.getByRole('link', { name: 'All monitors' }).getAttribute('href')).toBe(`/p/${PROJECT}/monitors`);
    expect(errors).toEqual([]);
  });

  it('charts the pass rate per release in hourly buckets, with the numbers worked out from the seeds', async () => {
    await page.getByRole('img', { name: new RegExp(`^${METRIC} pass rate by release, 1 h buckets \\(UTC\\)`) }).waitFor();
    const byRelease = { bucketMs: HOUR, cohort: (t: Seeded) => t.release, value: passRate };
    // The default range, the last 7 days: the old batch is a bucket of its own, with v1 only.
    const week = expectedTable(traces, { ...byRelease, sinceMs: now - 7 * DAY });
    expect(week).toHaveLength(6);
    expect(week[0]!.slice(1)).toEqual(['100.0%', '—']);
    expect(await chartTable()).toEqual([['Bucket (UTC)', 'v1', 'v2'], ...week]);

    await page.getByLabel('Range', { exact: true }).selectOption('24h');
    const day = expectedTable(traces, { ...byRelease, sinceMs: now - DAY });
    expect(day.map((r) => r.slice(1))).toEqual(PASSES['v1']!.map((p, h) => [pct(p / PER_HOUR), pct(PASSES['v2']![h]! / PER_HOUR)]));
    await expect.poll(chartTable).toEqual([['Bucket (UTC)', 'v1', 'v2'], ...day]);
    expect(page.url()).toMatch(/[?&]range=24h\b/);

    await page.getByText('Show the numbers').click();
    await page.getByRole('table', { name: /pass rate by release/ }).waitFor();
    await page.screenshot({ path: join(shots, 'online-rule.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('switches the signal to latency p95: nearest rank over the sampled traces of each bucket', async () => {
    expect(await page.getByLabel('Metric', { exact: true }).isEnabled()).toBe(true);
    await page.getByLabel('Signal', { exact: true }).selectOption('latency_p95');
    await page.getByRole('img', { name: /^Latency p95 by release, 1 h buckets/ }).waitFor();
    const expected = expectedTable(traces, { sinceMs: now - DAY, bucketMs: HOUR, cohort: (t) => t.release, value: p95 });
    // The flag-only 9 s traces would be v2's p95 if the series counted them; the outlier would be if p95 were the maximum.
    expect(expected[0]!.slice(1)).toEqual(['675 ms', '1.27 s']);
    await expect.poll(chartTable).toEqual([['Bucket (UTC)', 'v1', 'v2'], ...expected]);
    // Latency reads the traces, not a metric.
    expect(await page.getByLabel('Metric', { exact: true }).isDisabled()).toBe(true);
    expect(errors).toEqual([]);
  });

  it('pools every cohort into one line, in daily buckets', async () => {
    await page.getByLabel('Signal', { exact: true }).selectOption('pass_rate');
    await page.getByLabel('Cohorts by', { exact: true }).selectOption('all');
    await page.getByLabel('Bucket', { exact: true }).selectOption('1440');
    await page.getByLabel('Range', { exact: true }).selectOption('7d');
    await page.getByRole('img', { name: new RegExp(`^${METRIC} pass rate of all sampled traces, 1 day buckets`) }).waitFor();
    const expected = expectedTable(traces, { sinceMs: now - 7 * DAY, bucketMs: DAY, cohort: () => 'all', value: passRate });
    await expect.poll(chartTable).toEqual([['Bucket (UTC)', 'all'], ...expected]);
    expect(errors).toEqual([]);
  });

  it("shows a session rule's target, readiness, session scorers and session flags, defaults marked", async () => {
    await signIn(keys[PROJECT]!, `${VIEWER} · viewer`);
    await page.goto(`${serve.url}/p/${PROJECT}/online/${SESSION_RULE}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(`^${SESSION_RULE}`) }).waitFor();
    expect(await pairs('dl.rule-spec')).toEqual({
      Filter: 'every trace',
      Scores: 'whole sessions (the traces sharing a session id), once ready',
      'Session ready': 'after 10 min without a new trace, or at once when a span carries evalops.session.end',
      'Sample rate': '100% of matching sessions',
      Metrics: [
        'short (turns) — session scorer: at most 6 turns',
        'polite_turns (per-turn) — session scorer: icontains on each turn, any turn passes',
        'no_loops (repeated-question) — session scorer: assistant may not repeat (similarity ≥ 0.8)',
        'cites (icontains)',
      ].join(''),
      'Session flags': 'long (more than 6 user turns), repeated message, low judge confidence',
      'Review queue': 'none',
      Budget: 'no limit',
    });
    expect(Object.keys(await pairs('dl.rule-counts'))).toEqual(['Sessions scored', 'Sampled', 'Flagged', 'Spent today', 'Spent in all']);

    await page.goto(`${serve.url}/p/${PROJECT}/online/${DEFAULT_SESSION_RULE}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(`^${DEFAULT_SESSION_RULE}`) }).waitFor();
    const spec = await pairs('dl.rule-spec');
    expect(spec['Session ready']).toBe('after 15 min without a new trace, or at once when a span carries evalops.session.end (default)');
    expect(spec['Metrics']).toBe('calm (frustration) — session scorer: at most 0 frustration signals');
    // The default trace flags name low judge confidence, the one a session score also decides.
    expect(spec['Session flags']).toBe('long (more than 10 user turns), repeated message, frustration, low judge confidence');

    // A trace rule shows no session settings.
    await page.goto(`${serve.url}/p/${PROJECT}/online/${PAUSED_RULE}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(`^${PAUSED_RULE}`) }).waitFor();
    expect(Object.keys(await pairs('dl.rule-spec'))).not.toContain('Session ready');
    expect(errors).toEqual([]);
  });

  it('has no serious or critical accessibility violation on a session rule (axe-core)', async () => {
    // axe is injected as a script: a context of its own that bypasses the page's CSP, as the a11y test does.
    const axePage = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, bypassCSP: true })).newPage();
    axePage.setDefaultTimeout(20_000);
    await axePage.goto(serve.url);
    await axePage.getByLabel('API key').fill(keys[PROJECT]!);
    await axePage.getByRole('button', { name: 'Sign in' }).click();
    await axePage.getByText(`${VIEWER} · viewer`).waitFor();
    for (const path of [`/p/${PROJECT}/online`, `/p/${PROJECT}/online/${SESSION_RULE}`]) {
      await axePage.goto(`${serve.url}${path}`);
      await axePage.locator('table.online-rules, dl.rule-spec').first().waitFor();
      await axePage.addScriptTag({ path: AXE });
      const found = await axePage.evaluate<{ id: string; impact: string | null }[]>('axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact })))');
      expect(found.filter((v) => v.impact === 'serious' || v.impact === 'critical'), path).toEqual([]);
    }
    await axePage.context().close();
  }, 90_000); // axe over two pages: slow on a loaded machine

  it('tells a project without rules how to create one', async () => {
    await signIn(keys[EMPTY_PROJECT]!, `${VIEWER} · viewer`);
    await page.goto(`${serve.url}/p/${EMPTY_PROJECT}/online`);
    await page.getByText('No online rules yet.').waitFor();
    expect(await page.locator('.state.empty code').allTextContents()).toEqual(['online.yaml', 'evalops online apply online.yaml']);
    expect(errors).toEqual([]);
  });
});
