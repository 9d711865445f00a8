/**
 * Human review (issue 6): how fast a reviewer is served and how fast agreement is computed.
 *
 * - Agreement: `agreementReport` (dist/) on 10,000 items × 2 and × 3 reviewers, 3 ordered labels,
 *   both bootstrap intervals at 2,000 resamples — what the queue page asks for. Median of 5.
 * - Review round trips: a real `evalops serve` on SQLite and on PostgreSQL, a queue of 2,000 items
 *   asking 2 reviewers each, 8 reviewers working at once over HTTP (next → label → next …) until the
 *   queue is done. Per-call latency (p50 / p99) and labels per second; verified: every item has
 *   exactly 2 labels and no reviewer labelled an item twice.
 * Targets (ours; the issue names none): agreement on 10,000 items < 1 s (it backs an interactive
 * page); next and label p99 < 100 ms with 8 reviewers at once (a keyboard-driven page should not wait).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { EVALOPS_BIN, REPO_ROOT, WORK_DIR } from '../lib/paths.mjs';
import { fmt, median, quantile } from '../lib/stats.mjs';

const PG_URL = process.env.EVALOPS_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/test';
const ITEMS = 2000;
const REVIEWERS = 8;
const LABELS = ['poor', 'adequate', 'excellent'];

function seeded(seed) {
  let s = seed >>> 0;
  return () => ((s = (s + 0x6d2b79f5) >>> 0), (((s ^ (s >>> 15)) * (1 | s)) >>> 0) / 4294967296);
}

async function agreementTimes() {
  const { agreementReport } = await import(`${REPO_ROOT}/dist/core/agreement/agreement-report.js`);
  const rows = [];
  for (const raters of [2, 3]) {
    const rand = seeded(raters);
    const ratings = [];
    for (let i = 0; i < 10_000; i++) {
      const truth = Math.floor(rand() * 3);
      for (let r = 0; r < raters; r++) ratings.push({ item: `i${i}`, rater: `r${r}`, label: LABELS[rand() < 0.8 ? truth : Math.floor(rand() * 3)] });
    }
    const times = [];
    let report;
    for (let k = 0; k < 6; k++) {
      const t0 = performance.now();
      report = agreementReport(ratings, { categories: LABELS, ordinal: true });
      if (k > 0) times.push(performance.now() - t0);
    }
    rows.push({ raters, ms: median(times), kappa: raters === 2 ? report.cohenKappa.value : report.fleissKappa.value, alpha: report.krippendorffAlpha.value });
  }
  return rows;
}

function serve(databaseUrl) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [EVALOPS_BIN, 'serve', '--port', '0'], { env: { ...process.env, EVALOPS_DATABASE_URL: databaseUrl }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(String(d));
      if (m) resolve({ url: m[0], adminKey: /\b(eo_[a-z2-7]{8}_[A-Za-z0-9_-]+)/.exec(err)?.[1], stop: () => child.kill('SIGTERM') });
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}

async function roundTrips(dialect, databaseUrl, setup) {
  await setup?.();
  // Seed through the store (dist/), as a run's routing would: one project, one queue, ITEMS items.
  const { openStore } = await import(`${REPO_ROOT}/dist/store/store.js`);
  const store = await openStore(databaseUrl);
  const project = await store.projects.ensure('review-bench');
  const rubric = { labels: LABELS.map((label) => ({ label })), pass: ['adequate', 'excellent'], ordinal: true };
  const queue = await store.reviews.createQueue({ projectId: project.id, name: 'bench', metric: 'helpfulness', rubric, reviewers: [], reviewersPerItem: 2, createdBy: 'bench' });
  const items = Array.from({ length: ITEMS }, (_, i) => ({ key: `result:run_b:e${i}:0`, source: 'result', runId: 'run_b', exampleId: `e${i}`, reason: 'sample', payload: { input: { message: `question ${i}` }, output: `answer ${i}`, toolCalls: [], slices: ['lang:en'], judge: null, checks: {}, latencyMs: 100, costUsd: null } }));
  await store.reviews.addItems(queue, items);
  const keys = [];
  for (let r = 0; r < REVIEWERS; r++) keys.push((await store.apiKeys.create({ role: 'reviewer', projectId: project.id, createdBy: 'bench', name: `r${r}@example.com` })).plaintext);
  await store.close();

  const server = await serve(databaseUrl);
  const base = `${server.url}/api/v1/projects/review-bench/review/queues/bench`;
  const latencies = { next: [], label: [] };
  const call = async (key, kind, path, body) => {
    const t0 = performance.now();
    const res = await fetch(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    const json = await res.json();
    latencies[kind].push(performance.now() - t0);
    if (res.status >= 300) throw new Error(`${kind} answered ${res.status}: ${JSON.stringify(json)}`);
    return json;
  };
  const t0 = performance.now();
  let labels = 0;
  await Promise.all(
    keys.map(async (key, r) => {
      const rand = seeded(100 + r);
      for (;;) {
        const { item } = await call(key, 'next', '/next');
        if (item === null) return;
        await call(key, 'label', `/items/${item.id}/labels`, { label: LABELS[Math.floor(rand() * 3)], seconds: 10 });
        labels++;
      }
    }),
  );
  const wallMs = performance.now() - t0;
  server.stop();
  const check = await openStore(databaseUrl);
  const q = await check.reviews.getQueue((await check.projects.findByName('review-bench')).id, 'bench');
  const progress = await check.reviews.progress(q);
  const pairs = await check.db.selectFrom('review_labels').select(['item_id', 'reviewer']).where('queue_id', '=', q.id).execute();
  await check.close();
  const perItem = new Map();
  for (const p of pairs) perItem.set(p.item_id, (perItem.get(p.item_id) ?? 0) + 1);
  const exact = progress.items === ITEMS && progress.complete === ITEMS && [...perItem.values()].every((n) => n === 2) && perItem.size === ITEMS;
  return { dialect, labels, wallMs, latencies, exact, progress };
}

export async function runReviewBench() {
  const work = join(WORK_DIR, 'review');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const agreement = await agreementTimes();
  const pgDb = `evalops_review_bench_${Date.now().toString(36)}`;
  const pgUrl = PG_URL.replace(/\/[^/?]+(\?.*)?$/, `/${pgDb}$1`);
  const { default: pg } = await import('pg');
  const admin = async (text) => {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    try {
      await c.query(text);
    } finally {
      await c.end();
    }
  };
  const trips = [await roundTrips('SQLite', `sqlite:${join(work, 'review.db')}`)];
  try {
    trips.push(await roundTrips('PostgreSQL', pgUrl, () => admin(`create database "${pgDb}"`)));
  } finally {
    await admin(`drop database if exists "${pgDb}" with (force)`);
  }
  const p99 = (xs) => quantile(xs, 0.99);
  return {
    id: 'review',
    title: `Human review: agreement on 10,000 items; ${REVIEWERS} reviewers labelling ${ITEMS.toLocaleString('en')} items × 2 over HTTP`,
    budget: 'ours (issue 6 names none): agreement on 10,000 items < 1 s; next and label p99 < 100 ms with 8 reviewers at once',
    method: [
      '`agreementReport` from dist/ on 10,000 synthetic items (3 ordered labels, each reviewer right 80% of the time), 2 and 3 reviewers, both bootstrap intervals at 2,000 resamples; 1 warm-up, median of 5.',
      `A real \`evalops serve\` per database; a queue of ${ITEMS} items asking 2 reviewers each, seeded through the store; ${REVIEWERS} reviewer keys loop next → label over HTTP at once until the queue is done. Latency per call from the client; labels/s over the whole loop.`,
      'Verified after each run: every item has exactly 2 labels, from 2 different reviewers (the primary key), and the queue reports all items complete.',
    ],
    tables: [
      { title: 'Agreement report', headers: ['reviewers', 'median ms', 'kappa', 'alpha'], rows: agreement.map((a) => [a.raters, fmt(a.ms), a.kappa?.toFixed(3) ?? '—', a.alpha?.toFixed(3) ?? '—']) },
      {
        title: 'Review round trips',
        headers: ['database', 'labels', 'labels/s', 'next p50 / p99 ms', 'label p50 / p99 ms', 'exactly 2 per item'],
        rows: trips.map((t) => [t.dialect, t.labels, fmt(t.labels / (t.wallMs / 1000)), `${fmt(median(t.latencies.next))} / ${fmt(p99(t.latencies.next))}`, `${fmt(median(t.latencies.label))} / ${fmt(p99(t.latencies.label))}`, t.exact ? 'yes' : '**no**']),
      },
    ],
    verdicts: [
      ...agreement.map((a) => ({ name: `agreement, ${a.raters} reviewers, 10,000 items`, pass: a.ms < 1000, detail: `${fmt(a.ms)} ms` })),
      ...trips.map((t) => ({ name: `${t.dialect}: next / label p99 < 100 ms, exact`, pass: t.exact && p99(t.latencies.next) < 100 && p99(t.latencies.label) < 100, detail: `${fmt(p99(t.latencies.next))} / ${fmt(p99(t.latencies.label))} ms; ${t.labels} labels` })),
    ],
    notes: [],
  };
}
