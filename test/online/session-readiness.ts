/**
 * Production sessions scored by an online rule with `target: sessions`, end to end on a real server
 * and worker: the application sends its traces over OTLP with the OpenTelemetry SDK; a session whose
 * last span carries `evalops.session.end` is scored as soon as it has settled, without waiting for
 * idleness; a session without it is scored only once idle (the worker's clock is moved forward, the
 * server's is not); each is scored once, and again only when a trace arrives after its scoring; the
 * flagged session reaches the review queue with its transcript; the session's transcript and scores
 * are read and promoted over the API; a key of another project reads and promotes nothing.
 * Run on SQLite (session-readiness.test.ts) and PostgreSQL (session-readiness.pg.test.ts).
 */
import { OpenInferenceSpanKind, SemanticConventions as OI } from '@arizeai/openinference-semantic-conventions';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importModule } from '../../src/config/import-module.js';
import { asTranscript } from '../../src/core/transcript.js';
import { startOnlineWorker, type RunningWorker } from '../../src/online/online-worker.js';
import { loadRegisteredScorers } from '../../src/scorers/registered-scorers.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { sessionScoreKey } from '../../src/store/online-session-repository.js';
import type { Store } from '../../src/store/store.js';

interface Turn {
  readonly user: string;
  readonly answer: string;
  readonly end?: boolean;
  readonly failingTool?: string;
}

export function sessionReadinessSuite(name: string, makeStore: () => Promise<Store>): void {
  describe(`sessions in production on ${name}: readiness, scored once, review, promote, tenancy`, () => {
    let store: Store;
    let server: RunningServer;
    let worker: RunningWorker;
    let provider: BasicTracerProvider;
    let tracer: Tracer;
    let owner = '';
    let stranger = '';
    let ruleId = '';
    let clockAheadMs = 0;
    const api = async (method: string, path: string, body?: unknown, key = owner): Promise<{ status: number; json: any }> => {
      const res = await fetch(`${server.url}/api/v1${path}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      return { status: res.status, json: await res.json() };
    };
    const until = async (check: () => Promise<boolean>, what: string, ms = 90_000): Promise<void> => {
      const end = Date.now() + ms;
      while (!(await check())) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    const send = async (sessionId: string, turns: readonly Turn[]): Promise<string[]> => {
      const ids: string[] = [];
      const t0 = Date.now() - 60_000;
      turns.forEach((turn, i) => {
        const start = t0 + i * 5_000;
        const root = tracer.startSpan('support-agent', { kind: SpanKind.SERVER, startTime: start }, ROOT_CONTEXT);
        root.setAttributes({ [OI.OPENINFERENCE_SPAN_KIND]: OpenInferenceSpanKind.AGENT, [OI.INPUT_VALUE]: turn.user, [OI.SESSION_ID]: sessionId, ...(turn.end ? { 'evalops.session.end': true } : {}) });
        if (turn.failingTool) {
          const tool = tracer.startSpan(turn.failingTool, { kind: SpanKind.INTERNAL, startTime: start + 10 }, trace.setSpan(ROOT_CONTEXT, root));
          tool.setAttributes({ [OI.OPENINFERENCE_SPAN_KIND]: OpenInferenceSpanKind.TOOL, 'tool.name': turn.failingTool, [OI.INPUT_VALUE]: '{"order":"A1001"}' });
          tool.setStatus({ code: SpanStatusCode.ERROR, message: 'orders service timed out' });
          tool.end(start + 200);
        }
        root.setAttribute(OI.OUTPUT_VALUE, turn.answer);
        root.setStatus({ code: SpanStatusCode.OK });
        root.end(start + 400);
        ids.push(root.spanContext().traceId);
      });
      await provider.forceFlush();
      return ids;
    };
    const state = async (sessionId: string) => store.onlineSessions.get(ruleId, sessionId);

    beforeAll(async () => {
      store = await makeStore();
      const project = await store.projects.ensure('shop');
      const other = await store.projects.ensure('other');
      owner = (await store.apiKeys.create({ role: 'owner', projectId: project.id, createdBy: 'test' })).plaintext;
      stranger = (await store.apiKeys.create({ role: 'owner', projectId: other.id, createdBy: 'test' })).plaintext;
      const ingest = (await store.apiKeys.create({ role: 'ingest', projectId: project.id, createdBy: 'test' })).plaintext;
      const otherIngest = (await store.apiKeys.create({ role: 'ingest', projectId: other.id, createdBy: 'test' })).plaintext;
      const scorers = await loadRegisteredScorers(resolve('test/fixtures/scorers/sessions'), importModule);
      server = await startServer({ store, port: 0, host: '127.0.0.1', scorers });
      expect((await api('POST', '/projects/shop/review/queues', { name: 'sessions', metric: 'few_turns', rubric: { labels: [{ label: 'good' }, { label: 'bad' }], pass: ['good'] } })).status).toBe(201);
      const rule = await api('PUT', '/projects/shop/online/rules', {
        rule: {
          name: 'conversations',
          target: 'sessions',
          sampleRate: 1,
          settleSeconds: 1,
          flags: [],
          session: { idleSeconds: 3600, flags: [{ kind: 'long', maxTurns: 3 }, { kind: 'repeated_message' }, { kind: 'frustration' }] },
          reviewQueue: 'sessions',
          metrics: [
            { name: 'mentions_refund', scorer: { type: 'icontains', value: 'refund' } },
            { name: 'few_turns', scorer: { type: 'function', name: 'few_turns' } },
          ],
        },
      });
      expect(rule.status, JSON.stringify(rule.json)).toBe(200);
      ruleId = (await store.onlineRules.find(project.id, 'conversations'))!.id;
      worker = await startOnlineWorker({ store, registered: scorers, sweepMs: 200, monitorMs: 60_000, webhookMs: 60_000, now: () => Date.now() + clockAheadMs });
      provider = new BasicTracerProvider({
        resource: resourceFromAttributes({ 'service.name': 'support-bot' }),
        spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${server.url}/v1/traces`, headers: { Authorization: `Bearer ${ingest}` } }), { scheduledDelayMillis: 100 })],
      });
      tracer = provider.getTracer('session-readiness');
      // The other project holds a session of the same id: it must never mix with this project's.
      const otherProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${server.url}/v1/traces`, headers: { Authorization: `Bearer ${otherIngest}` } }))] });
      const otherRoot = otherProvider.getTracer('other').startSpan('agent', {}, ROOT_CONTEXT);
      otherRoot.setAttributes({ [OI.INPUT_VALUE]: 'secret question of another project', [OI.SESSION_ID]: 'chat-ended', 'evalops.session.end': true });
      otherRoot.end();
      await otherProvider.forceFlush();
      await otherProvider.shutdown();
    });

    afterAll(async () => {
      await provider?.shutdown();
      await worker?.stop();
      await server?.close();
      await store?.close();
    });

    it('scores a session ended by evalops.session.end without waiting for idleness, and leaves an idle-pending one alone', async () => {
      await send('chat-ended', [
        { user: 'Where is my refund for A1001?', answer: 'Let me check the order.', failingTool: 'lookup_order' },
        { user: 'Thanks, that is all.', answer: 'Your refund was issued today.', end: true },
      ]);
      await send('chat-idle', [
        { user: 'My kettle arrived broken.', answer: 'Sorry to hear that. What is the order number?' },
        { user: 'It is A1002.', answer: 'Thanks, I am looking.' },
        { user: 'It is A1002.', answer: 'I see the order.' },
        { user: 'This is ridiculous, talk to a human!', answer: 'I am passing you to a colleague.' },
      ]);
      await until(async () => (await state('chat-ended'))?.scorings === 1, 'the ended session to be scored');
      // Both sessions were counted by the sweep (their traces are older than the settle time) …
      await until(async () => (await state('chat-idle'))?.seenTraces === 4, 'the idle session to be counted');
      const idle = await state('chat-idle');
      // … but the one without the end attribute is not ready: no trace of it is an hour old.
      expect(idle).toMatchObject({ pending: true, scorings: 0, ended: false });
      expect((await store.onlineScores.forTrace(idle!.projectId, sessionScoreKey('chat-idle')))).toEqual([]);
      const ended = await store.onlineScores.forTrace(idle!.projectId, sessionScoreKey('chat-ended'));
      expect(ended).toHaveLength(1);
      expect(ended[0]).toMatchObject({ sampled: true, flags: [] });
      expect(ended[0]!.scores.map((s) => [s.metric, s.pass])).toEqual([
        ['few_turns', true],
        ['mentions_refund', true],
      ]);
      expect(ended[0]!.scores.find((s) => s.metric === 'few_turns')!.value).toBeCloseTo(0.8, 10);
    });

    it('scores the other session once it has been idle for idleSeconds, with its flags, and routes it to review with its transcript', async () => {
      clockAheadMs = 3_601_000; // the worker's clock only: the session's last trace is now over an hour old
      await until(async () => (await state('chat-idle'))?.scorings === 1, 'the idle session to be scored');
      const projectId = (await state('chat-idle'))!.projectId;
      const [scored] = await store.onlineScores.forTrace(projectId, sessionScoreKey('chat-idle'));
      expect(scored!.flags).toEqual(['long', 'repeated_message', 'frustration']);
      expect(scored!.scores.find((s) => s.metric === 'few_turns')).toMatchObject({ pass: false, reason: '4 turns' });
      const items = await api('GET', '/projects/shop/review/queues/sessions/items');
      expect(items.status).toBe(200);
      const item = items.json.items.find((i: any) => i.reason === 'flagged');
      expect(item).toBeDefined();
      const transcript = asTranscript(item.output);
      expect(transcript?.turns.map((t) => t.user)).toEqual(['My kettle arrived broken.', 'It is A1002.', 'It is A1002.', 'This is ridiculous, talk to a human!']);
      expect(items.json.items.filter((i: any) => i.reason === 'flagged')).toHaveLength(1); // the ended session raised no flag
    });

    it('scores each session once, and again only when a trace arrives after its scoring', async () => {
      // More sweeps and readiness passes go by: nothing is scored again.
      for (let i = 0; i < 3; i++) await worker.tick();
      await until(async () => (await worker.queue.counts()).queued === 0 && (await worker.queue.counts()).active === 0, 'the queue to drain');
      expect((await state('chat-ended'))?.scorings).toBe(1);
      expect((await state('chat-idle'))?.scorings).toBe(1);
      const counts = await store.onlineScores.scoreCount(ruleId);
      expect(counts).toEqual({ traces: 2, scores: 4, duplicates: 0 });
      // A new trace in the ended session: it is pending again, and (the worker's clock being an hour
      // ahead) idle at once, so it is scored a second time — its scores replace the first ones.
      await send('chat-ended', [{ user: 'Actually, one more question about the refund.', answer: 'Of course.' }]);
      await until(async () => (await state('chat-ended'))?.scorings === 2, 'the grown session to be scored again');
      expect(await store.onlineScores.scoreCount(ruleId)).toEqual({ traces: 2, scores: 4, duplicates: 0 });
      const [again] = await store.onlineScores.forTrace((await state('chat-ended'))!.projectId, sessionScoreKey('chat-ended'));
      expect(again!.scores.find((s) => s.metric === 'few_turns')!.value).toBeCloseTo(0.7, 10);
    });

    it('feeds the time series like trace metrics: one point per session', async () => {
      const series = await store.onlineScores.seriesPoints(ruleId, 'few_turns', 0, Date.now() + 1);
      expect(series.map((p) => [p.traceId, p.pass]).sort()).toEqual([
        [sessionScoreKey('chat-ended'), true],
        [sessionScoreKey('chat-idle'), false],
      ]);
    });

    it('feeds monitors like trace metrics: a threshold monitor on a session metric opens an alert citing the failing session', async () => {
      const saved = await api('PUT', '/projects/shop/monitors', { monitor: { name: 'few-turns', rule: 'conversations', metric: 'few_turns', detector: { kind: 'threshold', threshold: 0.9, minSamples: 2, windowMinutes: 600 } } });
      expect(saved.status, JSON.stringify(saved.json)).toBe(200);
      const evaluated = await api('POST', '/projects/shop/monitors/few-turns/evaluate');
      expect(evaluated.status, JSON.stringify(evaluated.json)).toBe(200);
      expect(evaluated.json.error).toBeNull();
      // Opened now, or a moment ago by the worker's own monitor pass.
      expect(['opened', 'still_open']).toContain(evaluated.json.alert?.change);
      const alert = await api('GET', `/projects/shop/alerts/${evaluated.json.alert.id}`);
      expect(alert.json.evidence.current).toMatchObject({ passed: 1, total: 2 });
      expect(alert.json.evidence.exampleTraceIds).toEqual([sessionScoreKey('chat-idle')]);
    });

    it('shows the transcript with tool errors and the session scores over the API', async () => {
      const r = await api('GET', '/projects/shop/sessions/chat-ended/transcript');
      expect(r.status).toBe(200);
      expect(r.json.transcript.turns).toHaveLength(3);
      expect(r.json.transcript.turns[0]).toMatchObject({ user: 'Where is my refund for A1001?', text: 'Let me check the order.', toolCalls: [{ name: 'lookup_order', arguments: { order: 'A1001' }, error: 'orders service timed out' }] });
      expect(JSON.stringify(r.json)).not.toContain('secret question of another project');
      expect(r.json.rules).toEqual([expect.objectContaining({ rule: 'conversations', pending: false, scorings: 2, sampled: true })]);
      expect(r.json.rules[0].scores.map((s: any) => s.metric).sort()).toEqual(['few_turns', 'mentions_refund']);
    });

    it('promotes a session into a conversation example of its user turns', async () => {
      const r = await api('POST', '/projects/shop/sessions/chat-idle/promote', { dataset: 'conversations' });
      expect(r.status, JSON.stringify(r.json)).toBe(201);
      expect(r.json).toMatchObject({ dataset: 'conversations', exampleId: 'session_chat-idle', turns: 4, examples: 1, created: true });
      const projectId = (await state('chat-idle'))!.projectId;
      const version = await store.datasets.getVersion(projectId, 'conversations');
      const [example] = await store.datasets.examples(version.id);
      expect(example).toMatchObject({ id: 'session_chat-idle', input: 'My kettle arrived broken.', source: 'trace' });
      expect((example!.metadata['session'] as any).userTurns).toEqual(['My kettle arrived broken.', 'It is A1002.', 'It is A1002.', 'This is ridiculous, talk to a human!']);
      expect((example!.metadata['session'] as any).traceIds).toHaveLength(4);
      const again = await api('POST', '/projects/shop/sessions/chat-idle/promote', { dataset: 'conversations' });
      expect(again.status).toBe(200);
      expect(again.json.created).toBe(false);
    });

    it("lets no key of another project read or promote this project's sessions", async () => {
      expect((await api('GET', '/projects/shop/sessions/chat-ended/transcript', undefined, stranger)).status).toBe(403);
      expect((await api('POST', '/projects/shop/sessions/chat-ended/promote', { dataset: 'stolen' }, stranger)).status).toBe(403);
      // Under its own project, the other key sees only its own session of the same id.
      const own = await api('GET', '/projects/other/sessions/chat-ended/transcript', undefined, stranger);
      expect(own.status).toBe(200);
      expect(own.json.transcript.turns.map((t: any) => t.user)).toEqual(['secret question of another project']);
      expect((await api('GET', '/projects/other/sessions/chat-idle/transcript', undefined, stranger)).status).toBe(404);
      expect((await api('POST', '/projects/other/sessions/chat-idle/promote', { dataset: 'stolen' }, stranger)).status).toBe(404);
      const otherId = (await store.projects.findByName('other'))!.id;
      await expect(store.datasets.getVersion(otherId, 'stolen')).rejects.toThrow();
    });
  });
}
