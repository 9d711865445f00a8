import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('evalops compare (end to end)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-cli-compare-'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'ci@example.com' };
  const runOf = async (args: string[]): Promise<string> => {
    const res = await runCli(['run', ...args, '--json', '--no-cache'], { env });
    expect(res.code, res.stderr).toBe(0);
    return JSON.parse(res.stdout).runId as string;
  };
  let v1: string;
  let v2: string;
  beforeAll(async () => {
    v1 = await runOf(['-c', 'examples/support-bot/evalops.yaml']);
    v2 = await runOf(['-c', 'examples/support-bot/evalops.v2.yaml']);
  });

  it('pairs by example and reports each metric overall and per slice with interval, p and verdict', async () => {
    const res = await runCli(['compare', v1, v2, '--json'], { env });
    expect(res.code, res.stderr).toBe(0);
    const c = JSON.parse(res.stdout);
    expect(c).toMatchObject({ baselineRunId: v1, candidateRunId: v2, correction: 'holm', pairing: { paired: 90, baselineOnly: [], candidateOnly: [] } });
    const overall = c.comparisons.find((m: { metric: string; slice: string | null }) => m.metric === 'cites_policy' && m.slice === null);
    expect(overall).toMatchObject({ kind: 'binary', n: 90, baseline: 1, verdict: 'regressed', regressedExamples: 20, improvedExamples: 0 });
    expect(overall.delta).toBeCloseTo(-20 / 90, 10);
    expect(overall.ci95[1]).toBeLessThan(0);
    const english = c.comparisons.find((m: { metric: string; slice: string | null }) => m.metric === 'cites_policy' && m.slice === 'lang:en');
    // 45 unchanged pairs: no regression, but ±8 points of uncertainty is too wide to call it unchanged.
    expect(english).toMatchObject({ delta: 0, regressedExamples: 0, verdict: 'inconclusive' });
    expect(english.ci95[0]).toBeLessThan(-0.05);
  });

  it('prints a table of what moved', async () => {
    const res = await runCli(['compare', v1, v2], { env });
    expect(res.stdout).toMatch(/cites_policy\s+lang:es\s+45\s+100\.0%\s+55\.6%/);
    expect(res.stdout).toMatch(/regressed/);
  });

  it('refuses runs of different dataset versions unless --common-examples, then warns with the counts', async () => {
    const cfgDir = mkdtempSync(join(tmpdir(), 'evalops-smaller-'));
    const cases = readFileSync('examples/support-bot/data/cases.jsonl', 'utf8').trim().split('\n').slice(0, 70);
    writeFileSync(join(cfgDir, 'cases.jsonl'), `${cases.join('\n')}\n`);
    const text = readFileSync('examples/support-bot/evalops.yaml', 'utf8').replace(/\.\/(agent|scorers|schemas|rubrics)/g, `${process.cwd()}/examples/support-bot/$1`).replace('./data/cases.jsonl', './cases.jsonl');
    writeFileSync(join(cfgDir, 'evalops.yaml'), text);
    const small = await runOf(['-c', join(cfgDir, 'evalops.yaml')]);
    const refused = await runCli(['compare', v1, small], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/different versions .* pass --common-examples/);
    const res = await runCli(['compare', v1, small, '--common-examples', '--json'], { env });
    expect(res.code).toBe(0);
    const c = JSON.parse(res.stdout);
    expect(c.pairing).toMatchObject({ paired: 70 });
    expect(c.pairing.baselineOnly).toHaveLength(20);
    expect(c.warnings[0]).toMatch(/DIFFERENT DATASETS: compared on the 70 examples both runs share; 20 only in the baseline/);
  });

  it('refuses a run that does not exist', async () => {
    const res = await runCli(['compare', v1, 'run_nope'], { env });
    expect(res.code).toBe(2);
  });
});
