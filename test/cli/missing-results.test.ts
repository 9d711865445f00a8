import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GateDecisionDocumentSchema } from '../../src/core/gate/gate-decision.js';
import { runCli } from './run-cli.js';

/**
 * Missing results never help a candidate, end to end through the built CLI and SQLite:
 * (a) a candidate that gives the baseline's answers but throws on exactly the examples it would fail
 *     is blocked, and every report names the errors;
 * (b) a run that failed on every example is not approved (exit ≠ 0) and the release list does not
 *     show it approved — with and without a baseline.
 */
describe('missing results (end to end)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-missing-'));
  const N = 30;
  // e00..e29 in three slices; the baseline answers all but e00 and e01 right.
  const broken = (i: number): boolean => i >= 2 && i < 14; // where the candidate would fail: it throws there instead
  writeFileSync(join(dir, 'cases.jsonl'), `${Array.from({ length: N }, (_, i) => JSON.stringify({ id: `e${String(i).padStart(2, '0')}`, input: { q: i }, expected: { a: `answer ${i}` }, slices: [`topic:${['a', 'b', 'c'][i % 3]}`] })).join('\n')}\n`);
  writeFileSync(join(dir, 'v1.mjs'), 'export default (x) => (x.q < 2 ? "no idea" : `answer ${x.q}`);\n');
  writeFileSync(join(dir, 'v2.mjs'), `export default (x) => { if (x.q >= 2 && x.q < 14) throw new Error('upstream timeout: model did not answer'); return x.q < 2 ? "no idea" : \`answer \${x.q}\`; };\n`);
  writeFileSync(join(dir, 'v3.mjs'), "export default () => { throw new Error('ECONNREFUSED 127.0.0.1:9'); };\n");
  const config = (v: string): string => {
    const file = join(dir, `${v}.yaml`);
    writeFileSync(
      file,
      `version: 1
project: missing
target: { type: module, path: ./${v}.mjs }
dataset: { name: cases, path: ./cases.jsonl }
metrics:
  - { name: correct, owner: qa@example.com, scorer: { type: contains, value: "{{expected.a}}" } }
gate:
  baseline: last-approved
  rules:
    - { metric: correct, noRegression: true, perSlice: true, action: block }
    - { metric: correct, min: 0.5, action: require_approval }
`,
    );
    return file;
  };
  const envFor = (db: string) => ({ EVALOPS_DATABASE_URL: `sqlite:${join(dir, db)}`, EVALOPS_ACTOR: 'ci@example.com' });
  const run = async (v: string, env: Record<string, string>): Promise<{ runId: string; doc: { results: { total: number; errors: number } } }> => {
    const res = await runCli(['run', '-c', config(v), '--json', '--no-cache'], { env, cwd: dir });
    expect([0, 1, 4], res.stderr).toContain(res.code);
    const doc = JSON.parse(res.stdout);
    return { runId: doc.runId, doc };
  };
  const gate = async (v: string, env: Record<string, string>, ...args: string[]) => {
    const res = await runCli(['gate', '-c', config(v), '--json', ...args], { env, cwd: dir });
    return { code: res.code, stderr: res.stderr, doc: GateDecisionDocumentSchema.parse(JSON.parse(res.stdout)) };
  };
  const releases = async (env: Record<string, string>) => JSON.parse((await runCli(['releases', 'list', '-c', config('v1'), '--json'], { env, cwd: dir })).stdout) as { releases: { variant: string; status: string }[] };

  describe('(a) a candidate that throws where it would fail', () => {
    const env = envFor('a.sqlite');
    let v1: Awaited<ReturnType<typeof gate>>;
    let v2: Awaited<ReturnType<typeof gate>>;
    let v2Run: string;
    beforeAll(async () => {
      await run('v1', env);
      v1 = await gate('v1', env);
      const r = await run('v2', env);
      v2Run = r.runId;
      expect(r.doc.results).toMatchObject({ total: N, errors: 12 });
      v2 = await gate('v2', env, '--markdown', join(dir, 'a.md'), '--junit', join(dir, 'a.xml'));
    });

    it('approves the baseline first (no baseline yet, the min rule judged it)', () => {
      expect(v1.code, v1.stderr).toBe(0);
      expect(v1.doc.outcome).toBe('approve');
    });

    it('blocks the candidate: its errors are failures, paired and imputed, and the error rate rose', () => {
      expect(v2.code, v2.stderr).toBe(1);
      expect(v2.doc.outcome).toBe('block');
      const overall = v2.doc.comparisons.find((c) => c.metric === 'correct' && c.slice === null);
      expect(overall).toMatchObject({ n: N, baseline: 28 / 30, candidate: 16 / 30, regressedExamples: 12, imputed: { baseline: 0, candidate: 12 }, verdict: 'regressed' });
      expect(v2.doc.findings.find((f) => f.condition === 'noRegression' && f.slice === null)).toMatchObject({ status: 'failed', action: 'block' });
      expect(v2.doc.findings.find((f) => f.condition === 'errorRate')).toMatchObject({ status: 'failed', action: 'block', evidence: { errorRate: { newErrors: 12, fixedErrors: 0 } } });
      expect(v2.doc.errors?.candidate).toMatchObject({ examples: 12, results: 12, total: N, top: [{ message: 'upstream timeout: model did not answer', count: 12 }] });
      expect(v2.doc.errors?.baseline).toMatchObject({ examples: 0 });
      expect(v2.doc.metrics.correct).toMatchObject({ errored: 12, imputed: { baseline: 0, candidate: 12 } });
      // The worst examples are the errored ones the baseline passed, with the error as the reason.
      const examples = v2.doc.findings.find((f) => f.condition === 'noRegression' && f.slice === null)?.evidence.examples ?? [];
      expect(examples.length).toBeGreaterThan(0);
      expect(examples[0]).toMatchObject({ exampleId: 'e02', reason: 'error (counted as a fail): upstream timeout: model did not answer', baselineOutput: 'answer 2' });
    });

    it('names the errors in the Markdown (terminal) and JUnit reports and in compare', async () => {
      const md = readFileSync(join(dir, 'a.md'), 'utf8');
      expect(md).toMatch(/### Errors and missing results/);
      expect(md).toMatch(/candidate: 12 of 30 examples errored \(40\.0%; 12 errored result\(s\)\)/);
      expect(md).toMatch(/counted as fails \(pairs imputed, baseline \/ candidate\): correct 0 \/ 12/);
      expect(md).toMatch(/top candidate errors: 12× upstream timeout: model did not answer/);
      const xml = readFileSync(join(dir, 'a.xml'), 'utf8');
      expect(xml).toMatch(/<testcase classname="evalops.gate" name="built-in: target-error rate must not rise → block"><failure/);
      expect(xml).toMatch(/<system-out>candidate: 12 of 30 examples errored/);
      const cmp = await runCli(['compare', v1.doc.candidate.runId, v2Run], { env, cwd: dir });
      expect(cmp.code, cmp.stderr).toBe(0);
      expect(cmp.stdout).toMatch(/errors \(missing results count as fails on their side\):/);
      expect(cmp.stdout).toMatch(/top candidate errors: 12× upstream timeout/);
      const json = JSON.parse((await runCli(['compare', v1.doc.candidate.runId, v2Run, '--json'], { env, cwd: dir })).stdout);
      expect(json.errors).toMatchObject({ newErrors: 12, fixedErrors: 0, rose: true, candidate: { examples: 12 } });
    });

    it('does not show the candidate approved in the release list', async () => {
      const list = await releases(env);
      expect(list.releases.find((r) => r.variant === v2.doc.candidate.variant)?.status).toBe('candidate');
    });
  });

  describe('(b) a run that failed on every example', () => {
    it('is blocked on a first gate, without a baseline, and not listed as approved', async () => {
      const env = envFor('b1.sqlite');
      await run('v3', env);
      const g = await gate('v3', env);
      expect(g.code).not.toBe(0);
      expect(g.doc.outcome).toBe('block');
      expect(g.doc.findings.find((f) => f.condition === 'errorRate')?.message).toMatch(/every example errored \(30\/30\).*ECONNREFUSED/);
      expect(g.doc.findings.find((f) => f.condition === 'min')).toMatchObject({ status: 'failed', evidence: { value: 0 } });
      const list = await releases(env);
      expect(list.releases.find((r) => r.variant === g.doc.candidate.variant)?.status).toBe('candidate');
      expect(list.releases.some((r) => r.status === 'approved')).toBe(false);
    });

    it('is blocked against an approved baseline, and the baseline stays the only approved release', async () => {
      const env = envFor('b2.sqlite');
      await run('v1', env);
      expect((await gate('v1', env)).code).toBe(0);
      await run('v3', env);
      const g = await gate('v3', env);
      expect(g.code).toBe(1);
      expect(g.doc.outcome).toBe('block');
      expect(g.doc.errors?.comparison).toMatchObject({ newErrors: 30, rose: true });
      const list = await releases(env);
      expect(list.releases.find((r) => r.variant === g.doc.candidate.variant)?.status).toBe('candidate');
      expect(list.releases.filter((r) => r.status === 'approved')).toHaveLength(1);
    });
  });
});
