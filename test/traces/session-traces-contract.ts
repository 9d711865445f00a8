import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SpanSchema, type Span } from '../../src/core/span.js';
import type { Store } from '../../src/store/store.js';
import { sessionTraces } from '../../src/traces/session-traces.js';

/**
 * sessionTraces on every dialect: a session's earliest traces, at most `limit`, chosen in the query —
 * only the kept traces' spans are read — earliest first, with a trace that names the session only on
 * a child span, and nothing of another session or project.
 */
export function describeSessionTracesContract(dialect: string, open: () => Promise<Store>): void {
  describe(`sessionTraces (${dialect})`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    const T0 = Date.parse('2026-12-01T10:00:00.000Z');
    const traceId = (n: number): string => n.toString(16).padStart(32, '0');
    const span = (trace: number, id: number, start: number, extra: Record<string, unknown>): Span =>
      SpanSchema.parse({ traceId: traceId(trace), spanId: id.toString(16).padStart(16, '0'), name: 'support-agent', kind: 'AGENT', otelKind: 'server', status: 'ok', startTimeMs: start, endTimeMs: start + 500, durationMs: 500, toolCalls: [], usage: {}, attributes: {}, resource: {}, events: [], ...extra });

    /** 12 traces of session s-1 stored in shuffled order (trace k starts at minute k); trace 7 names it on its child only. */
    async function seed(): Promise<string> {
      const project = await store.projects.ensure('sessions');
      const other = await store.projects.ensure('elsewhere');
      const writes: { projectId: string; span: Span }[] = [];
      for (const k of [5, 11, 0, 8, 3, 10, 1, 7, 4, 9, 2, 6]) {
        const start = T0 + k * 60_000;
        const root = span(100 + k, 1000 + 2 * k, start, { input: `question ${k}`, output: `answer ${k}`, ...(k === 7 ? {} : { sessionId: 's-1' }) });
        const child = span(100 + k, 1001 + 2 * k, start + 10, { parentSpanId: root.spanId, name: 'llm', kind: 'LLM', ...(k === 7 ? { sessionId: 's-1' } : {}) });
        writes.push({ projectId: project.id, span: root }, { projectId: project.id, span: child });
      }
      // Earlier than all of them, but of another session, and of another project.
      writes.push({ projectId: project.id, span: span(90, 900, T0 - 60_000, { sessionId: 's-2' }) });
      writes.push({ projectId: other.id, span: span(91, 901, T0 - 60_000, { sessionId: 's-1' }) });
      await store.spans.insertBatch(writes);
      return project.id;
    }

    it('keeps the earliest traces up to the limit, earliest first, each with all its spans', async () => {
      const projectId = await seed();
      const traces = await sessionTraces(store, projectId, 's-1', 5);
      expect(traces.map((t) => t[0]?.traceId)).toEqual([0, 1, 2, 3, 4].map((k) => traceId(100 + k)));
      expect(traces.every((t) => t.length === 2)).toBe(true);
      const all = await sessionTraces(store, projectId, 's-1');
      expect(all.map((t) => t[0]?.traceId)).toEqual(Array.from({ length: 12 }, (_, k) => traceId(100 + k)));
      expect(all[7]?.find((s) => s.parentSpanId === undefined)?.input).toBe('question 7');
    });

    it('reads the spans of the kept traces only', async () => {
      const projectId = await seed();
      const list = store.spans.listOfTraces.bind(store.spans);
      const read: string[] = [];
      let queries = 0;
      store.spans.listOfTraces = async (project, ids, perTrace) => {
        queries += 1;
        read.push(...ids);
        return list(project, ids, perTrace);
      };
      await sessionTraces(store, projectId, 's-1', 3);
      expect(read.sort()).toEqual([0, 1, 2].map((k) => traceId(100 + k)));
      expect(queries).toBe(1);
    });
  });
}
