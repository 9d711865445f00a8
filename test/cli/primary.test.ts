import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

/**
 * "Power where examples share nothing" (issue 13): with 3 metrics × 2 slices, weighted Holm gives a
 * metric's whole-dataset test a sixth of α, so a real drop with one-sided p ≈ 0.01 is not blocked.
 * Marked `primary: true`, the metric's test starts with half of α (graphical procedure) and the same
 * runs are blocked — while the comparison still says which correction it used.
 *
 * 200 examples. Metric `answer`: v1 passes examples 0–179; v2 fails 0–19 (20 pass → fail) and passes
 * 180–186 (7 fail → pass): 90% → 83.5%, exact McNemar two-sided p = 2·P(X ≤ 7 | 27, ½) ≈ 0.019.
 * Metrics `polite` and `short` never change.
 */
describe('primary metrics (end to end)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-cli-primary-'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'ci@example.com' };
  const rows = Array.from({ length: 200 }, (_, i) => ({ id: `e${String(i).padStart(3, '0')}`, input: { i }, slices: [`half:${i % 2}`] }));
  writeFileSync(join(dir, 'cases.jsonl'), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
  writeFileSync(join(dir, 'v1.mjs'), 'export default async ({ i }) => `${i < 180 ? "ANSWER" : "-"} please ok`;\n');
  writeFileSync(join(dir, 'v2.mjs'), 'export default async ({ i }) => `${i >= 20 && i < 187 ? "ANSWER" : "-"} please ok`;\n');
  const config = (agent: string, primary: boolean): string => {
    const file = join(dir, `${agent}-${primary ? 'primary' : 'plain'}.yaml`);
    writeFileSync(
      file,
      [
        'version: 1',
        'project: prim',
        `target: { type: module, path: ./${agent}.mjs }`,
        'dataset: { name: prim-cases, path: ./cases.jsonl }',
        'metrics:',
        `  - { name: answer, owner: qa@example.com, ${primary ? 'primary: true, ' : ''}scorer: { type: contains, value: ANSWER } }`,
        '  - { name: polite, owner: qa@example.com, scorer: { type: contains, value: please } }',
        '  - { name: short, owner: qa@example.com, scorer: { type: contains, value: ok } }',
        'gate:',
        '  rules:',
        '    - { metric: answer, noRegression: true, perSlice: true, action: block }',
        '',
      ].join('\n'),
    );
    return file;
  };
  const runOf = async (file: string): Promise<string> => {
    const res = await runCli(['run', '-c', file, '--json', '--no-cache'], { env });
    expect(res.code, res.stderr).toBe(0);
    return JSON.parse(res.stdout).runId as string;
  };
  let baseline: string;
  let plain: string;
  let primary: string;

  beforeAll(async () => {
    baseline = await runOf(config('v1', true));
    plain = await runOf(config('v2', false));
    primary = await runOf(config('v2', true));
  }, 120_000);

  it('weighted Holm (no primary) does not block this drop', async () => {
    const res = await runCli(['gate', '-c', config('v1', false), '--candidate', plain, '--baseline', baseline, '--json'], { env });
    const d = JSON.parse(res.stdout);
    expect(d.outcome).toBe('approve');
    const overall = d.comparisons.find((c: { metric: string; slice: string | null }) => c.metric === 'answer' && c.slice === null);
    expect(overall).toMatchObject({ n: 200, regressedExamples: 20, improvedExamples: 7 });
    expect(overall.pAdjusted).toBeGreaterThan(0.05);
    expect(d.visibility.correction).toBe('holm');
  });

  it('with `primary: true` the same drop is blocked, and the comparison says it used the graphical procedure', async () => {
    const res = await runCli(['gate', '-c', config('v1', true), '--candidate', primary, '--baseline', baseline, '--json'], { env });
    expect(res.code, res.stderr).toBe(1);
    const d = JSON.parse(res.stdout);
    expect(d.outcome).toBe('block');
    expect(d.metrics.answer.primary).toBe(true);
    const overall = d.comparisons.find((c: { metric: string; slice: string | null }) => c.metric === 'answer' && c.slice === null);
    expect(overall.verdict).toBe('regressed');
    expect(overall.pAdjusted).toBeCloseTo(overall.pValue, 10); // one-sided p / ½ = the two-sided p
    expect(d.visibility.correction).toBe('graphical');
    expect(d.visibility.rows.find((r: { slice: string | null }) => r.slice === null).weight).toBe(0.5);
    const cmp = await runCli(['compare', baseline, primary, '--json'], { env });
    expect(JSON.parse(cmp.stdout).correction).toBe('graphical');
    const cmpPlain = await runCli(['compare', baseline, plain, '--json'], { env });
    expect(JSON.parse(cmpPlain.stdout).correction).toBe('holm');
  });
});
