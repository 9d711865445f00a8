import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Span } from '../../core/span.js';
import { appendSpanRow, SPAN_COLUMNS, type SpanColumnValue } from '../span-row.js';
import { openStore, type Store } from '../store.js';
import { SqliteSpanWriter } from './sqlite-span-writer.js';

function span(traceId: string, spanId: string, extra: Partial<Span> = {}): Span {
  return {
    traceId,
    spanId,
    name: 'ChatCompletion',
    kind: 'LLM',
    otelKind: 'client',
    startTimeMs: 1_700_000_000_000,
    endTimeMs: 1_700_000_000_250,
    durationMs: 250,
    status: 'ok',
    toolCalls: [],
    usage: { inputTokens: 12, outputTokens: 5 },
    sessionId: 'sess-1',
    attributes: { 'llm.model_name': 'gpt-4.1-mini' },
    resource: {},
    events: [],
    ...extra,
  };
}

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const spanIdOf = (i: number): string => (i + 1).toString(16).padStart(16, '0');

/** What is particular to the writer thread; the row-sink contract (test/store/span-row-sink-contract.ts) runs on it too. */
describe('SqliteSpanWriter (worker thread with its own connection)', () => {
  let dir: string;
  let path: string;
  let store: Store;
  let writer: SqliteSpanWriter;
  let projectId: string;
  const warnings: unknown[] = [];

  const rows = (spans: readonly Span[], project = projectId): SpanColumnValue[] => {
    const values: SpanColumnValue[] = [];
    for (const s of spans) appendSpanRow(values, { projectId: project, span: s }, '2026-11-22T06:00:00.000Z');
    return values;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'evalops-span-writer-'));
    path = join(dir, 'evalops.db');
    store = await openStore(`sqlite:${path}`);
    projectId = (await store.projects.ensure('shop')).id;
    writer = await SqliteSpanWriter.open(path, { checkpointEveryMs: 20, onWorkerError: (e) => warnings.push(e) });
  });
  afterAll(async () => {
    await writer?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rejects a chunk that is not whole rows, naming the problem', async () => {
    await expect(writer.insertRows([rows([span('3af7651916cd43dd8448eb211c80319c', spanIdOf(0))]).slice(1)])).rejects.toThrow(`not a multiple of ${SPAN_COLUMNS.length}`);
  });

  it('keeps writing after a failed batch', async () => {
    const trace = '4af7651916cd43dd8448eb211c80319c';
    expect(await writer.insertRows([rows([span(trace, spanIdOf(0))])])).toBe(1);
    expect(await store.spans.list({ projectId, traceId: trace })).toHaveLength(1);
  });

  it('runs transactions in the order they were sent, each resolved with its own count', async () => {
    const trace = '5af7651916cd43dd8448eb211c80319c';
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => writer.insertRows([rows([span(trace, spanIdOf(i + 1)), span(trace, spanIdOf(0))])])));
    expect(results).toEqual([2, 1, 1, 1, 1, 1, 1, 1]);
  });

  it('keeps span_sessions what the spans say, batch by batch: out-of-order times, several projects, spans re-sent with other times or another session', async () => {
    const other = (await store.projects.ensure('shop-2')).id;
    const db = new Database(path, { readonly: true });
    const fromSpans = () => db.prepare('select project_id, session_id, min(start_time_ms) as first, max(end_time_ms) as last from spans where session_id is not null group by 1, 2 order by 1, 2').all();
    const kept = () => db.prepare('select project_id, session_id, first_start_ms as first, last_end_ms as last from span_sessions order by 1, 2').all();
    try {
      // A seeded walk: 12 batches of 1–40 spans over 6 sessions in 2 projects, times jumping back and
      // forth, a quarter of the spans without a session, and every third batch re-sending stored ids
      // with other times and sessions (skipped as stored: they must not widen any session).
      let seed = 20261207;
      // mulberry32: 32-bit integer steps (a float LCG loses its low bits past 2^53).
      const next = (n: number): number => {
        seed = (seed + 0x6d2b79f5) | 0;
        let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) % n;
      };
      const sent: { trace: string; id: string; project: string }[] = [];
      for (let batch = 0; batch < 12; batch++) {
        const byProject = new Map<string, Span[]>();
        for (let k = 0, n = 1 + next(40); k < n; k++) {
          const resend = batch % 3 === 2 && sent.length > 0 && next(2) === 0;
          const target = resend ? sent[next(sent.length)]! : { trace: `${(0x7000 + next(50)).toString(16).padStart(32, '0')}`, id: spanIdOf(1000 + batch * 100 + k), project: next(3) === 0 ? other : projectId };
          const start = 1_800_000_000_000 + next(100_000) * 1_000;
          const sessionId = next(4) === 0 ? undefined : `walk-${next(6)}`;
          const list = byProject.get(target.project) ?? [];
          list.push(span(target.trace, target.id, { startTimeMs: start, endTimeMs: start + next(5_000), ...(sessionId === undefined ? { sessionId: undefined } : { sessionId }) }));
          byProject.set(target.project, list);
          if (!resend) sent.push(target);
        }
        await writer.insertRows([...byProject].map(([project, spans]) => rows(spans, project)));
        expect(kept()).toEqual(fromSpans());
      }
      // The walk did what it says: sessions in both projects, and re-sent spans among them.
      expect(new Set(fromSpans().map((r) => (r as { project_id: string }).project_id)).size).toBe(2);
      expect(fromSpans().length).toBeGreaterThanOrEqual(8);
      // A span re-sent under a session that has no stored span leaves no row behind.
      const first = sent[0]!;
      await writer.insertRows([rows([span(first.trace, first.id, { sessionId: 'never-stored', startTimeMs: 1, endTimeMs: 2 })], first.project)]);
      expect(kept()).toEqual(fromSpans());
      expect(kept().some((r) => (r as { session_id: string }).session_id === 'never-stored')).toBe(false);
    } finally {
      db.close();
    }
  });

  it('checkpoints the WAL into the database file from its own thread', async () => {
    const trace = '6af7651916cd43dd8448eb211c80319c';
    await writer.insertRows([rows(Array.from({ length: 200 }, (_, i) => span(trace, spanIdOf(i))))]);
    // The database file alone (copied without its WAL) holds the spans only once they are checkpointed;
    // nothing else checkpoints here (the writer's own backstop is at 256 MiB), so this waits on the checkpointer.
    const countInFileAlone = (): number => {
      const copy = join(dir, 'file-alone.db');
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${copy}${suffix}`, { force: true });
      copyFileSync(path, copy);
      try {
        const db = new Database(copy, { readonly: true });
        try {
          return (db.prepare('select count(*) as n from spans where trace_id = ?').get(trace) as { n: number }).n;
        } finally {
          db.close();
        }
      } catch {
        return -1; // copied mid-checkpoint: try again
      }
    };
    while (countInFileAlone() !== 200) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(countInFileAlone()).toBe(200);
    expect(warnings).toEqual([]);
  });

  it('rejects the writes in flight when the worker dies, then starts a new one', async () => {
    const died: unknown[] = [];
    const fragile = await SqliteSpanWriter.open(path, { checkpointEveryMs: 0, resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 }, onWorkerError: (e) => died.push(e) });
    try {
      const trace = '8af7651916cd43dd8448eb211c80319c';
      // About 150 MB of rows: more than the worker's heap may hold.
      const huge = rows(Array.from({ length: 1500 }, (_, i) => span(trace, spanIdOf(i), { name: 'x'.repeat(100_000) })));
      await expect(fragile.insertRows([huge])).rejects.toMatchObject({ code: 'infrastructure', message: expect.stringMatching(/span writer stopped/) });
      expect(await store.spans.list({ projectId, traceId: trace })).toEqual([]);
      expect(died).toHaveLength(1);
      expect(await fragile.insertRows([rows([span(trace, spanIdOf(0))])])).toBe(1);
    } finally {
      await fragile.close();
    }
  });

  it('refuses writes after close', async () => {
    const closing = await SqliteSpanWriter.open(path, { checkpointEveryMs: 0 });
    await closing.close();
    await expect(closing.insertRows([rows([span('7af7651916cd43dd8448eb211c80319c', spanIdOf(0))])])).rejects.toMatchObject({ code: 'infrastructure', message: 'the span writer is closed' });
  });

  it('fails to open, with the reason, when the file does not exist', async () => {
    await expect(SqliteSpanWriter.open(join(dir, 'missing.db'))).rejects.toMatchObject({ code: 'infrastructure', message: expect.stringMatching(/could not start/) });
  });
});
