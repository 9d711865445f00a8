/**
 * The user-filtered trace and session lists on the embedded SQLite store (issue 5's "< 1 s p90 at
 * 100,000 traces"; issue 22's user index, migration 028): N traces of 4 spans (5 traces a session,
 * 5,000 users) inserted in SQL into a fresh file through the store's schema and triggers, then the
 * store's own queries timed, 1 warm-up + LOADS each: the newest 50 traces and sessions, the newest 50
 * of one user, and one user's traces of the last 7 days. Prints one JSON line per query.
 *
 *   node --import tsx bench/ingest/sqlite-user-pages.ts [--traces 100000] [--loads 10]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { SessionQueries } from '../../src/store/session-queries.js';
import { SpanQueries } from '../../src/store/span-queries.js';
import { openStore } from '../../src/store/store.js';

const { values } = parseArgs({ options: { traces: { type: 'string', default: '100000' }, loads: { type: 'string', default: '10' } } });
const TRACES = Number(values.traces);
const LOADS = Number(values.loads);
const DAY_MS = 86_400_000;
const out = (o: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(o)}\n`);
const q = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] as number;

const dir = mkdtempSync(join(tmpdir(), 'evalops-user-pages-'));
const store = await openStore(`sqlite:${join(dir, 'bench.db')}`);
try {
  const project = await store.projects.ensure('users');
  const now = Date.now();
  const t0 = performance.now();
  // n → trace n / 4, position n % 4; 30 days of traces; every span carries the trace's user and session.
  await sql`
    with recursive n(i) as (select 0 union all select i + 1 from n where i + 1 < ${TRACES * 4})
    insert into spans (project_id, trace_id, span_id, parent_span_id, name, kind, status, start_time_ms, end_time_ms, duration_ms, session_id, user_id, release, service_name, input_tokens, output_tokens, cost_usd, document, received_at)
    select ${project.id}, printf('%032x', i / 4 + 4096), printf('%016x', i + 4096), case when i % 4 = 0 then null else printf('%016x', i - i % 4 + 4096) end,
      'span', 'LLM', 'ok', ${now - 30 * DAY_MS} + (i / 4) * ${(30 * DAY_MS) / TRACES} + (i % 4), ${now - 30 * DAY_MS} + (i / 4) * ${(30 * DAY_MS) / TRACES} + (i % 4) + 100, 100,
      'sess-' || (i / 20), 'user-' || ((i / 4) % 5000), 'r1', 'bench', 10, 5, 0.0001, '{"input":"q","output":"a"}', '2026-01-01T00:00:00.000Z'
    from n`.execute(store.db);
  out({ phase: 'seed', traces: TRACES, spans: TRACES * 4, seconds: +((performance.now() - t0) / 1000).toFixed(1) });
  await sql`analyze`.execute(store.db);

  const sessions = new SessionQueries(store.db, 'sqlite');
  const spans = new SpanQueries(store.db, 'sqlite');
  const cases: [string, () => Promise<unknown[]>][] = [
    ['traces, newest 50', () => spans.traceRoots({ projectId: project.id, order: 'desc', limit: 50 })],
    ['traces, one user, newest 50', () => spans.traceRoots({ projectId: project.id, order: 'desc', limit: 50, userId: 'user-42' })],
    ['traces, one user, last 7 days', () => spans.traceRoots({ projectId: project.id, order: 'desc', limit: 50, userId: 'user-42', sinceMs: now - 7 * DAY_MS })],
    ['sessions, newest 50', () => sessions.sessionPage({ projectId: project.id, limit: 50 })],
    ['sessions, one user, newest 50', () => sessions.sessionPage({ projectId: project.id, limit: 50, userId: 'user-42' })],
  ];
  for (const [name, run] of cases) {
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i <= LOADS; i++) {
      const s = performance.now();
      rows = (await run()).length;
      if (i > 0) times.push(performance.now() - s);
    }
    out({ phase: 'query', name, rows, p50Ms: +q(times, 0.5).toFixed(1), p90Ms: +q(times, 0.9).toFixed(1) });
  }
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
