import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RunSummarySchema } from '../../src/core/run.js';
import { runCli } from './run-cli.js';

describe('evalops run (end to end, built CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-cli-run-'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'e2e.db')}` };
  let v1: ReturnType<typeof JSON.parse>;

  beforeAll(async () => {
    const res = await runCli(['run', '-c', 'examples/support-bot/evalops.yaml', '--json', '--no-cache'], { env });
    expect(res.code, res.stderr).toBe(0);
    v1 = JSON.parse(res.stdout);
  });

  it('prints one JSON document with the contract fields', () => {
    expect(RunSummarySchema.safeParse(v1).success).toBe(true);
    expect(v1.runId).toMatch(/^run_/);
    expect(v1.dataset).toEqual({ name: 'support-cases', version: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(v1.target).toEqual({ type: 'module', variant: expect.any(String), name: expect.stringMatching(/^\.\/agent\.ts#answer · [0-9a-f]{8}$/) });
    for (const m of Object.values(v1.metrics) as Record<string, unknown>[]) {
      expect(Object.keys(m)).toEqual(expect.arrayContaining(['n', 'passed', 'failed', 'errored', 'passRate', 'mean', 'ci95']));
    }
    expect(v1.latencyMs).toEqual({ p50: expect.any(Number), p95: expect.any(Number) });
    expect(v1.costUsd).toBeGreaterThan(0);
    expect(v1.costPerSuccessUsd).toBeCloseTo(v1.costUsd / v1.successes, 12);
  });

  it('scores the example: v1 passes its deterministic metrics, the judge is skipped with a notice', () => {
    expect(v1.results).toMatchObject({ total: 90, errors: 0, expected: 90 });
    expect(v1.metrics.cites_policy).toMatchObject({ n: 90, passed: 90, failed: 0 });
    expect(v1.metrics.helpfulness).toMatchObject({ n: 0, skipped: 90, passRate: null });
    expect(v1.notices).toEqual([expect.stringMatching(/helpfulness skipped: judge cannot call openai:.*OPENAI_API_KEY is not set/)]);
  });

  it('shows the v2 regression on the Spanish refund slice only', async () => {
    const res = await runCli(['run', '-c', 'examples/support-bot/evalops.v2.yaml', '--json'], { env });
    expect(res.code, res.stderr).toBe(0);
    const v2 = JSON.parse(res.stdout);
    expect(v2.target.variant).not.toBe(v1.target.variant);
    expect(v2.metrics.cites_policy.failed).toBeGreaterThan(0);
    expect(v2.metrics.no_leak.failed).toBe(0);
    const show = await runCli(['runs', 'show', v2.runId, '--failures', '--json'], { env });
    const failing = JSON.parse(show.stdout).items as { exampleId: string }[];
    expect(failing.length).toBeGreaterThan(0);
    expect(failing.every((r) => /^refund-es-/.test(r.exampleId))).toBe(true);
  });

  it('serves a rerun of the same variant from the cache', async () => {
    await runCli(['run', '-c', 'examples/support-bot/evalops.yaml', '--json'], { env });
    const res = await runCli(['run', '-c', 'examples/support-bot/evalops.yaml', '--json', '--label', 'branch=main'], { env });
    const doc = JSON.parse(res.stdout);
    expect(doc.results.cached).toBe(90);
    expect(doc.labels).toEqual({ branch: 'main' });
    expect(doc.metrics.cites_policy.passed).toBe(90);
  });

  it('prints a scorecard table without --json', async () => {
    const res = await runCli(['run', '-c', 'examples/support-bot/evalops.yaml'], { env });
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/cites_policy\s+product@example\.com\s+answer_quality\s+90\s+100\.0%/);
    expect(res.stdout).toMatch(/cost per successful run/);
    expect(res.stdout).toMatch(/latency p50/);
  });

  it('lists and shows stored runs', async () => {
    const list = await runCli(['runs', 'list', '-c', 'examples/support-bot/evalops.yaml', '--json'], { env });
    const runs = JSON.parse(list.stdout).runs as { runId: string; status: string }[];
    expect(runs.length).toBeGreaterThanOrEqual(4);
    expect(runs.map((r) => r.runId)).toContain(v1.runId);
    const show = await runCli(['runs', 'show', v1.runId, '--json'], { env });
    expect(JSON.parse(show.stdout)).toMatchObject({ runId: v1.runId, status: 'completed' });
    const missing = await runCli(['runs', 'show', 'run_nope', '--json'], { env });
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout).error).toMatchObject({ code: 'not_found' });
  });

  it('exits 4 when the target fails on every example', async () => {
    const proj = mkdtempSync(join(tmpdir(), 'evalops-cli-fail-'));
    writeFileSync(join(proj, 'cases.jsonl'), '{"input":"a"}\n{"input":"b"}\n');
    writeFileSync(join(proj, 'evalops.yaml'), 'version: 1\nproject: failing\ntarget: { type: http, url: "http://127.0.0.1:9/nothing", timeoutMs: 2000 }\ndataset: { name: d, path: ./cases.jsonl }\nmetrics:\n  - { name: any, scorer: { type: contains, value: x } }\nrun: { retries: 0 }\n');
    const res = await runCli(['run', '--json'], { cwd: proj, env });
    expect(res.code).toBe(4);
    const doc = JSON.parse(res.stdout);
    expect(doc.results).toMatchObject({ total: 2, errors: 2 });
  });
});
