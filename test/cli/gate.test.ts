import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GateDecisionDocumentSchema } from '../../src/core/gate/gate-decision.js';
import { runCli } from './run-cli.js';

/**
 * The release gate on the support-bot example, end to end: v1 approved, v2 (Spanish refunds broken)
 * blocked with the slice named, a rerun of v1 approved against v1, overrides by owners only.
 */
describe('evalops gate (end to end)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-cli-gate-'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'ci@example.com' };
  const v1 = ['-c', 'examples/support-bot/evalops.yaml'];
  const v2cfg = 'examples/support-bot/evalops.v2.yaml';
  const run = async (config: string): Promise<string> => {
    const res = await runCli(['run', '-c', config, '--json', '--no-cache'], { env });
    expect(res.code, res.stderr).toBe(0);
    return JSON.parse(res.stdout).runId as string;
  };
  const gate = async (...args: string[]) => {
    const res = await runCli(['gate', ...v1, '--json', ...args], { env });
    return { code: res.code, stderr: res.stderr, doc: res.stdout ? JSON.parse(res.stdout) : undefined };
  };
  let v1Run: string;
  let first: Awaited<ReturnType<typeof gate>>;
  let blocked: Awaited<ReturnType<typeof gate>>;

  beforeAll(async () => {
    v1Run = await run('examples/support-bot/evalops.yaml');
    first = await gate();
    await run(v2cfg);
    blocked = await gate('--markdown', join(dir, 'pr.md'), '--junit', join(dir, 'junit.xml'));
  });

  it('approves the good variant (exit 0) and records a decision', () => {
    expect(first.code, first.stderr).toBe(0);
    expect(GateDecisionDocumentSchema.safeParse(first.doc).success).toBe(true);
    expect(first.doc).toMatchObject({ outcome: 'approve', exitCode: 0, baseline: { runId: null, chosenBy: 'none' } });
    expect(first.doc.warnings.join(' ')).toMatch(/no approved baseline/);
  });

  it('blocks the regressing variant against the last approved run, naming the slices (exit 1)', () => {
    expect(blocked.code, blocked.stderr).toBe(1);
    expect(blocked.doc.outcome).toBe('block');
    expect(blocked.doc.baseline).toEqual({ runId: v1Run, chosenBy: 'last-approved' });
    const acting = blocked.doc.findings.filter((f: { action: string | null }) => f.action === 'block');
    expect(acting.map((f: { slice: string | null }) => f.slice)).toEqual(expect.arrayContaining(['intent:refund', 'lang:es']));
    expect(acting.every((f: { metric: string }) => f.metric === 'cites_policy')).toBe(true);
    expect(blocked.doc.owners).toEqual(expect.arrayContaining(['product@example.com']));
    // nothing regressed where nothing changed
    const english = blocked.doc.comparisons.filter((c: { slice: string | null; verdict: string }) => c.slice === 'lang:en');
    expect(english.every((c: { verdict: string }) => c.verdict !== 'regressed')).toBe(true);
    const evidence = acting.find((f: { slice: string | null }) => f.slice === 'lang:es').evidence.examples;
    expect(evidence.length).toBeGreaterThan(0);
    expect(evidence[0]).toMatchObject({ exampleId: expect.stringMatching(/^refund-es-/), baselineOutput: expect.stringMatching(/política de reembolso/) });
  });

  it('writes a Markdown PR comment and JUnit with one test case per rule, plus the built-in error-rate rule', () => {
    const md = readFileSync(join(dir, 'pr.md'), 'utf8');
    expect(md.split('\n')[0]).toMatch(/EvalOps gate: \*\*block\*\*/);
    expect(md).toMatch(/### Regressions by slice/);
    expect(md).toMatch(/\| cites_policy \| lang:es \|/);
    expect(md).toMatch(/refund-es-01/);
    const xml = readFileSync(join(dir, 'junit.xml'), 'utf8');
    expect(xml.match(/<testcase /g)).toHaveLength(5);
    expect(xml).toMatch(/<failure message="block: cites_policy regressed/);
    expect(xml).toMatch(/<testcase classname="evalops.gate" name="built-in: target-error rate must not rise → block"\/>/);
    expect(xml).toMatch(/tests="5" failures="2"/);
  });

  it('approves a rerun of the approved variant: no change is not a regression', async () => {
    const rerun = await run('examples/support-bot/evalops.yaml');
    const res = await gate('--candidate', rerun);
    expect(res.code, res.stderr).toBe(0);
    expect(res.doc.outcome).toBe('approve');
    expect(res.doc.comparisons.filter((c: { verdict: string }) => c.verdict === 'regressed')).toEqual([]);
  });

  it('refuses an override by someone who does not own the failed metrics, and accepts the owners together only via an admin', async () => {
    const id = blocked.doc.decisionId;
    const stranger = await runCli(['gate', 'override', id, ...v1, '--reason', 'Spanish copy will be fixed next sprint', '--evidence', 'https://tickets.example.com/42', '--actor', 'intern@example.com', '--json'], { env });
    expect(stranger.code).toBe(2);
    expect(JSON.parse(stranger.stdout).error).toMatchObject({ code: 'forbidden' });
    // product@ owns cites_policy but not right_tool (platform@): a single owner cannot override both.
    const oneOwner = await runCli(['gate', 'override', id, ...v1, '--reason', 'Spanish copy will be fixed next sprint', '--evidence', 'https://tickets.example.com/42', '--actor', 'product@example.com'], { env });
    expect(oneOwner.code).toBe(2);
    expect(oneOwner.stderr).toMatch(/platform@example\.com/);
  });

  it('refuses an override without a real reason or evidence link', async () => {
    const id = blocked.doc.decisionId;
    const noEvidence = await runCli(['gate', 'override', id, ...v1, '--reason', 'because we must ship', '--evidence', 'trust me', '--actor', 'product@example.com'], { env });
    expect(noEvidence.code).toBe(2);
    expect(noEvidence.stderr).toMatch(/--evidence must be an http\(s\) URL/);
    const missing = await runCli(['gate', 'override', id, ...v1, '--evidence', 'https://x.example.com'], { env });
    expect(missing.code).toBe(2);
  });

  it('records an override by an admin, keeps the original decision, moves the release and audits it', async () => {
    const cfgDir = mkdtempSync(join(tmpdir(), 'evalops-admin-'));
    const base = readFileSync('examples/support-bot/evalops.yaml', 'utf8').replace('baseline: last-approved', 'baseline: last-approved\n  admins: [cto@example.com]');
    const cfg = join(cfgDir, 'evalops.yaml');
    writeFileSync(cfg, base.replace(/\.\/(agent|data|scorers|schemas|rubrics)/g, `${process.cwd()}/examples/support-bot/$1`));
    const id = blocked.doc.decisionId;
    const res = await runCli(['gate', 'override', id, '-c', cfg, '--reason', 'Spanish refunds hotfix ships behind a flag', '--evidence', 'https://tickets.example.com/42', '--actor', 'cto@example.com', '--json'], { env });
    expect(res.code, res.stderr).toBe(0);
    const doc = JSON.parse(res.stdout);
    expect(doc).toMatchObject({ override: { role: 'admin', actor: 'cto@example.com' }, decision: { outcome: 'block', effectiveOutcome: 'approve' }, release: { status: 'approved' } });
    const audit = JSON.parse((await runCli(['audit', 'list', ...v1, '--json'], { env })).stdout);
    const actions = audit.entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['gate.decision', 'gate.override', 'release.transition']));
    const verify = await runCli(['audit', 'verify', ...v1, '--json'], { env });
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true });
  });

  it('shows the releases a deploy script reads', async () => {
    const list = JSON.parse((await runCli(['releases', 'list', ...v1, '--json'], { env })).stdout);
    expect(list.releases.length).toBe(2);
    expect(list.releases.every((r: { status: string }) => r.status === 'approved')).toBe(true);
  });

  it('refuses a baseline that does not exist and a rule on an unknown metric (exit 2, rule named)', async () => {
    const missing = await gate('--baseline', 'run_does_not_exist');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/baseline run run_does_not_exist does not exist/);
    const cfgDir = mkdtempSync(join(tmpdir(), 'evalops-badrule-'));
    const text = readFileSync('examples/support-bot/evalops.yaml', 'utf8').replace(/\.\/(agent|data|scorers|schemas|rubrics)/g, `${process.cwd()}/examples/support-bot/$1`);
    writeFileSync(join(cfgDir, 'evalops.yaml'), text.replace('{ metric: right_tool, min: 0.95, action: require_approval }', '{ metric: right_tool, min: 0, action: require_approval }'));
    const never = await runCli(['gate', '-c', join(cfgDir, 'evalops.yaml')], { env });
    expect(never.code).toBe(2);
    expect(never.stderr).toMatch(/gate\.rules\.1 \(right_tool min 0 → require_approval\): min 0 can never fire/);
  });

  it('scores the scorecard with owners, trend and what each metric gates', async () => {
    const res = await runCli(['scorecard', ...v1, '--json'], { env });
    expect(res.code, res.stderr).toBe(0);
    const card = JSON.parse(res.stdout);
    const cites = card.metrics.find((m: { name: string }) => m.name === 'cites_policy');
    expect(cites).toMatchObject({ owner: 'product@example.com', lifecycle: 'regression', gates: [{ rule: 'cites_policy noRegression perSlice → block', action: 'block' }] });
    expect(cites.trend.length).toBeGreaterThanOrEqual(3);
  });

  it('takes a policy from its own file and audits the policy change', async () => {
    const policyDir = mkdtempSync(join(tmpdir(), 'evalops-policy-'));
    const policy = join(policyDir, 'gate.yaml');
    writeFileSync(policy, 'baseline: last-approved\nrules:\n  - { metric: concise, min: 0.99, action: block }\n');
    const res = await gate('--policy', policy);
    expect(res.code, res.stderr).toBe(0);
    expect(res.doc.policy.rules).toEqual(['concise min 0.99 → block']);
    const audit = JSON.parse((await runCli(['audit', 'list', ...v1, '--limit', '200', '--json'], { env })).stdout);
    const changes = audit.entries.filter((e: { action: string }) => e.action === 'policy.change');
    expect(changes.length).toBeGreaterThanOrEqual(2); // the first policy, then this one
    expect(changes.at(-1).payload.to.rules).toEqual(['concise min 0.99 → block']);

    writeFileSync(policy, 'rules:\n  - { metric: concise, min: 0.99, action: blok }\n');
    const bad = await gate('--policy', policy);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/gate\.yaml:2 gate\.rules\.0\.action/);
  });
});
