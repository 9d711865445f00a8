import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importModule } from '../../src/config/import-module.js';
import type { Example } from '../../src/core/example.js';
import { createScorer } from '../../src/scorers/create-scorer.js';
import { executeRun, type MetricScorer } from '../../src/runner/execute-run.js';
import { openStore, type Store } from '../../src/store/store.js';
import { createTarget } from '../../src/targets/create-target.js';
import type { Target } from '../../src/targets/target.js';
import { sendJson, startScriptedHttpServer, type ScriptedHttpServer } from '../support/scripted-http-server.js';
import { tempFiles, type TempFiles } from '../support/temp-files.js';

const examples = (n: number): Example[] =>
  Array.from({ length: n }, (_, i) => ({ id: `ex-${String(i).padStart(3, '0')}`, input: { q: `question ${i}` }, expected: { word: `question ${i}` }, metadata: {}, slices: [], source: 'manual' as const }));

describe('executeRun', () => {
  let store: Store;
  let server: ScriptedHttpServer | undefined;
  let files: TempFiles | undefined;
  const deps = { baseDir: '/', importModule };

  beforeEach(async () => {
    store = await openStore(':memory:');
  });
  afterEach(async () => {
    await server?.close();
    await files?.remove();
    await store.close();
    server = undefined;
    files = undefined;
  });

  async function newRun(target: Target, n: number, repeat = 1) {
    const project = await store.projects.ensure('p');
    const { version } = await store.datasets.saveVersion(project.id, 'd', `h${n}`, examples(n));
    return store.runs.create({ projectId: project.id, datasetVersionId: version.id, targetType: target.type, targetVariant: target.variant, metrics: [], labels: {}, repeat });
  }

  async function metric(): Promise<MetricScorer[]> {
    return [{ name: 'echoes', scorer: await createScorer({ type: 'contains', value: '{{expected.word}}' }, deps) }];
  }

  function httpTarget(url: string, cacheKey?: string): Promise<Target> {
    return createTarget({ type: 'http', url, method: 'POST', headers: {}, responsePath: 'answer', timeoutMs: 5_000, ...(cacheKey ? { cache: { key: cacheKey } } : {}) }, deps);
  }

  it('retries a 429 after the Retry-After delay and records the attempts', async () => {
    const seen = new Map<string, number>();
    server = await startScriptedHttpServer((req, res) => {
      const q = (JSON.parse(req.body) as { input: { q: string } }).input.q;
      const count = (seen.get(q) ?? 0) + 1;
      seen.set(q, count);
      if (q === 'question 1' && count === 1) return sendJson(res, 429, { error: 'slow down' }, { 'retry-after': '0' });
      sendJson(res, 200, { answer: `you asked ${q}` });
    });
    const target = await httpTarget(server.url);
    const run = await newRun(target, 3);
    const waits: number[] = [];
    const outcome = await executeRun(
      { runId: run.id, examples: examples(3), target, metrics: await metric(), concurrency: 2, repeat: 1, retries: 2, cache: false },
      { runs: store.runs, cache: store.cache, sleep: async (ms) => void waits.push(ms) },
    );
    expect(outcome).toMatchObject({ interrupted: false, written: 3 });
    const results = await store.runs.results(run.id);
    expect(results.find((r) => r.exampleId === 'ex-001')).toMatchObject({ attempts: 2, output: 'you asked question 1' });
    expect(results.every((r) => r.scores['echoes']?.pass === true)).toBe(true);
    expect(waits).toHaveLength(1);
  });

  it('waits at least as long as Retry-After asks', async () => {
    let first = true;
    server = await startScriptedHttpServer((_req, res) => {
      if (first) {
        first = false;
        return sendJson(res, 503, {}, { 'retry-after': '7' });
      }
      sendJson(res, 200, { answer: 'question 0' });
    });
    const target = await httpTarget(server.url);
    const run = await newRun(target, 1);
    const waits: number[] = [];
    await executeRun({ runId: run.id, examples: examples(1), target, metrics: await metric(), concurrency: 1, repeat: 1, retries: 1, cache: false }, { runs: store.runs, cache: store.cache, sleep: async (ms) => void waits.push(ms) });
    expect(waits[0]).toBeGreaterThanOrEqual(7_000);
  });

  it('records a failing example as that result\'s error and goes on', async () => {
    server = await startScriptedHttpServer((req, res) => {
      const q = (JSON.parse(req.body) as { input: { q: string } }).input.q;
      if (q === 'question 2') return sendJson(res, 400, { error: 'bad question' });
      sendJson(res, 200, { answer: q });
    });
    const target = await httpTarget(server.url);
    const run = await newRun(target, 4);
    await executeRun({ runId: run.id, examples: examples(4), target, metrics: await metric(), concurrency: 4, repeat: 1, retries: 3, cache: false }, { runs: store.runs, cache: store.cache });
    const results = await store.runs.results(run.id);
    expect(results).toHaveLength(4);
    const bad = results.find((r) => r.exampleId === 'ex-002')!;
    expect(bad.error).toMatch(/400/);
    expect(bad.attempts).toBe(1);
    expect(bad.scores).toEqual({});
    expect(results.filter((r) => r.error === undefined)).toHaveLength(3);
  });

  it('gives up after the configured retries and records the last error', async () => {
    server = await startScriptedHttpServer((_req, res) => sendJson(res, 500, { error: 'down' }));
    const target = await httpTarget(server.url);
    const run = await newRun(target, 1);
    await executeRun({ runId: run.id, examples: examples(1), target, metrics: await metric(), concurrency: 1, repeat: 1, retries: 2, cache: false }, { runs: store.runs, cache: store.cache, sleep: async () => undefined });
    const [result] = await store.runs.results(run.id);
    expect(result).toMatchObject({ attempts: 3 });
    expect(result!.error).toMatch(/500/);
    expect(server.requests).toHaveLength(3);
  });

  it('never has more calls in flight than the concurrency limit', async () => {
    let inFlight = 0;
    let peak = 0;
    server = await startScriptedHttpServer((req, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight--;
        sendJson(res, 200, { answer: (JSON.parse(req.body) as { input: { q: string } }).input.q });
      }, 5);
    });
    const target = await httpTarget(server.url);
    const run = await newRun(target, 40);
    await executeRun({ runId: run.id, examples: examples(40), target, metrics: await metric(), concurrency: 3, repeat: 1, retries: 0, cache: false }, { runs: store.runs, cache: store.cache });
    expect(peak).toBe(3);
    expect(server.requests).toHaveLength(40);
  });

  it('serves a rerun from the cache without calling the target, per trial', async () => {
    server = await startScriptedHttpServer((req, res) => sendJson(res, 200, { answer: (JSON.parse(req.body) as { input: { q: string } }).input.q }));
    const target = await httpTarget(server.url, 'deploy-1');
    const opts = { examples: examples(5), target, concurrency: 2, repeat: 2, retries: 0, cache: true };
    const first = await newRun(target, 5, 2);
    const firstOutcome = await executeRun({ ...opts, runId: first.id, metrics: await metric() }, { runs: store.runs, cache: store.cache });
    expect(server.requests).toHaveLength(10); // 5 examples × 2 independent trials
    expect(firstOutcome.cachedFrom).toEqual([]);
    const second = await newRun(target, 5, 2);
    const secondOutcome = await executeRun({ ...opts, runId: second.id, metrics: await metric() }, { runs: store.runs, cache: store.cache });
    expect(server.requests).toHaveLength(10);
    expect(secondOutcome.cachedFrom).toEqual([{ runId: first.id, results: 10, at: expect.any(String) }]);
    const results = await store.runs.results(second.id);
    expect(results).toHaveLength(10);
    expect(results.every((r) => r.cached && r.scores['echoes']?.pass === true)).toBe(true);
    const third = await newRun(target, 5, 2);
    await executeRun({ ...opts, cache: false, runId: third.id, metrics: await metric() }, { runs: store.runs, cache: store.cache });
    expect(server.requests).toHaveLength(20);
  });

  it('never serves an http target without cache.key from an earlier run, but records its responses', async () => {
    server = await startScriptedHttpServer((req, res) => sendJson(res, 200, { answer: (JSON.parse(req.body) as { input: { q: string } }).input.q }));
    const target = await httpTarget(server.url);
    const opts = { examples: examples(3), target, concurrency: 1, repeat: 1, retries: 0, cache: true };
    for (let i = 0; i < 2; i++) {
      const run = await newRun(target, 3, 1);
      const outcome = await executeRun({ ...opts, runId: run.id, metrics: await metric() }, { runs: store.runs, cache: store.cache });
      expect(outcome.cachedFrom).toEqual([]);
      expect((await store.runs.results(run.id)).some((r) => r.cached)).toBe(false);
    }
    expect(server.requests).toHaveLength(6);
  });

  it('stops on abort, keeps every finished result and reports the run interrupted', async () => {
    files = await tempFiles({
      'slow.mjs': `export default async (input, ctx) => { await new Promise((r, j) => { const t = setTimeout(r, 20); ctx.signal.addEventListener('abort', () => { clearTimeout(t); j(new Error('aborted')); }); }); return input.q; };\n`,
    });
    const target = await createTarget({ type: 'module', path: `${files.dir}/slow.mjs`, export: 'default' }, deps);
    const run = await newRun(target, 200);
    const controller = new AbortController();
    let seenDone = 0;
    const outcome = await executeRun(
      { runId: run.id, examples: examples(200), target, metrics: await metric(), concurrency: 2, repeat: 1, retries: 0, cache: false, signal: controller.signal },
      {
        runs: store.runs,
        cache: store.cache,
        onProgress: (p) => {
          seenDone = p.done;
          if (p.done >= 10) controller.abort();
        },
      },
    );
    expect(outcome.interrupted).toBe(true);
    const results = await store.runs.results(run.id);
    expect(results.length).toBe(outcome.written);
    expect(results.length).toBeGreaterThanOrEqual(10);
    expect(results.length).toBeLessThan(200);
    expect(results.every((r) => r.error === undefined)).toBe(true); // abandoned calls are not recorded as errors
    expect(seenDone).toBe(results.length);
  });

  it('turns a scorer that throws into an errored score, not a lost result', async () => {
    files = await tempFiles({ 'echo.mjs': 'export default (input) => input.q;\n' });
    const target = await createTarget({ type: 'module', path: `${files.dir}/echo.mjs`, export: 'default' }, deps);
    const run = await newRun(target, 2);
    const throwing: MetricScorer = { name: 'broken', scorer: { type: 'contains', version: 'v', score: () => { throw new Error('kaboom'); } } };
    await executeRun({ runId: run.id, examples: examples(2), target, metrics: [throwing], concurrency: 1, repeat: 1, retries: 0, cache: false }, { runs: store.runs, cache: store.cache });
    const results = await store.runs.results(run.id);
    expect(results.map((r) => r.scores['broken'])).toEqual([
      { status: 'errored', value: null, pass: null, reason: 'scorer failed: kaboom', scorerVersion: 'v' },
      { status: 'errored', value: null, pass: null, reason: 'scorer failed: kaboom', scorerVersion: 'v' },
    ]);
  });
  it('holds one abort listener per call in flight on the run’s signal without a MaxListenersExceededWarning at high concurrency', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => void warnings.push(w);
    process.on('warning', onWarning);
    try {
      server = await startScriptedHttpServer(async (req, res) => {
        await new Promise((r) => setTimeout(r, 20));
        sendJson(res, 200, { answer: `you asked ${(JSON.parse(req.body) as { input: { q: string } }).input.q}` });
      });
      const target = await httpTarget(server.url);
      const run = await newRun(target, 64);
      const outcome = await executeRun(
        { runId: run.id, examples: examples(64), target, metrics: await metric(), concurrency: 32, repeat: 1, retries: 2, cache: false, signal: new AbortController().signal },
        { runs: store.runs, cache: store.cache },
      );
      expect(outcome).toMatchObject({ interrupted: false, written: 64 });
      // Warnings are emitted on the next tick.
      await new Promise((r) => setImmediate(r));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message)).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
