import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

/**
 * `--repeat 3` on a target whose answer to one example depends on the trial. Hand-computed, 3
 * examples × 3 trials: steady passes 3/3, flaky passes trials 0 and 1 (2/3), broken passes none.
 * Mean pass rate 5/9; pass^3 = 1/3 (steady only); pass@3 = 2/3; one flaky example.
 */
describe('flaky items under --repeat (end to end)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-cli-repeat-'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}` };
  const base = 'version: 1\nproject: p\ntarget: { type: command, command: "sh ./agent.sh", output: text }\ndataset: { name: d, path: ./d.jsonl }\nmetrics:\n  - { name: ok, owner: qa@example.com, scorer: { type: contains, value: ok } }\n';
  writeFileSync(join(dir, 'evalops.yaml'), `${base}gate:\n  rules:\n    - { metric: ok, min: 0.5, action: block }\n`);
  writeFileSync(join(dir, 'strict.yaml'), `${base}gate:\n  rules:\n    - { metric: ok, aggregate: pass^k, min: 0.5, action: block }\n`);
  writeFileSync(join(dir, 'lenient.yaml'), `${base}gate:\n  rules:\n    - { metric: ok, aggregate: pass@k, min: 0.6, action: block }\n`);
  writeFileSync(
    join(dir, 'agent.sh'),
    'case "$EVALOPS_EXAMPLE_ID" in\n  steady) echo ok ;;\n  flaky) if [ "$EVALOPS_TRIAL" = 2 ]; then echo no; else echo ok; fi ;;\n  *) echo no ;;\nesac\n',
  );
  writeFileSync(join(dir, 'd.jsonl'), '{"id":"steady","input":1}\n{"id":"flaky","input":2}\n{"id":"broken","input":3}\n');
  let first: { runId: string; metrics: Record<string, { passRate: number; repeats?: Record<string, unknown> }> };
  let terminal: string;

  beforeAll(async () => {
    const res = await runCli(['run', '--repeat', '3', '--json'], { cwd: dir, env });
    expect(res.code, res.stderr).toBe(0);
    first = JSON.parse(res.stdout);
    const shown = await runCli(['run', '--repeat', '3', '--no-cache'], { cwd: dir, env });
    expect(shown.code, shown.stderr).toBe(0);
    terminal = shown.stdout;
  });

  it('gives each metric pass^k, pass@k and the flaky examples with their per-trial pass rate', () => {
    expect(first.metrics.ok?.passRate).toBeCloseTo(5 / 9, 12);
    expect(first.metrics.ok?.repeats).toEqual({
      k: 3,
      examples: 3,
      passAll: 1,
      passAny: 2,
      passAllRate: 1 / 3,
      passAnyRate: 2 / 3,
      flaky: 1,
      flakyExamples: [{ exampleId: 'flaky', passRate: 2 / 3, passed: 2, scored: 3 }],
    });
  });

  it('prints them in the run scorecard', () => {
    expect(terminal).toMatch(/metric\s+mean pass rate\s+pass\^3\s+pass@3\s+flaky/);
    expect(terminal).toMatch(/ok\s+55\.6%\s+33\.3%\s+66\.7%\s+1\/3\s+flaky \(2\/3\)/);
  });

  it('shows both sides in evalops compare, terminal and --json', async () => {
    const runs = JSON.parse((await runCli(['runs', 'list', '--json'], { cwd: dir, env })).stdout);
    const ids = (runs.runs as { runId: string }[]).map((r) => r.runId);
    const second = ids.find((id) => id !== first.runId) as string;
    const json = await runCli(['compare', first.runId, second, '--json'], { cwd: dir, env });
    expect(json.code, json.stderr).toBe(0);
    const c = JSON.parse(json.stdout);
    expect(c.repeats).toMatchObject({ baselineRepeat: 3, candidateRepeat: 3, metrics: [{ metric: 'ok', baseline: { passAllRate: 1 / 3, flaky: 1 }, candidate: { passAnyRate: 2 / 3, flaky: 1 } }] });
    const text = await runCli(['compare', first.runId, second], { cwd: dir, env });
    expect(text.stdout).toMatch(/baseline pass\^3\s+candidate pass\^3\s+baseline pass@3\s+candidate pass@3/);
    expect(text.stdout).toMatch(/ok\s+33\.3%\s+33\.3%\s+66\.7%\s+66\.7%\s+1\s+1\s+flaky \(2\/3\)/);
  });

  it('lets a gate rule decide on pass^k where the mean would approve', async () => {
    const mean = await runCli(['gate', '--candidate', first.runId, '--json'], { cwd: dir, env });
    // The finding of our rule, not the outcome: other always-on rules may weigh in on the outcome.
    const ruleFinding = (stdout: string) => (JSON.parse(stdout).findings as { metric: string; status: string; evidence: { value?: number } }[]).find((f) => f.metric === 'ok');
    expect(ruleFinding(mean.stdout)).toMatchObject({ status: 'passed', evidence: { value: 5 / 9 } });
    const strict = await runCli(['gate', '-c', 'strict.yaml', '--candidate', first.runId, '--json'], { cwd: dir, env });
    expect(strict.code).toBe(1);
    const decision = JSON.parse(strict.stdout);
    expect(decision.outcome).toBe('block');
    expect(decision.findings[0]).toMatchObject({ status: 'failed', evidence: { value: 1 / 3, bound: 0.5 } });
    expect(decision.findings[0].message).toContain('ok pass^3 33.3% (1/3 examples; 1 flaky example(s)) violates min 50.0%');
    const lenient = await runCli(['gate', '-c', 'lenient.yaml', '--candidate', first.runId, '--json'], { cwd: dir, env });
    expect(ruleFinding(lenient.stdout)).toMatchObject({ status: 'passed', evidence: { value: 2 / 3 } });
  });
});
