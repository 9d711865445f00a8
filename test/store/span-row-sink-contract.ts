import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Span } from '../../src/core/span.js';
import { appendSpanRow, type SpanColumnValue, type SpanRowSink } from '../../src/store/span-row.js';
import type { Store } from '../../src/store/store.js';

/** A sink under test, the store to read back through, and how to close both. */
export interface SinkFixture {
  readonly sink: SpanRowSink;
  readonly store: Store;
  close(): Promise<void>;
}

export function contractSpan(traceId: string, spanId: string, extra: Partial<Span> = {}): Span {
  return {
    traceId,
    spanId,
    name: 'ChatCompletion',
    kind: 'LLM',
    otelKind: 'client',
    startTimeMs: 1_700_000_000_000.25,
    endTimeMs: 1_700_000_000_250.5,
    durationMs: 250.25,
    status: 'ok',
    model: 'gpt-4.1-mini',
    input: [{ role: 'user', content: 'say "hi" \\ back, naïvely — 👋\n\ttabbed' }],
    toolCalls: [],
    usage: { inputTokens: 12, outputTokens: 5 },
    costUsd: 0.000123,
    sessionId: 'sess-1',
    userId: 'user-7',
    release: 'r-1',
    serviceName: 'shop-bot',
    attributes: { 'llm.model_name': 'gpt-4.1-mini', nested: { list: [1, 'two', null, true] } },
    resource: { 'service.name': 'shop-bot' },
    events: [],
    ...extra,
  };
}

export const spanIdOf = (i: number): string => (i + 1).toString(16).padStart(16, '0');

/**
 * The contract of a span row sink (the ingest write queue's port), for every implementation: the
 * SQLite writer thread, and the store's own insertRows on SQLite and on PostgreSQL. Rows are read
 * back through the store's queries.
 */
export function describeSpanRowSinkContract(name: string, open: () => Promise<SinkFixture>): void {
  describe(`span row sink contract: ${name}`, () => {
    let fixture: SinkFixture;
    let projectId: string;
    const rows = (spans: readonly Span[], project = projectId): SpanColumnValue[] => {
      const values: SpanColumnValue[] = [];
      for (const s of spans) appendSpanRow(values, { projectId: project, span: s }, '2026-11-22T06:00:00.000Z');
      return values;
    };

    beforeAll(async () => {
      fixture = await open();
      projectId = (await fixture.store.projects.ensure('contract')).id;
    });
    afterAll(async () => fixture?.close());

    it('stores rows from several chunks in one call, read back exactly (quotes, backslashes, non-ASCII)', async () => {
      const trace = '0af7651916cd43dd8448eb211c80319c';
      const spans = Array.from({ length: 30 }, (_, i) => contractSpan(trace, spanIdOf(i), i === 0 ? {} : { parentSpanId: spanIdOf(0), sessionId: undefined }));
      expect(await fixture.sink.insertRows([rows(spans.slice(0, 10)), rows(spans.slice(10))])).toBe(30);
      const stored = await fixture.store.spans.list({ projectId, traceId: trace });
      expect(stored).toHaveLength(30);
      expect(stored.find((s) => s.spanId === spanIdOf(0))).toEqual(spans[0]);
      expect(stored.find((s) => s.spanId === spanIdOf(7))).toEqual(JSON.parse(JSON.stringify(spans[7])));
    });

    it('stores a document holding a lone surrogate (invalid UTF-16 from a JSON body) as it came', async () => {
      const trace = '1af7651916cd43dd8448eb211c80319c';
      const odd = contractSpan(trace, spanIdOf(0), { name: 'broken \ud800 pair', attributes: { text: 'x\udfffy' } });
      expect(await fixture.sink.insertRows([rows([odd])])).toBe(1);
      const [stored] = await fixture.store.spans.list({ projectId, traceId: trace });
      expect(stored?.attributes['text']).toBe('x\udfffy');
    });

    it('stores a span written twice once, and counts only the new rows', async () => {
      const trace = '2af7651916cd43dd8448eb211c80319c';
      const first = [contractSpan(trace, spanIdOf(0)), contractSpan(trace, spanIdOf(1))];
      expect(await fixture.sink.insertRows([rows(first)])).toBe(2);
      expect(await fixture.sink.insertRows([rows([...first, contractSpan(trace, spanIdOf(2))])])).toBe(1);
      expect(await fixture.store.spans.list({ projectId, traceId: trace })).toHaveLength(3);
    });

    it('stores the same span sent by two concurrent writes once', async () => {
      const trace = '3af7651916cd43dd8448eb211c80319c';
      const batch = rows(Array.from({ length: 20 }, (_, i) => contractSpan(trace, spanIdOf(i))));
      const counts = await Promise.all([fixture.sink.insertRows([batch]), fixture.sink.insertRows([batch])]);
      expect(counts[0]! + counts[1]!).toBe(20);
      expect(await fixture.store.spans.list({ projectId, traceId: trace })).toHaveLength(20);
    });

    it('rejects a batch with a row of an unknown project and stores none of the batch', async () => {
      const trace = '4af7651916cd43dd8448eb211c80319c';
      await expect(fixture.sink.insertRows([rows([contractSpan(trace, spanIdOf(0))]), rows([contractSpan(trace, spanIdOf(1))], 'prj_does_not_exist')])).rejects.toThrow(/foreign key/i);
      expect(await fixture.store.spans.list({ projectId, traceId: trace })).toEqual([]);
      expect(await fixture.sink.insertRows([rows([contractSpan(trace, spanIdOf(0))])])).toBe(1);
    });

    it('keeps one span_sessions row per session named, with the earliest start and latest end of its spans; a re-sent span changes nothing', async () => {
      const project = (await fixture.store.projects.ensure('sessions-sink')).id;
      const at = (i: number, sessionId: string | undefined): Span =>
        contractSpan(`6af7651916cd43dd8448eb21${i.toString(16).padStart(8, '0')}`, spanIdOf(i), { sessionId, startTimeMs: 1_700_000_000_000 + i * 1000, endTimeMs: 1_700_000_000_500 + i * 1000 });
      // Two writers at once, each over 512 rows (on PostgreSQL, a statement of 512 rows then smaller
      // ones in one transaction), naming two sessions in opposite orders (a then b, b then a): both
      // commit (no deadlock on the sessions' rows) and the summary holds both.
      const sessions = ['sess-a', 'sess-b'];
      const forward = Array.from({ length: 600 }, (_, i) => at(i, i < 512 ? 'sess-a' : 'sess-b'));
      const backward = Array.from({ length: 600 }, (_, i) => at(600 + i, i < 512 ? 'sess-b' : 'sess-a'));
      const unnamed = [at(1200, undefined)];
      // Warm the writers (a connection pool opens its second connection on the first concurrent use).
      await Promise.all([fixture.sink.insertRows([]), fixture.store.projects.ensure('sessions-sink'), fixture.store.projects.ensure('sessions-sink')]);
      const counts = await Promise.all([fixture.sink.insertRows([rows(forward, project)]), fixture.sink.insertRows([rows([...backward, ...unnamed], project)])]);
      expect(counts).toEqual([600, 601]);
      const summary = async () =>
        (await fixture.store.db.selectFrom('span_sessions').select(['session_id', 'first_start_ms', 'last_end_ms']).where('project_id', '=', project).orderBy('session_id').execute()).map((r) => ({ ...r, first_start_ms: Number(r.first_start_ms), last_end_ms: Number(r.last_end_ms) }));
      const expected = sessions.map((id) => {
        const named = [...forward, ...backward].filter((s) => s.sessionId === id);
        return { session_id: id, first_start_ms: Math.min(...named.map((s) => s.startTimeMs)), last_end_ms: Math.max(...named.map((s) => s.endTimeMs)) };
      });
      expect(await summary()).toEqual(expected);
      // A span re-sent with other times is skipped as stored: the summary keeps what was stored.
      expect(await fixture.sink.insertRows([rows([{ ...forward[0]!, endTimeMs: 1_800_000_000_000 }], project)])).toBe(0);
      expect(await summary()).toEqual(expected);
    });

    it('writes nothing and answers 0 for no rows', async () => {
      expect(await fixture.sink.insertRows([])).toBe(0);
    });
  });
}
