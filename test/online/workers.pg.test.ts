/**
 * Reliability on PostgreSQL with real processes: two `evalops serve` replicas take OTLP traffic (sent
 * to both, in turn, for several seconds) while two `evalops worker` processes score it through pg-boss.
 * The first worker is killed (SIGKILL) while it holds jobs, and two others take over. Every sampled trace must be
 * scored exactly once: no trace missed, no score stored twice, and the killed worker's jobs retried.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { sendCanaryTraffic } from '../../examples/support-bot/canary-traffic.js';
import { inSample } from '../../src/core/online/trace-sample.js';
import { BIN, runCli } from '../cli/run-cli.js';
import { createKeyLocally, startServe, type ServeProcess } from '../support/serve-process.js';
import { pgQuery, TEST_PG_URL, useTestPostgres } from '../support/test-postgres.js';

const { newSchema } = useTestPostgres('evalops_workers');

describe('two replicas and two workers on one PostgreSQL', () => {
  const schema = newSchema();
  const dir = mkdtempSync(join(tmpdir(), 'evalops-workers-'));
  const env = { EVALOPS_DATABASE_URL: TEST_PG_URL, EVALOPS_DATABASE_SCHEMA: schema, EVALOPS_ACTOR: 'test@example.com', EVALOPS_JOB_LEASE_SECONDS: '4', SLOW_SCORER_MS: '300' };
  const replicas: ServeProcess[] = [];
  const workers: ChildProcess[] = [];
  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    for (const r of replicas) r.stop();
    await pgQuery(`drop schema if exists "${schema}_pgboss" cascade`);
  });
  // The operator's scorers directory: online rules name its modules, workers load them (issue 14).
  const scorers = join(dir, 'scorers');
  const startWorker = (): ChildProcess => {
    const w = spawn(process.execPath, [BIN, 'worker', '--concurrency', '4', '--scorers', scorers], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    w.stderr!.on('data', () => undefined);
    workers.push(w);
    return w;
  };
  const query = async (text: string): Promise<any[]> => {
    const client = new pg.Client({ connectionString: TEST_PG_URL });
    await client.connect();
    try {
      return (await client.query(text)).rows;
    } finally {
      await client.end();
    }
  };

  it('scores every sampled trace exactly once through a worker kill', async () => {
    mkdirSync(scorers);
    const scorer = join(scorers, 'slow-scorer.mjs');
    writeFileSync(scorer, "export default async ({ text }) => { await new Promise((r) => setTimeout(r, Number(process.env.SLOW_SCORER_MS ?? 0))); return { pass: text.includes('policy') }; };\n");
    const online = join(dir, 'online.yaml');
    writeFileSync(online, `rules:\n  - name: prod\n    sampleRate: 0.5\n    settleSeconds: 1\n    flags: []\n    metrics:\n      - name: cites_policy\n        scorer: { type: function, name: slow-scorer }\n`);
    const applied = await runCli(['online', 'apply', online, '--project', 'support-bot', '--json'], { env });
    expect(applied.code, applied.stderr).toBe(0);
    const ingest = await createKeyLocally(env, ['--role', 'ingest', '--project', 'support-bot']);
    replicas.push(await startServe(env), await startServe(env));
    // The first worker is alone until it holds jobs; then it is killed mid-job and two others take over.
    const doomed = startWorker();
    const traceIds: string[] = [];
    const send = async (batch: number): Promise<void> => {
      const r = await sendCanaryTraffic({ endpoint: replicas[batch % 2]!.url, apiKey: ingest, traces: 60, canaryShare: 0.3, live: { release: '2.0.0', citesPolicy: 0.9 }, canary: { release: '2.1.0', citesPolicy: 0.7 }, seed: 100 + batch });
      traceIds.push(...r.traceIds);
    };
    await send(0);
    await send(1);
    const holdEnd = Date.now() + 60_000;
    for (;;) {
      const rows = await query(`select count(*)::int as n from "${schema}_pgboss".job where name = 'online-score' and state = 'active'`).catch(() => [{ n: 0 }]);
      if (rows[0].n > 0) break;
      if (Date.now() > holdEnd) throw new Error('the first worker never took a job');
      await new Promise((r) => setTimeout(r, 100));
    }
    doomed.kill('SIGKILL');
    startWorker();
    startWorker();
    for (let batch = 2; batch < 8; batch++) {
      await send(batch);
      await new Promise((r) => setTimeout(r, 500));
    }
    const expected = traceIds.filter((id) => inSample(id, 0.5)).length;
    const end = Date.now() + 120_000;
    let counts: { traces: number; scores: number; dups: number } = { traces: 0, scores: 0, dups: 0 };
    for (;;) {
      const [row] = await query(`select (select count(*)::int from "${schema}".online_traces) as traces, (select count(*)::int from "${schema}".online_scores) as scores, (select count(*)::int from (select 1 from "${schema}".online_scores group by rule_id, trace_id, metric having count(*) > 1) d) as dups`);
      counts = row;
      if (counts.traces >= expected || Date.now() > end) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    await new Promise((r) => setTimeout(r, 2000));
    const [final] = await query(`select (select count(*)::int from "${schema}".online_traces) as traces, (select count(*)::int from "${schema}".online_scores) as scores`);
    expect(final).toEqual({ traces: expected, scores: expected });
    expect(counts.dups).toBe(0);
    const scoredIds = new Set((await query(`select trace_id from "${schema}".online_traces`)).map((r) => r.trace_id as string));
    for (const id of traceIds) expect(scoredIds.has(id)).toBe(inSample(id, 0.5));
    const [retried] = await query(`select count(*)::int as n from "${schema}_pgboss".job where name = 'online-score' and retry_count > 0`);
    expect(retried.n).toBeGreaterThan(0); // the killed worker's jobs came back after their lease
    const [dead] = await query(`select count(*)::int as n from "${schema}_pgboss".job where name = 'online-score' and state = 'failed'`);
    expect(dead.n).toBe(0);
  }, 240_000);
});
