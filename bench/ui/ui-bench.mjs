/**
 * Bench: the web UI on a large database (issue 5: "a page with 100,000 runs or traces in the database
 * still opens in under a second"). Seeds a SQLite database through the real paths — the support-bot
 * runs through the CLI, production traces through OTLP by the instrumented example app — then copies
 * those rows in SQL up to 100,000 runs and 100,000 traces (ids made unique, times spread out, so
 * indexes and ordering see realistic data). Serves it, signs in with Debian's Chromium, and times
 * each page from navigation until its first data row is on screen (a fresh page each time, so nothing
 * is cached in the page), 1 warm-up then 7 loads.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVALOPS_BIN, REPO_ROOT } from '../lib/paths.mjs';
import { fmt, median, quantile } from '../lib/stats.mjs';

export const UI_BUDGET_MS = 1000;
const RUNS = 100_000;
const TRACES = 100_000;
const LOADS = 7;

const require = createRequire(import.meta.url);

function cli(env, args) {
  const r = spawnSync(process.execPath, [EVALOPS_BIN, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
  if (![0, 1, 3].includes(r.status)) throw new Error(`evalops ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout ? JSON.parse(r.stdout) : undefined;
}

async function serve(env) {
  const child = spawn(process.execPath, [EVALOPS_BIN, 'serve', '--port', '0'], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'ignore'] });
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(String(d));
      if (m) resolve(m[0]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
  return { url, stop: () => new Promise((resolve) => (child.exitCode === null ? (child.once('exit', resolve), child.kill('SIGTERM')) : resolve())) };
}

/** Copies the seeded runs and spans in SQL until there are `RUNS` runs and `TRACES` traces. */
function multiply(file) {
  const Database = require('better-sqlite3');
  const db = new Database(file);
  const cols = (table) => db.prepare(`select name from pragma_table_info('${table}')`).all().map((c) => c.name);
  const runCols = cols('runs');
  const runCount = db.prepare('select count(*) as n from runs').get().n;
  const copyRuns = runCols.map((c) => (c === 'id' ? `'run_bench' || printf('%07d', k) || '_' || substr(r.id, 5)` : c === 'started_at' ? `strftime('%Y-%m-%dT%H:%M:%fZ', r.started_at, '-' || k || ' minutes')` : `r.${c}`));
  const spanCols = cols('spans');
  const traceCount = db.prepare('select count(distinct trace_id) as n from spans').get().n;
  // Each copy is a new conversation: its traces get new session ids too (kept, the copies would make
  // six sessions of some 17,000 traces each, which no chat has).
  const copySpans = spanCols.map((c) =>
    c === 'trace_id' ? `printf('%08x', k) || substr(s.trace_id, 9)` : c === 'start_time_ms' || c === 'end_time_ms' ? `s.${c} - k * 60000.0` : c === 'session_id' ? `s.session_id || '-' || k` : `s.${c}`,
  );
  db.transaction(() => {
    db.prepare(`with recursive n(k) as (select 1 union all select k + 1 from n where k < ?) insert into runs (${runCols.join(', ')}) select ${copyRuns.join(', ')} from n, runs r where r.id not like 'run_bench%'`).run(Math.ceil((RUNS - runCount) / runCount));
    db.prepare(`with recursive n(k) as (select 1 union all select k + 1 from n where k < ?) insert or ignore into spans (${spanCols.join(', ')}) select ${copySpans.join(', ')} from n, spans s`).run(Math.ceil((TRACES - traceCount) / traceCount));
  })();
  const counts = {
    runs: db.prepare('select count(*) as n from runs').get().n,
    traces: db.prepare('select count(distinct trace_id) as n from spans').get().n,
    spans: db.prepare('select count(*) as n from spans').get().n,
    sessions: db.prepare('select count(distinct session_id) as n from spans').get().n,
  };
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return counts;
}

export async function runUiBench() {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-ui-bench-'));
  const file = join(dir, 'db.sqlite');
  const env = { EVALOPS_DATABASE_URL: `sqlite:${file}`, EVALOPS_ACTOR: 'bench@example.com', EVALOPS_SERVER_URL: '' };
  try {
    for (const config of ['evalops.yaml', 'evalops.v2.yaml']) {
      cli(env, ['run', '-c', `examples/support-bot/${config}`, '--json']);
      cli(env, ['gate', '-c', 'examples/support-bot/evalops.yaml', '--json']);
    }
    const viewer = cli(env, ['keys', 'create', '--role', 'viewer', '--project', 'support-bot', '--json']).secret;
    const ingest = cli(env, ['keys', 'create', '--role', 'ingest', '--project', 'support-bot', '--json']).secret;
    let server = await serve(env);
    const traffic = spawnSync(process.execPath, ['--import', 'tsx', 'examples/support-bot/traffic.ts', '--endpoint', server.url], { cwd: REPO_ROOT, env: { ...process.env, ...env, EVALOPS_API_KEY: ingest }, encoding: 'utf8' });
    if (traffic.status !== 0) throw new Error(`traffic.ts exited ${traffic.status}: ${traffic.stderr}`);
    await server.stop();
    const seedStarted = performance.now();
    const counts = multiply(file);
    const seedMs = performance.now() - seedStarted;
    if (counts.runs < RUNS || counts.traces < TRACES) throw new Error(`seeding made ${counts.runs} runs and ${counts.traces} traces`);

    server = await serve(env);
    const { chromium } = require('playwright-core');
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    const pages = [
      { name: 'Scorecard', path: '/p/support-bot', ready: (page) => page.getByRole('row', { name: /cites_policy/ }).first() },
      { name: 'Runs (100,000 in the project)', path: '/p/support-bot/runs', ready: (page) => page.getByRole('grid', { name: 'Runs' }).getByRole('row').nth(1) },
      { name: 'One run (its 90 results)', path: null, ready: (page) => page.getByRole('grid', { name: 'Results' }).getByRole('row').nth(1) },
      { name: 'Traces (100,000 in the project)', path: '/p/support-bot/traces', ready: (page) => page.getByRole('grid').getByRole('row').nth(1) },
      { name: `Sessions (${counts.sessions.toLocaleString('en')} in the project)`, path: '/p/support-bot/sessions', ready: (page) => page.getByRole('grid').getByRole('row').nth(1) },
    ];
    const rows = [];
    const verdicts = [];
    try {
      const context = await browser.newContext({ viewport: { width: 1366, height: 820 } });
      const signIn = await context.request.post(`${server.url}/api/v1/session`, { data: { key: viewer } });
      if (!signIn.ok()) throw new Error(`sign-in answered ${signIn.status()}`);
      const runs = await (await context.request.get(`${server.url}/api/v1/projects/support-bot/runs?limit=1`)).json();
      pages[2].path = `/p/support-bot/runs/${runs.runs[0].runId}`;
      for (const p of pages) {
        const times = [];
        for (let i = 0; i < LOADS + 1; i++) {
          const page = await context.newPage();
          page.setDefaultTimeout(15_000);
          const t0 = performance.now();
          await page.goto(`${server.url}${p.path}`);
          await p.ready(page).waitFor();
          const ms = performance.now() - t0;
          if (i > 0) times.push(ms);
          await page.close();
        }
        const med = median(times);
        rows.push([p.name, `\`${p.path}\``, fmt(med), fmt(quantile(times, 0.9)), fmt(Math.max(...times))]);
        verdicts.push({ name: `${p.name}: opens in < ${UI_BUDGET_MS} ms`, pass: quantile(times, 0.9) < UI_BUDGET_MS, detail: `median ${fmt(med)} ms, p90 ${fmt(quantile(times, 0.9))} ms` });
      }
    } finally {
      await browser.close();
      await server.stop();
    }
    return {
      id: 'ui',
      title: 'Web UI on a large database',
      budget: `a page opens in < ${UI_BUDGET_MS} ms with ${RUNS.toLocaleString('en')} runs or traces`,
      method: [
        `SQLite seeded through the real paths (2 support-bot runs and gate decisions by the CLI; 10 traces of examples/support-bot/traffic.ts over OTLP), then copied in SQL to ${counts.runs.toLocaleString('en')} runs and ${counts.traces.toLocaleString('en')} traces (${counts.spans.toLocaleString('en')} spans) with unique ids and spread-out times, each copy of a conversation its own session (${counts.sessions.toLocaleString('en')} sessions; ${fmt(seedMs)} ms).`,
        `\`evalops serve\` on it; Debian's Chromium (playwright-core, headless) signed in with a viewer key; each page opened in a fresh tab, timed from navigation until its first data row is visible; 1 warm-up, then ${LOADS} loads.`,
      ],
      tables: [{ headers: ['page', 'path', 'median ms', 'p90 ms', 'max ms'], rows }],
      verdicts,
      notes: [],
      figures: Object.fromEntries(rows.map((r) => [r[0], Number(r[2])])),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
