import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import type { Store } from '../../src/store/store.js';

/**
 * The trace and session queries, through the API on a real server, run once per database (SQLite and
 * PostgreSQL evaluate attribute filters with different JSON functions). Spans arrive by real OTLP
 * ingest; feedback through the feedback API.
 */

export const BASE = Date.UTC(2025, 0, 15, 12);
const ns = (ms: number): string => String(BigInt(ms) * 1_000_000n);
type AttrValue = string | number | boolean;
const attr = (key: string, value: AttrValue) => ({
  key,
  value: typeof value === 'boolean' ? { boolValue: value } : typeof value === 'number' ? (Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value }) : { stringValue: value },
});

interface SpanSpec {
  readonly spanId: string;
  readonly parent?: string;
  readonly name: string;
  readonly kind: 'AGENT' | 'LLM' | 'TOOL' | 'CHAIN';
  readonly at: number;
  readonly ms: number;
  readonly error?: boolean;
  readonly attrs?: Record<string, AttrValue>;
}

/** Six traces: two sessions of two traces, one without a session, one with two parentless spans. */
export const T = {
  t1: '10000000000000000000000000000001',
  t2: '20000000000000000000000000000002',
  t3: '30000000000000000000000000000003',
  t4: '40000000000000000000000000000004',
  t5: '50000000000000000000000000000005',
  t6: '60000000000000000000000000000006',
} as const;

const TRACES: Record<string, SpanSpec[]> = {
  [T.t1]: [
    { spanId: '1000000000000001', name: 'agent', kind: 'AGENT', at: 0, ms: 900, attrs: { 'session.id': 's-A', 'user.id': 'u-1', 'evalops.release': 'r1', 'app.tier': 'gold' } },
    { spanId: '1000000000000002', parent: '1000000000000001', name: 'ChatCompletion', kind: 'LLM', at: 100, ms: 500, attrs: { 'llm.model_name': 'gpt-4.1-mini', 'llm.provider': 'openai', 'llm.token_count.prompt': 100, 'llm.token_count.completion': 20, 'llm.cost.total': 0.001 } },
  ],
  [T.t2]: [
    { spanId: '2000000000000001', name: 'agent', kind: 'AGENT', at: 1000, ms: 900, attrs: { 'session.id': 's-A', 'user.id': 'u-1', 'evalops.release': 'r1' } },
    { spanId: '2000000000000002', parent: '2000000000000001', name: 'ChatCompletion', kind: 'LLM', at: 1100, ms: 300, attrs: { 'llm.model_name': 'gpt-4.1-mini', 'llm.token_count.prompt': 50, 'llm.token_count.completion': 10, 'llm.cost.total': 0.0005 } },
    { spanId: '2000000000000003', parent: '2000000000000001', name: 'lookup_order', kind: 'TOOL', at: 1500, ms: 100, error: true, attrs: { 'tool.name': 'lookup_order', 'app.retry_count': 3 } },
  ],
  [T.t3]: [{ spanId: '3000000000000001', name: 'pipeline', kind: 'CHAIN', at: 2000, ms: 400, attrs: { 'session.id': 's-B', 'user.id': 'u-2', 'evalops.release': 'r2', 'app.flag': true, 'app.ratio': 0.25 } }],
  [T.t4]: [
    { spanId: '4000000000000001', name: 'agent', kind: 'AGENT', at: 3000, ms: 800, attrs: { 'user.id': 'u-2', 'evalops.release': 'r2' } },
    // The session id only on the child, as an instrumentation sets it on the spans it makes.
    { spanId: '4000000000000002', parent: '4000000000000001', name: 'ChatCompletion', kind: 'LLM', at: 3100, ms: 600, attrs: { 'session.id': 's-B', 'llm.model_name': 'gpt-4.1', 'llm.token_count.prompt': 7, 'llm.token_count.completion': 3 } },
  ],
  [T.t5]: [{ spanId: '5000000000000001', name: 'ChatCompletion', kind: 'LLM', at: 4000, ms: 200, attrs: { 'user.id': 'u-3', 'evalops.release': 'r2' } }],
  [T.t6]: [
    { spanId: '6000000000000002', name: 'late-root', kind: 'CHAIN', at: 5001, ms: 10 },
    { spanId: '6000000000000001', name: 'early-root', kind: 'CHAIN', at: 5000, ms: 10 },
  ],
};

/** Project `chat`: seven sessions of one trace each, three tied on last activity. */
const chatTrace = (n: number, session: string, end: number, extra: SpanSpec[] = []): [string, SpanSpec[]] => [
  `c${String(n).padStart(31, '0')}`,
  [{ spanId: `c${String(n).padStart(15, '0')}`, name: 'turn', kind: 'AGENT', at: end - 50, ms: 50, attrs: { 'session.id': session } }, ...extra],
];
const CHAT_TRACES: Record<string, SpanSpec[]> = Object.fromEntries([
  chatTrace(1, 'c-1', 100),
  chatTrace(2, 'c-2', 300),
  chatTrace(3, 'c-3', 300),
  // The root names no session and ends last: the list goes by the span that names it (250), the figures by every span (500).
  [`c${'4'.padStart(31, '0')}`, [
    { spanId: 'c400000000000001', name: 'turn', kind: 'AGENT', at: 150, ms: 350, attrs: { 'user.id': 'u-9', 'evalops.release': 'r9' } },
    { spanId: 'c400000000000002', parent: 'c400000000000001', name: 'llm', kind: 'LLM', at: 200, ms: 50, attrs: { 'session.id': 'c-4' } },
  ]],
  chatTrace(5, 'c-5', 300),
  chatTrace(6, 'c-6', 50),
  chatTrace(7, 'c-7', 400),
]);
/** The order of the chat sessions: last activity descending, ties by session id descending. */
const CHAT_ORDER = ['c-7', 'c-5', 'c-3', 'c-2', 'c-4', 'c-1', 'c-6'];

export interface TracesQueryFixture {
  readonly store: Store;
  /** Keys by role for project `shop`, and a viewer key of project `other`. */
  readonly keys: { ingest: string; viewer: string; engineer: string; otherViewer: string };
}

/** Registers the contract suite; `open` gives a fresh, empty store. */
export function tracesQueryContract(label: string, open: () => Promise<Store>): void {
  describe(`trace and session queries (${label})`, () => {
    let store: Store;
    let server: RunningServer;
    const keys: Record<string, string> = {};

    beforeAll(async () => {
      store = await open();
      const shop = await store.projects.ensure('shop');
      const other = await store.projects.ensure('other');
      for (const role of ['ingest', 'viewer', 'engineer'] as const) keys[role] = (await store.apiKeys.create({ role, projectId: shop.id, createdBy: 't' })).plaintext;
      keys['otherViewer'] = (await store.apiKeys.create({ role: 'viewer', projectId: other.id, createdBy: 't' })).plaintext;
      const chat = await store.projects.ensure('chat');
      keys['chatIngest'] = (await store.apiKeys.create({ role: 'ingest', projectId: chat.id, createdBy: 't' })).plaintext;
      keys['chatViewer'] = (await store.apiKeys.create({ role: 'viewer', projectId: chat.id, createdBy: 't' })).plaintext;
      server = await startServer({ store, port: 0, host: '127.0.0.1' });
      await sendSpans(keys['ingest'] ?? '', TRACES);
      const feedback: [string, unknown][] = [
        [T.t1, { kind: 'thumbs', value: 'up' }],
        [T.t2, { kind: 'thumbs', value: 'down', comment: 'wrong order' }],
        [T.t2, { kind: 'signal', name: 'frustration', value: 0.9 }],
        [T.t3, { kind: 'signal', name: 'frustration', value: 0.2 }],
        [T.t4, { kind: 'text', comment: 'slow' }],
      ];
      for (const [traceId, body] of feedback) expect((await api(`/traces/${traceId}/feedback`, { method: 'POST', body, key: keys['ingest'] })).status).toBe(201);
      await sendSpans(keys['chatIngest'] ?? '', CHAT_TRACES);
    });
    afterAll(async () => {
      await server?.close();
      await store?.close();
    });

    async function sendSpans(key: string, traces: Record<string, SpanSpec[]>): Promise<void> {
      const spans = Object.entries(traces).flatMap(([traceId, list]) =>
        list.map((s) => ({
          traceId,
          spanId: s.spanId,
          ...(s.parent ? { parentSpanId: s.parent } : {}),
          name: s.name,
          kind: s.kind === 'LLM' || s.kind === 'TOOL' ? 3 : 1,
          startTimeUnixNano: ns(BASE + s.at),
          endTimeUnixNano: ns(BASE + s.at + s.ms),
          status: s.error ? { code: 2, message: 'failed' } : {},
          attributes: [attr('openinference.span.kind', s.kind), ...Object.entries(s.attrs ?? {}).map(([k, v]) => attr(k, v))],
        })),
      );
      const res = await fetch(`${server.url}/v1/traces`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ resourceSpans: [{ resource: { attributes: [attr('service.name', 'shop-bot')] }, scopeSpans: [{ spans }] }] }),
      });
      expect(res.status, await res.text()).toBe(200);
    }

    async function api(path: string, init: { method?: string; body?: unknown; key?: string; project?: string } = {}) {
      const res = await fetch(`${server.url}/api/v1/projects/${init.project ?? 'shop'}${path}`, {
        method: init.method ?? 'GET',
        headers: { authorization: `Bearer ${init.key ?? keys['viewer']}`, 'content-type': 'application/json' },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, any> }; // bodies are checked field by field
    }
    const ids = async (query: string): Promise<string[]> => {
      const res = await api(`/traces?${query}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body['traces'].map((t: { traceId: string }) => t.traceId);
    };
    const rejects = async (query: string, param: RegExp) => {
      const res = await api(`/traces?${query}`);
      expect(res.status).toBe(400);
      expect(res.body['error']).toMatchObject({ code: 'usage', message: expect.stringMatching(param) });
    };

    it('lists every trace once by its root span, newest first, or oldest first with order=asc', async () => {
      expect(await ids('')).toEqual([T.t6, T.t5, T.t4, T.t3, T.t2, T.t1]);
      expect(await ids('order=asc')).toEqual([T.t1, T.t2, T.t3, T.t4, T.t5, T.t6]);
      const t6 = (await api('/traces?limit=1')).body['traces'][0];
      expect(t6).toMatchObject({ traceId: T.t6, name: 'early-root', spans: 2 });
    });

    it('summarises each trace: figures over all spans, the session named by any span, feedback counts', async () => {
      const traces: Record<string, any>[] = (await api('/traces')).body['traces'];
      const byId = Object.fromEntries(traces.map((t) => [t.traceId, t]));
      expect(byId[T.t1]).toMatchObject({ kind: 'AGENT', sessionId: 's-A', userId: 'u-1', release: 'r1', model: 'gpt-4.1-mini', inputTokens: 100, outputTokens: 20, costUsd: 0.001, errors: 0, feedback: { count: 1, up: 1, down: 0 } });
      expect(byId[T.t2]).toMatchObject({ errors: 1, spans: 3, feedback: { count: 2, up: 0, down: 1, comments: 1, signals: { frustration: { count: 1, mean: 0.9 } } } });
      expect(byId[T.t4]).toMatchObject({ sessionId: 's-B', model: 'gpt-4.1', feedback: { count: 1, comments: 1 } });
      expect(byId[T.t5]).not.toHaveProperty('sessionId');
      expect(byId[T.t5]).not.toHaveProperty('costUsd');
    });

    it('pages with a cursor in both orders, each trace exactly once', async () => {
      for (const [order, all] of [['desc', [T.t6, T.t5, T.t4, T.t3, T.t2, T.t1]], ['asc', [T.t1, T.t2, T.t3, T.t4, T.t5, T.t6]]] as const) {
        const seen: string[] = [];
        let cursor: string | undefined;
        for (let page = 0; page < 4; page++) {
          const res = await api(`/traces?order=${order}&limit=4${cursor ? `&cursor=${cursor}` : ''}`);
          seen.push(...res.body['traces'].map((t: { traceId: string }) => t.traceId));
          cursor = res.body['nextCursor'];
          if (!cursor) break;
        }
        expect(seen).toEqual(all);
        expect(cursor).toBeUndefined();
      }
    });

    it('filters by attribute of the root or any span, typed values compared as text, every condition required', async () => {
      expect(await ids('attr=app.tier=gold')).toEqual([T.t1]);
      expect(await ids('attr=llm.provider=openai')).toEqual([T.t1]);
      expect(await ids('attr=app.retry_count=3')).toEqual([T.t2]);
      expect(await ids('attr=app.flag=true')).toEqual([T.t3]);
      expect(await ids('attr=app.ratio=0.25')).toEqual([T.t3]);
      expect(await ids('attr=llm.model_name=gpt-4.1-mini')).toEqual([T.t2, T.t1]);
      expect(await ids('attr=llm.model_name=gpt-4.1-mini&attr=app.tier=gold')).toEqual([T.t1]);
      expect(await ids('attr=app.tier=silver')).toEqual([]);
      expect(await ids(`attr=${encodeURIComponent('tool.name=lookup_order')}&errors=true`)).toEqual([T.t2]);
    });

    it('filters by feedback presence and by the range of the feedback values', async () => {
      expect(await ids('hasFeedback=any')).toEqual([T.t4, T.t3, T.t2, T.t1]);
      expect(await ids('hasFeedback=none')).toEqual([T.t6, T.t5]);
      expect(await ids('hasFeedback=negative')).toEqual([T.t2]);
      expect(await ids('hasFeedback=positive')).toEqual([T.t1]);
      expect(await ids('minScore=0.5')).toEqual([T.t1]); // t2 has a thumbs down (0)
      expect(await ids('maxScore=0.5')).toEqual([T.t3]);
      expect(await ids('minScore=0.1&scoreName=frustration')).toEqual([T.t3, T.t2]);
      expect(await ids('minScore=0.5&maxScore=1&scoreName=frustration')).toEqual([T.t2]);
      expect(await ids('maxScore=0&scoreName=thumbs')).toEqual([T.t2]);
    });

    it('filters by time, release, kind, session, user and errors', async () => {
      expect(await ids(`since=${BASE + 3000}`)).toEqual([T.t6, T.t5, T.t4]);
      expect(await ids(`since=${new Date(BASE + 1000).toISOString()}&until=${BASE + 3000}`)).toEqual([T.t3, T.t2]);
      expect(await ids('release=r1')).toEqual([T.t2, T.t1]);
      expect(await ids('kind=chain')).toEqual([T.t6, T.t3]);
      expect(await ids('session=s-B')).toEqual([T.t4, T.t3]);
      expect(await ids('user=u-2&order=asc')).toEqual([T.t3, T.t4]);
      expect(await ids('errors=true')).toEqual([T.t2]);
    });

    it('refuses a bad query parameter with 400 naming it', async () => {
      await rejects('hasFeedback=maybe', /^query field hasFeedback: /);
      await rejects('attr=app.tier', /^query field attr\.0: must be key=value/);
      await rejects('limit=0', /^query field limit: /);
      await rejects('limit=ten', /^query field limit: must be a whole number/);
      await rejects('cursor=bm9wZQ', /^query field cursor: not a cursor/);
      await rejects('relase=r1', /^query field relase: is not a known parameter/);
      await rejects('minScore=high', /^query field minScore: must be a number/);
      await rejects('minScore=2&maxScore=1', /^query field maxScore: must not be below minScore/);
      await rejects('scoreName=frustration', /^query field scoreName: needs minScore or maxScore/);
      await rejects('since=yesterday', /^query field since: must be epoch milliseconds or an ISO 8601 time/);
      await rejects('kind=robot', /^query field kind: /);
      await rejects('order=up', /^query field order: /);
      await rejects('limit=5&limit=6', /^query field limit: /);
    });

    it('lists sessions with traces, time span, tokens, cost, errors and feedback, newest activity first', async () => {
      const res = await api('/sessions');
      expect(res.status).toBe(200);
      expect(res.body['sessions'].map((s: { sessionId: string }) => s.sessionId)).toEqual(['s-B', 's-A']);
      const [b, a] = res.body['sessions'];
      expect(a).toMatchObject({ sessionId: 's-A', userId: 'u-1', traces: 2, spans: 5, errors: 1, firstTimeMs: BASE, lastTimeMs: BASE + 1900, lastActivityMs: BASE + 1900, inputTokens: 150, outputTokens: 30, totalTokens: 180, feedback: { count: 3, up: 1, down: 1, signals: { frustration: { count: 1, mean: 0.9 } } } });
      expect(a.costUsd).toBeCloseTo(0.0015, 10);
      expect(b).toMatchObject({ sessionId: 's-B', userId: 'u-2', traces: 2, spans: 3, errors: 0, firstTimeMs: BASE + 2000, lastTimeMs: BASE + 3800, lastActivityMs: BASE + 3700, totalTokens: 10, costUsd: 0, feedback: { count: 2, comments: 1 } });
      expect((await api('/sessions?user=u-1')).body['sessions'].map((s: { sessionId: string }) => s.sessionId)).toEqual(['s-A']);
      expect((await api('/sessions?release=r2')).body['sessions'].map((s: { sessionId: string }) => s.sessionId)).toEqual(['s-B']);
      expect((await api(`/sessions?since=${BASE + 2500}`)).body['sessions'].map((s: { sessionId: string }) => s.sessionId)).toEqual(['s-B']);
      expect((await api(`/sessions?until=${BASE + 1500}`)).body['sessions'].map((s: { sessionId: string }) => s.sessionId)).toEqual(['s-A']);
      const first = await api('/sessions?limit=1');
      expect(first.body['sessions'].map((s: { sessionId: string }) => s.sessionId)).toEqual(['s-B']);
      const second = await api(`/sessions?limit=1&cursor=${first.body['nextCursor']}`);
      expect(second.body['sessions'].map((s: { sessionId: string }) => s.sessionId)).toEqual(['s-A']);
      expect(second.body['nextCursor']).toBeUndefined();
      const bad = await api('/sessions?kind=llm');
      expect(bad).toMatchObject({ status: 400, body: { error: { code: 'usage', message: 'query field kind: is not a known parameter' } } });
    });

    it('orders and pages sessions by the latest span that names them, each exactly once at any page size', async () => {
      for (const limit of [1, 2, 3, 5, 7, 50]) {
        const seen: string[] = [];
        let cursor: string | undefined;
        for (let pages = 0; pages < 10; pages++) {
          const res = await api(`/sessions?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, { key: keys['chatViewer'], project: 'chat' });
          expect(res.status, JSON.stringify(res.body)).toBe(200);
          seen.push(...res.body['sessions'].map((s: { sessionId: string }) => s.sessionId));
          cursor = res.body['nextCursor'];
          if (cursor === undefined) break;
        }
        expect(seen, `limit ${limit}`).toEqual(CHAT_ORDER);
      }
      const c4 = (await api('/sessions/c-4', { key: keys['chatViewer'], project: 'chat' })).body['session'];
      expect(c4).toMatchObject({ traces: 1, spans: 2, firstTimeMs: BASE + 150, lastTimeMs: BASE + 500, lastActivityMs: BASE + 250 });
    });

    it('filters sessions by the spans that name them: since, until, release and user', async () => {
      const sessions = async (query: string) => (await api(`/sessions?${query}`)).body['sessions'].map((s: { sessionId: string }) => s.sessionId);
      // s-B's last span (t4's root, ending at 3800) names no session; the last that does ends at 3700.
      expect(await sessions(`since=${BASE + 3700}`)).toEqual(['s-B']);
      expect(await sessions(`since=${BASE + 3701}`)).toEqual([]);
      expect(await sessions(`until=${BASE + 2001}`)).toEqual(['s-B', 's-A']);
      expect(await sessions(`until=${BASE + 2000}`)).toEqual(['s-A']);
      expect(await sessions(`since=${BASE + 1900}&until=${BASE + 1000}`)).toEqual(['s-A']);
      expect(await sessions('release=r1')).toEqual(['s-A']);
      expect(await sessions('release=r3')).toEqual([]);
      expect(await sessions('user=u-2')).toEqual(['s-B']);
      expect(await sessions('user=u-3')).toEqual([]);
      // c-4's user and release are on its root, which names no session.
      const chat = async (query: string) => (await api(`/sessions?${query}`, { key: keys['chatViewer'], project: 'chat' })).body['sessions'].map((s: { sessionId: string }) => s.sessionId);
      expect(await chat('user=u-9')).toEqual([]);
      expect(await chat('release=r9')).toEqual([]);
      expect(await chat(`since=${BASE + 260}`)).toEqual(['c-7', 'c-5', 'c-3', 'c-2']);
      const page = await api('/sessions?limit=1&release=r1');
      expect(page.body['nextCursor']).toBeUndefined();
    });

    it('shows one session with its traces oldest first; 404 for an unknown one; other projects see nothing', async () => {
      const res = await api('/sessions/s-B');
      expect(res.status).toBe(200);
      expect(res.body['session']).toMatchObject({ sessionId: 's-B', traces: 2 });
      expect(res.body['traces'].map((t: { traceId: string }) => t.traceId)).toEqual([T.t3, T.t4]);
      expect((await api('/sessions/nope')).status).toBe(404);
      expect((await api('/sessions', { key: keys['otherViewer'] })).status).toBe(403);
      const other = await api('/sessions', { key: keys['otherViewer'], project: 'other' });
      expect(other).toMatchObject({ status: 200, body: { sessions: [] } });
    });

    it('promotes the traces a filter selects, and refuses a bad filter naming the field', async () => {
      const res = await api('/traces/promote', { method: 'POST', key: keys['engineer'], body: { dataset: 'complaints', filter: { hasFeedback: 'negative', limit: 10 } } });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ dataset: 'complaints', created: true, promoted: 1, examples: 1, traceIds: [T.t2] });
      const bad = await api('/traces/promote', { method: 'POST', key: keys['engineer'], body: { dataset: 'complaints', filter: { hasFeedback: 'sometimes' } } });
      expect(bad).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/^body field filter\.hasFeedback: /) } } });
      const none = await api('/traces/promote', { method: 'POST', key: keys['engineer'], body: { dataset: 'complaints', filter: { release: 'never' } } });
      expect(none).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/no trace to promote/) } } });
    });
  });
}
