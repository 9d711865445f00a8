/**
 * Killing a worker mid-job on the embedded default: `evalops worker` processes on one SQLite file,
 * the first killed (SIGKILL) while it holds jobs. Its jobs come back after their lease, the next
 * worker finishes them, and every sampled trace is stored with one score.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OnlineRuleSpecSchema } from '../../src/core/online/online-rule.js';
import { SpanSchema } from '../../src/core/span.js';
import { openStore, type Store } from '../../src/store/store.js';
import { BIN } from '../cli/run-cli.js';

describe('a worker killed mid-job on SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-kill-'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_JOB_LEASE_SECONDS: '3', SLOW_SCORER_MS: '400' };
  const workers: ChildProcess[] = [];
  let store: Store;
  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await store?.close();
  });
  // The operator's scorers directory: the rule names its module, workers load it (issue 14).
  const scorers = join(dir, 'scorers');
  const startWorker = (): ChildProcess => {
    const w = spawn(process.execPath, [BIN, 'worker', '--concurrency', '4', '--scorers', scorers], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'ignore'] });
    workers.push(w);
    return w;
  };

  it('retries the killed worker’s jobs after their lease and stores each score once', async () => {
    mkdirSync(scorers);
    const scorer = join(scorers, 'slow.mjs');
    writeFileSync(scorer, "export default async ({ text }) => { await new Promise((r) => setTimeout(r, Number(process.env.SLOW_SCORER_MS ?? 0))); return { pass: text.includes('policy') }; };\n");
    store = await openStore(env.EVALOPS_DATABASE_URL);
    const project = await store.projects.ensure('shop');
    const spans = Array.from({ length: 40 }, (_, i) => ({
      projectId: project.id,
      span: SpanSchema.parse({ traceId: (0xfeed00 + i).toString(16).padStart(32, '0'), spanId: (i + 1).toString(16).padStart(16, '0'), name: 'agent', kind: 'AGENT', otelKind: 'server', startTimeMs: Date.now() - 60_000 + i, endTimeMs: Date.now() - 59_000 + i, durationMs: 1000, status: 'ok', input: 'refund?', output: i % 3 ? 'per our policy' : 'soon', toolCalls: [], usage: {}, attributes: {}, resource: {}, events: [] }),
    }));
    await store.spans.insertBatch(spans);
    const { rule } = await store.onlineRules.save(project.id, OnlineRuleSpecSchema.parse({ name: 'slow', sampleRate: 1, settleSeconds: 1, flags: [], metrics: [{ name: 'cites', scorer: { type: 'function', name: 'slow' } }] }), { backfill: true });

    const doomed = startWorker();
    const end = Date.now() + 60_000;
    for (;;) {
      const active = await store.db.selectFrom('online_jobs').select('id').where('state', '=', 'active').execute();
      if (active.length > 0) break;
      if (Date.now() > end) throw new Error('the first worker never took a job');
      await new Promise((r) => setTimeout(r, 50));
    }
    doomed.kill('SIGKILL');
    startWorker();
    for (;;) {
      const c = await store.onlineScores.scoreCount(rule.id);
      if (c.traces >= 40) break;
      if (Date.now() > end + 60_000) throw new Error(`only ${c.traces} of 40 traces scored`);
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, 1000));
    expect(await store.onlineScores.scoreCount(rule.id)).toEqual({ traces: 40, scores: 40, duplicates: 0 });
    const retried = await store.db.selectFrom('online_jobs').select(['key', 'attempts', 'state']).where('attempts', '>', 1).execute();
    expect(retried.length).toBeGreaterThan(0); // the jobs the killed worker held, handed out again
    expect(retried.every((j) => j.state === 'completed')).toBe(true);
  }, 180_000);
});
