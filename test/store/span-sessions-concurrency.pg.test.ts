import { sql } from 'kysely';
import pg from 'pg';
import { expect, it } from 'vitest';
import { insertSpanRowsPostgres } from '../../src/store/postgres/insert-span-rows.js';
import { appendSpanRow, type SpanColumnValue } from '../../src/store/span-row.js';
import { openStore, type Store } from '../../src/store/store.js';
import { TEST_PG_URL as url, useTestPostgres } from '../support/test-postgres.js';
import { contractSpan } from './span-row-sink-contract.js';

const schemas = useTestPostgres('evalops_sessconc');

/** A deterministic generator (mulberry32), so a failure replays. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function spanRows(projectId: string, spans: readonly { n: number; session: string; startMs: number }[]): SpanColumnValue[] {
  const values: SpanColumnValue[] = [];
  for (const { n, session, startMs } of spans) {
    const span = contractSpan(n.toString(16).padStart(32, '0'), n.toString(16).padStart(16, '0'), { sessionId: session, startTimeMs: startMs, endTimeMs: startMs + 50 });
    appendSpanRow(values, { projectId, span }, new Date().toISOString());
  }
  return values;
}

it('concurrent span writers naming the same sessions in any order never deadlock (no retry), and every span and session is kept', async () => {
  const store = await openStore(url, { schema: schemas.newSchema() });
  try {
    const projectId = (await store.projects.ensure('sessions-concurrent')).id;
    const next = random(7);
    const now = Date.now();
    let spanNo = 0;
    const sessions = new Map<string, { first: number; last: number }>();
    const batch = (size: number): SpanColumnValue[] => {
      const spans = Array.from({ length: size }, () => ({ n: spanNo++, session: `s-${Math.floor(next() * 40)}`, startMs: now - Math.floor(next() * 3_600_000) }));
      for (const s of spans) {
        const seen = sessions.get(s.session);
        sessions.set(s.session, { first: Math.min(seen?.first ?? Infinity, s.startMs), last: Math.max(seen?.last ?? -Infinity, s.startMs + 50) });
      }
      return spanRows(projectId, spans);
    };
    let written = 0;
    for (let round = 0; round < 40; round++) {
      // One-statement batches in arrival order (these deadlocked within a second before the writer
      // ordered every batch) and multi-statement ones, meeting at once.
      const writes = Array.from({ length: 4 }, () => batch([40, 300, 700, 1100][Math.floor(next() * 4)] as number));
      const counts = await Promise.all(writes.map((w) => insertSpanRowsPostgres(store.db, [w], { attempts: 1 })));
      written += counts.reduce((a, b) => a + b, 0);
    }
    expect(written).toBe(spanNo);
    expect(await store.spans.count(projectId)).toBe(spanNo);
    const rows = await store.db.selectFrom('span_sessions').select(['session_id', 'first_start_ms', 'last_end_ms']).where('project_id', '=', projectId).execute();
    expect(new Map(rows.map((r) => [r.session_id, { first: Number(r.first_start_ms), last: Number(r.last_end_ms) }]))).toEqual(sessions);
  } finally {
    await store.close();
  }
}, 300_000);

/**
 * A deadlock made on purpose with another writer of span_sessions: it holds session B and, once the
 * span writer holds A and waits for B, asks for A. The other writer's deadlock_timeout is long, so
 * PostgreSQL's check runs in (and aborts) the span writer.
 */
async function deadlockWithAnotherWriter(store: Store, projectId: string, attempts: number | undefined, first: number): Promise<{ result: PromiseSettledResult<number> }> {
  const other = new pg.Client({ connectionString: url });
  await other.connect();
  try {
    const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(store.db)).rows[0]?.s as string;
    await other.query(`set search_path to "${schema}"`);
    await other.query(`set deadlock_timeout = '60s'`);
    const otherPid = (await other.query('select pg_backend_pid() as pid')).rows[0].pid as number;
    await other.query('begin');
    await other.query(`select 1 from span_sessions where project_id = $1 and session_id = 'b' for update`, [projectId]);
    const later = Date.now() + 60_000;
    const writing = insertSpanRowsPostgres(store.db, [spanRows(projectId, [{ n: first, session: 'a', startMs: later }, { n: first + 1, session: 'b', startMs: later }])], attempts === undefined ? {} : { attempts });
    const settled = writing.then(
      (value): PromiseSettledResult<number> => ({ status: 'fulfilled', value }),
      (reason: unknown): PromiseSettledResult<number> => ({ status: 'rejected', reason }),
    );
    // Wait (on the server's own view, not a clock) until the span writer waits for session b: a
    // backend blocked by this one (other suites' backends share the server).
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { rows } = await other.query(`select count(*)::int as n from pg_stat_activity where $1 = any(pg_blocking_pids(pid))`, [otherPid]);
      if (rows[0].n > 0) break;
      if (Date.now() > deadline) throw new Error('the span writer never waited for session b');
      await new Promise((r) => setTimeout(r, 50));
    }
    await other.query(`select 1 from span_sessions where project_id = $1 and session_id = 'a' for update`, [projectId]);
    await other.query('commit');
    return { result: await settled };
  } finally {
    await other.end();
  }
}

it('a span transaction PostgreSQL aborts to break a deadlock is tried again, and its spans are stored', async () => {
  const store = await openStore(url, { schema: schemas.newSchema() });
  try {
    const projectId = (await store.projects.ensure('sessions-deadlock')).id;
    const start = Date.now();
    await insertSpanRowsPostgres(store.db, [spanRows(projectId, [{ n: 1, session: 'a', startMs: start }, { n: 2, session: 'b', startMs: start }])]);

    const once = await deadlockWithAnotherWriter(store, projectId, 1, 10);
    expect(once.result.status).toBe('rejected');
    expect((once.result as PromiseRejectedResult).reason).toMatchObject({ code: '40P01' });
    expect(await store.spans.count(projectId)).toBe(2);

    const retried = await deadlockWithAnotherWriter(store, projectId, undefined, 20);
    expect(retried.result).toEqual({ status: 'fulfilled', value: 2 });
    expect(await store.spans.count(projectId)).toBe(4);
  } finally {
    await store.close();
  }
}, 300_000);
