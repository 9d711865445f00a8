import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importModule } from '../../src/config/import-module.js';
import { loadConfig } from '../../src/config/load-config.js';
import { isEvalOpsError } from '../../src/core/errors.js';
import { compareRuns } from '../../src/gate/compare-runs.js';
import { runGate } from '../../src/gate/gate-service.js';
import { runEvaluation } from '../../src/runner/run-evaluation.js';
import { openStore, type Store } from '../../src/store/store.js';

/**
 * Subsets end to end on the services, on SQLite: `run --subset` draws the configured stratified
 * sample, the comparison pairs it with the same items of a full baseline (which never ran on the
 * subset), and a PR gate blocks only on effects the subset can detect.
 *
 * 400 examples: intent:common (360) and intent:rare (40); e000–e002 are critical. Agent v1 answers
 * every one. v2 stops answering the rare intent (a 10-point drop overall, 100 in the slice). v3
 * stops answering 2.5% (i % 40 === 3), a drop a 100-example subset cannot see
 * against a `min: 0.98` bound.
 */
describe('subsets and PR gates', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-subset-'));
  let store: Store;
  const rows = Array.from({ length: 400 }, (_, i) => ({
    id: `e${String(i).padStart(3, '0')}`,
    input: { i },
    slices: [`intent:${i % 10 === 9 ? 'rare' : 'common'}`],
    ...(i < 3 ? { metadata: { critical: true } } : {}),
  }));
  writeFileSync(join(dir, 'cases.jsonl'), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
  writeFileSync(join(dir, 'v1.mjs'), 'export default async () => "ANSWER";\n');
  writeFileSync(join(dir, 'v2.mjs'), 'export default async ({ i }) => (i % 10 === 9 ? "-" : "ANSWER");\n');
  writeFileSync(join(dir, 'v3.mjs'), 'export default async ({ i }) => (i % 40 === 3 ? "-" : "ANSWER");\n');
  const config = (agent: string, extra: string[] = [], subsets = ['  pr: { size: 100, seed: 7 }']): string => {
    const file = join(dir, `${agent}-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(
      file,
      [
        'version: 1',
        'project: subsets',
        `target: { type: module, path: ./${agent}.mjs }`,
        'dataset: { name: cases, path: ./cases.jsonl }',
        'metrics:',
        '  - { name: answer, owner: qa@example.com, scorer: { type: contains, value: ANSWER } }',
        'run: { cache: false }',
        'subsets:',
        ...subsets,
        'gate:',
        '  rules:',
        '    - { metric: answer, noRegression: true, perSlice: true, action: block }',
        '    - { metric: answer, min: 0.98, action: block }',
        ...extra,
        '',
      ].join('\n'),
    );
    return file;
  };
  const run = async (file: string, subset?: string) => {
    const loaded = await loadConfig(file);
    return runEvaluation(loaded, subset ? { subset } : {}, { store, env: {}, importModule });
  };
  const gate = async (file: string, candidate: string, options: { baseline?: string; mode?: 'pr' | 'full' } = {}) => {
    const { config } = await loadConfig(file);
    return runGate(store, { project: 'subsets', gate: config.gate!, metrics: [{ name: 'answer', owner: 'qa@example.com' }] }, { actor: 'ci@example.com', candidate, ...options });
  };
  let baseline: string;

  beforeAll(async () => {
    store = await openStore(`sqlite:${join(dir, 'db.sqlite')}`);
    baseline = (await run(config('v1'))).summary.runId;
    const first = await gate(config('v1'), baseline, { mode: 'full' });
    expect(first.outcome).toBe('approve');
  }, 60_000);
  afterAll(async () => store.close());

  it('runs the stratified subset: the size asked, every slice kept, the critical examples in, the same ids on every run', async () => {
    const a = await run(config('v1'), 'pr');
    const b = await run(config('v2'), 'pr');
    expect(a.summary.subset).toMatchObject({ name: 'pr', size: 100, datasetSize: 400, requested: 100, critical: 3, seed: 7, slices: 2 });
    expect(a.summary.results.total).toBe(100);
    const ids = await store.runs.exampleIds(a.summary.runId);
    expect(ids.sort()).toEqual((await store.runs.exampleIds(b.summary.runId)).sort());
    expect(ids).toEqual(expect.arrayContaining(['e000', 'e001', 'e002']));
    const rare = ids.filter((id) => Number(id.slice(1)) % 10 === 9).length;
    expect(rare).toBeGreaterThanOrEqual(9); // proportional: 10 of 100, give or take one
    expect(rare).toBeLessThanOrEqual(11);
    expect((await store.subsets.forRun(a.summary.runId))?.exampleIds.slice().sort()).toEqual(ids.sort());
  });

  it('pairs a subset candidate with the same items of a full baseline, never imputing the rest as candidate fails', async () => {
    const candidate = (await run(config('v1'), 'pr')).summary.runId;
    const c = await compareRuns(store, baseline, candidate);
    expect(c.pairing).toMatchObject({ paired: 100, baselineOnly: [], candidateOnly: [] });
    expect(c.subset).toMatchObject({ name: 'pr', size: 100, baselineLeftOut: 300 });
    const overall = c.comparisons.find((x) => x.metric === 'answer' && x.slice === null);
    expect(overall).toMatchObject({ n: 100, baseline: 1, candidate: 1 });
    expect(overall?.imputed.candidate).toBe(0);
  });

  it('a subset item the candidate has no result for still counts against it', async () => {
    const candidate = (await run(config('v1'), 'pr')).summary.runId;
    const record = await store.subsets.forRun(candidate);
    // Drop one subset example's results, as a crash between writes would.
    const victim = record!.exampleIds[5] as string;
    await store.db.deleteFrom('scores').where('run_id', '=', candidate).where('example_id', '=', victim).execute();
    await store.db.deleteFrom('results').where('run_id', '=', candidate).where('example_id', '=', victim).execute();
    const c = await compareRuns(store, baseline, candidate);
    expect(c.pairing.baselineOnly).toEqual([victim]);
    const overall = c.comparisons.find((x) => x.metric === 'answer' && x.slice === null);
    expect(overall?.imputed.candidate).toBe(1);
    expect(overall?.candidate).toBeCloseTo(0.99, 10);
  });

  it('a PR gate blocks a regression the subset can see, and states the subset, its MDE per rule and that the full suite decides on main', async () => {
    const candidate = (await run(config('v2'), 'pr')).summary.runId;
    const d = await gate(config('v1'), candidate);
    expect(d.mode).toBe('pr');
    expect(d.outcome).toBe('block');
    expect(d.baseline.runId).toBe(baseline);
    expect(d.subset).toMatchObject({ name: 'pr', size: 100, datasetSize: 400 });
    expect(d.subset?.note).toMatch(/the full suite decides on main/);
    const rule = d.subset?.rules.find((r) => r.metric === 'answer');
    expect(rule?.n).toBe(100);
    expect(rule?.mde).toBeGreaterThan(0);
    expect(d.findings.some((f) => f.condition === 'noRegression' && f.status === 'failed')).toBe(true);
  });

  it('a PR gate does not block on what the subset cannot detect, and says so; the full gate on the full run blocks', async () => {
    const candidate = (await run(config('v3'), 'pr')).summary.runId;
    const d = await gate(config('v1'), candidate);
    expect(d.mode).toBe('pr');
    const min = d.findings.find((f) => f.condition === 'min' && f.slice === null);
    const summary = (await store.runs.get(candidate)).summary!;
    // The point estimate is below the bound, but its interval reaches it: not detectable here.
    expect(summary.metrics.answer?.passRate).toBeLessThan(0.98);
    expect(summary.metrics.answer?.ci95?.[1]).toBeGreaterThanOrEqual(0.98);
    expect(min?.status).toBe('passed');
    expect(min?.message).toMatch(/not detectable on the PR subset/);
    expect(d.outcome).toBe('approve');
    // Slices of about 10 examples are below the minimum of a paired test: said, not silently passed.
    const rare = d.findings.find((f) => f.condition === 'noRegression' && f.slice === 'intent:rare');
    expect(rare?.message).toMatch(/not detectable on the PR subset/);

    const full = (await run(config('v3'))).summary.runId;
    const fd = await gate(config('v1'), full);
    expect(fd.mode).toBe('full');
    expect(fd.outcome).toBe('block');
    expect(fd.findings.find((f) => f.condition === 'min' && f.slice === null)?.status).toBe('failed');
  });

  it('refuses a full-mode gate on a subset run, and never takes a subset run as the last-approved baseline', async () => {
    const candidate = (await run(config('v1'), 'pr')).summary.runId;
    const err = await gate(config('v1'), candidate, { mode: 'full' }).catch((e: unknown) => e);
    expect(isEvalOpsError(err) && err.code === 'usage' && err.location === '--mode').toBe(true);
    const d = await gate(config('v1'), candidate);
    expect(d.outcome).toBe('approve');
    const project = await store.projects.findByName('subsets');
    const last = await store.decisions.lastApprovedRunId(project!.id, 'cases');
    expect(last).not.toBe(candidate);
  });

  it('bad input: a subset larger than the dataset, an unknown subset, a detect drop ≤ 0 — each names the field', async () => {
    const big = await run(config('v1', [], ['  pr: { size: 401 }']), 'pr').catch((e: unknown) => e);
    expect(isEvalOpsError(big) && big.location).toBe('subsets.pr.size');
    expect(String((big as Error).message)).toMatch(/larger than the dataset's 400/);
    const unknown = await run(config('v1'), 'nightly').catch((e: unknown) => e);
    expect(isEvalOpsError(unknown) && unknown.location).toBe('--subset');
    expect(String((unknown as Error).message)).toMatch(/configured: pr/);
    const zero = await loadConfig(config('v1', [], ['  pr: { detect: { drop: 0 } }'])).catch((e: unknown) => e);
    expect(isEvalOpsError(zero) && zero.code).toBe('config');
    expect(`${(zero as { location?: string }).location} ${(zero as Error).message}`).toMatch(/subsets\.pr\.detect\.drop.*above 0/);
  });

  it('sizes a detect: subset with the planner, and refuses a drop the dataset is too small for', async () => {
    const planned = await run(config('v1', [], ['  pr: { detect: { drop: 0.2, power: 0.8 } }']), 'pr');
    const size = planned.summary.subset?.size ?? 0;
    expect(size).toBeGreaterThanOrEqual(10);
    expect(size).toBeLessThan(400);
    const tiny = await run(config('v1', [], ['  pr: { detect: { drop: 0.01, power: 0.9 } }']), 'pr').catch((e: unknown) => e);
    expect(isEvalOpsError(tiny) && tiny.location).toBe('subsets.pr.detect.drop');
    expect(String((tiny as Error).message)).toMatch(/needs \d+ paired examples; the dataset has 400/);
  });
});
