#!/usr/bin/env node
/**
 * Online session scoring (issue 18): how fast the worker turns N idle sessions into session scores.
 * N sessions of T traces each (a root AGENT span with the user's message and the answer, an LLM
 * child) are stored; one online rule with `target: sessions`, sample rate 1, two code metrics and
 * the default session flags is saved with backfill. The in-process worker (embedded queue on SQLite,
 * concurrency 4; sweep every 100 ms) runs with its clock two hours ahead, so every session is idle at
 * once: its sweeps count the traces into sessions, queue one job per ready session, and each job reads
 * the session's traces (sessionTraces), builds the transcript, scores it and stores the scores. Wall
 * time from the worker start to the last session scored; verified: every session scored exactly once.
 *
 *   node bench/online/session-sweep-bench.mjs [--sessions 1000] [--traces 10]     (needs `npm run build`)
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { REPO_ROOT, WORK_DIR } from '../lib/paths.mjs';

const dist = async (path) => import(`${REPO_ROOT}/dist/${path}`);

const RULE = {
  name: 'sessions-bench',
  target: 'sessions',
  sampleRate: 1,
  settleSeconds: 1,
  flags: [],
  session: { idleSeconds: 600 },
  metrics: [
    { name: 'mentions_refund', scorer: { type: 'icontains', value: 'refund' } },
    { name: 'short_answers', scorer: { type: 'length', maxWords: 400 } },
  ],
};

function spansFor(projectId, s, t, tracesPerSession, t0) {
  const n = s * tracesPerSession + t;
  const traceId = (0x20000000 + n).toString(16).padStart(32, '0');
  const root = (n * 2 + 1).toString(16).padStart(16, '0');
  const start = t0 + s * 1000 + t * 60_000;
  const base = { traceId, otelKind: 'internal', status: 'ok', toolCalls: [], usage: {}, attributes: {}, resource: {}, events: [], release: '2.0.0', sessionId: `session-${s}` };
  return [
    { projectId, span: { ...base, spanId: root, name: 'support-agent', kind: 'AGENT', startTimeMs: start, endTimeMs: start + 400, durationMs: 400, input: `Turn ${t}: where is my refund for order A${s}?`, output: t % 3 === 0 ? 'Let me check.' : 'Per our refund policy it arrives within 5 days.' } },
    { projectId, span: { ...base, spanId: (n * 2 + 2).toString(16).padStart(16, '0'), parentSpanId: root, name: 'ChatCompletion', kind: 'LLM', startTimeMs: start + 5, endTimeMs: start + 390, durationMs: 385, model: 'gpt-4.1-mini' } },
  ];
}

export async function runSessionSweepBench({ sessions = 1000, traces = 10 } = {}) {
  const { openStore } = await dist('store/store.js');
  const { SpanSchema } = await dist('core/span.js');
  const { OnlineRuleSpecSchema } = await dist('core/online/online-rule.js');
  const { startOnlineWorker } = await dist('online/online-worker.js');
  const dir = join(WORK_DIR, 'session-sweep');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const store = await openStore(`sqlite:${join(dir, 'db.sqlite')}`);
  const project = await store.projects.ensure('bench');
  const t0 = Date.now() - 3 * 3600_000;
  let batch = [];
  for (let s = 0; s < sessions; s++) {
    for (let t = 0; t < traces; t++) for (const w of spansFor(project.id, s, t, traces, t0)) batch.push({ projectId: w.projectId, span: SpanSchema.parse(w.span) });
    if (batch.length >= 2000) {
      await store.spans.insertBatch(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await store.spans.insertBatch(batch);
  const { rule } = await store.onlineRules.save(project.id, OnlineRuleSpecSchema.parse(RULE), { backfill: true });
  // Let the stored traces settle (settleSeconds 1) before the worker starts.
  await new Promise((r) => setTimeout(r, 1500));

  const ahead = 2 * 3600_000;
  const started = performance.now();
  const worker = await startOnlineWorker({ store, concurrency: 4, sweepMs: 100, monitorMs: 600_000, webhookMs: 600_000, now: () => Date.now() + ahead });
  let firstScoredMs;
  for (const deadline = Date.now() + 30 * 60_000; ; ) {
    const c = await store.onlineScores.scoreCount(rule.id);
    if (c.traces > 0 && firstScoredMs === undefined) firstScoredMs = performance.now() - started;
    if (c.traces >= sessions) break;
    if (Date.now() > deadline) throw new Error(`only ${c.traces} of ${sessions} sessions scored in 30 min`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const ms = performance.now() - started;
  await worker.stop();
  await new Promise((r) => setTimeout(r, 300));
  const final = await store.onlineScores.scoreCount(rule.id);
  await store.close();
  const exact = final.traces === sessions && final.scores === sessions * RULE.metrics.length && final.duplicates === 0;
  return { sessions, traces, spans: sessions * traces * 2, ms, firstScoredMs, perSec: (sessions / ms) * 1000, exact, final };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { sessions: { type: 'string' }, traces: { type: 'string' } } });
  const load = readFileSync('/proc/loadavg', 'utf8').trim();
  const r = await runSessionSweepBench({ sessions: Number(values.sessions ?? 1000), traces: Number(values.traces ?? 10) });
  process.stdout.write(`${JSON.stringify({ ...r, loadBefore: load, loadAfter: readFileSync('/proc/loadavg', 'utf8').trim() })}\n`);
  if (!r.exact) process.exitCode = 2;
}
