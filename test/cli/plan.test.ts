import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GateDecisionDocumentSchema } from '../../src/core/gate/gate-decision.js';
import { PlanReportSchema } from '../../src/gate/plan-gate.js';
import { runCli } from './run-cli.js';

/**
 * "Rules that cannot fire stay silent" (issue 13): on a 20-example dataset a slice fell from 5/5 to
 * 0/5. Its noRegression rule can never fire there (5 examples, below the minimum of 10), so the gate
 * and `evalops run` must say so, with the numbers; `evalops plan` says what every rule can see.
 */
describe('the planner: rules that cannot fire (end to end)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-cli-plan-'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'ci@example.com' };
  const rows = Array.from({ length: 20 }, (_, i) => ({ id: `q${String(i).padStart(2, '0')}`, input: { q: i }, expected: { answer: `a${i}` }, slices: [i < 5 ? 'lang:es' : 'lang:en'] }));
  writeFileSync(join(dir, 'cases.jsonl'), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
  writeFileSync(join(dir, 'v1.mjs'), 'export default async (input) => `a${input.q}`;\n');
  // v2 breaks the Spanish slice: every one of its 5 examples now fails.
  writeFileSync(join(dir, 'v2.mjs'), 'export default async (input) => (input.q < 5 ? "no sé" : `a${input.q}`);\n');
  const config = (agent: string, extra = ''): string => {
    const file = join(dir, `${agent}${extra ? '-x' : ''}.yaml`);
    writeFileSync(
      file,
      [
        'version: 1',
        'project: tiny',
        `target: { type: module, path: ./${agent}.mjs }`,
        'dataset: { name: tiny-cases, path: ./cases.jsonl }',
        'metrics:',
        '  - name: correct',
        '    owner: qa@example.com',
        `    scorer: { type: equals, value: "{{expected.answer}}" }${extra}`,
        'gate:',
        '  rules:',
        '    - { metric: correct, noRegression: true, perSlice: true, action: block }',
        // An absolute rule too: a first gate whose only rules need a baseline asks for approval.
        '    - { metric: correct, min: 0.5, action: block }',
        '',
      ].join('\n'),
    );
    return file;
  };
  let v1Config: string;
  let firstRun: Awaited<ReturnType<typeof runCli>>;
  let gate: { code: number | null; stderr: string; doc: Record<string, unknown> & { warnings: string[] } };
  let markdown: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    v1Config = config('v1');
    firstRun = await runCli(['run', '-c', v1Config, '--json', '--no-cache'], { env });
    expect(firstRun.code, firstRun.stderr).toBe(0);
    expect((await runCli(['gate', '-c', v1Config, '--json'], { env })).code).toBe(0);
    const v2 = await runCli(['run', '-c', config('v2'), '--json', '--no-cache'], { env });
    expect(v2.code, v2.stderr).toBe(0);
    const res = await runCli(['gate', '-c', v1Config, '--json'], { env });
    gate = { code: res.code, stderr: res.stderr, doc: JSON.parse(res.stdout) };
    markdown = await runCli(['gate', '-c', v1Config, '--baseline', (gate.doc.baseline as { runId: string }).runId, '--candidate', (gate.doc.candidate as { runId: string }).runId], { env });
  }, 120_000);

  it('warns at config time (evalops run) that the rule cannot fire in the 5-example slice', () => {
    expect(firstRun.stderr).toMatch(/warning: rule 1 \(correct noRegression perSlice → block\) cannot fire for correct in slice lang:es: n = 5 is below the minimum of 10/);
    expect(firstRun.stderr).not.toMatch(/cannot fire for correct in slice lang:en/);
  });

  it('warns at gate time with the numbers, and records what the gate can see in the decision', () => {
    expect(GateDecisionDocumentSchema.safeParse(gate.doc).success).toBe(true);
    const slice = gate.doc.comparisons as { slice: string | null; baseline: number; candidate: number; n: number; verdict: string }[];
    expect(slice.find((c) => c.slice === 'lang:es')).toMatchObject({ n: 5, baseline: 1, candidate: 0, verdict: 'inconclusive' });
    const warning = gate.doc.warnings.find((w) => w.includes('lang:es'));
    expect(warning).toMatch(/cannot fire for correct in slice lang:es: n = 5 is below the minimum of 10 paired examples.*\(n = 5, baseline 100%, MDE at 80% power > 100 pts\)/);
    expect(gate.stderr).toMatch(/warning: rule 1 .* cannot fire for correct in slice lang:es/);
    const rows = (gate.doc.visibility as { rows: { slice: string | null; n: number; mde: number | null; canFire: boolean; discordanceSource: string }[] }).rows;
    expect(rows.find((r) => r.slice === 'lang:es')).toMatchObject({ n: 5, mde: null, canFire: false });
    const overall = rows.find((r) => r.slice === null);
    // 20 examples at 100%: the overall test runs at one-sided 2.5% and needs ≥ 6 pass → fail pairs.
    expect(overall).toMatchObject({ n: 20, canFire: true, discordanceSource: 'measured' });
    expect(overall!.mde).toBeGreaterThan(0.25);
    expect(rows.find((r) => r.slice === 'lang:en')).toMatchObject({ n: 15, canFire: true });
  });

  it('shows "What this gate can see" in the terminal / Markdown report', () => {
    // stdout is piped here: the terminal report in plain text, its tables in aligned columns.
    expect(markdown.stdout).toMatch(/^What this gate can see$/m);
    expect(markdown.stdout).toMatch(/ correct +lang:es +5 +100\.0% +.*> 100 pts +⚠️ no: n = 5 is below the minimum of 10/);
  });

  it('evalops plan --json on the seeded project: measured pass rates and discordance, n needed for a drop', async () => {
    const res = await runCli(['plan', '-c', v1Config, '--json', '--drop', '0.05'], { env });
    expect(res.code, res.stderr).toBe(0);
    const plan = PlanReportSchema.parse(JSON.parse(res.stdout));
    expect(plan.dataset).toMatchObject({ name: 'tiny-cases', n: 20, slices: 2, source: 'request' });
    expect(plan.runs).toHaveLength(2);
    // v1 and v2 differ on the 5 Spanish examples: 5 discordant of 20 pairs.
    expect(plan.discordance).toEqual([expect.objectContaining({ metric: 'correct', discordance: 0.25, pairs: 20 })]);
    const es = plan.visibility.rows.find((r) => r.slice === 'lang:es');
    expect(es).toMatchObject({ n: 5, canFire: false, baseRateSource: 'measured', discordanceSource: 'measured' });
    const overall = plan.visibility.rows.find((r) => r.slice === null)!;
    expect(overall.examplesNeeded).toBeGreaterThan(20);
    expect(plan.warnings.some((w) => /lang:es/.test(w))).toBe(true);
    expect(res.stderr).toMatch(/warning: rule 1 .* cannot fire for correct in slice lang:es/);
  });

  it('evalops plan on a project with no earlier runs and a dataset with no slices says what it assumed', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'evalops-cli-plan-fresh-'));
    writeFileSync(join(fresh, 'cases.jsonl'), `${Array.from({ length: 300 }, (_, i) => JSON.stringify({ id: `x${i}`, input: { q: i }, expected: { answer: 'a' } })).join('\n')}\n`);
    writeFileSync(join(fresh, 'evalops.yaml'), ['version: 1', 'project: fresh', 'target: { type: module, path: ./agent.mjs }', 'dataset: { name: fresh-cases, path: ./cases.jsonl }', 'metrics:', '  - { name: ok, scorer: { type: equals, value: a } }', 'gate:', '  rules:', '    - { metric: ok, noRegression: true, action: block }', ''].join('\n'));
    const freshEnv = { EVALOPS_DATABASE_URL: `sqlite:${join(fresh, 'db.sqlite')}` };
    const res = await runCli(['plan', '-c', join(fresh, 'evalops.yaml'), '--json'], { env: freshEnv });
    expect(res.code, res.stderr).toBe(0);
    const plan = PlanReportSchema.parse(JSON.parse(res.stdout));
    const said = plan.visibility.assumptions.join('\n');
    expect(said).toMatch(/no slices/);
    expect(said).toMatch(/no earlier run of dataset fresh-cases/);
    expect(said).toMatch(/baseline pass rate 80%/);
    expect(said).toMatch(/ρ = 0 \(independent outcomes/);
    expect(plan.visibility.rows).toEqual([expect.objectContaining({ n: 300, baseRateSource: 'assumed', discordanceSource: 'assumed', canFire: true })]);
    const text = await runCli(['plan', '-c', join(fresh, 'evalops.yaml')], { env: freshEnv });
    expect(text.stdout).toMatch(/Assumed/);
    expect(text.stdout).toMatch(/MDE/);
    const bad = await runCli(['plan', '-c', join(fresh, 'evalops.yaml'), '--drop', '5'], { env: freshEnv });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--drop .* 0\.05 for 5 points/);
  });
});
