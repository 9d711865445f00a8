import { describe, expect, it } from 'vitest';
import type { MetricComparison } from '../comparison.js';
import { GateRuleSchema, type GateRuleInput } from '../gate-config.js';
import type { MetricSummary, RunSummary } from '../run.js';
import { wilsonInterval } from '../stats.js';
import { BUILT_IN_RULE, evaluateGate, type GateEvaluationInput, type GateMetricInfo } from './evaluate-gate.js';
import type { Finding } from './gate-decision.js';

/** The findings of the policy's own rules (without the built-in error-rate finding). */
const configured = (findings: readonly Finding[]): Finding[] => findings.filter((f) => f.rule !== BUILT_IN_RULE);

const metric = (passed: number, failed: number, extra: Partial<MetricSummary> = {}): MetricSummary => ({
  scorerType: 'contains',
  n: passed + failed,
  passed,
  failed,
  errored: 0,
  skipped: 0,
  passRate: passed + failed ? passed / (passed + failed) : null,
  mean: passed + failed ? passed / (passed + failed) : null,
  ci95: wilsonInterval(passed, passed + failed),
  ...extra,
});

const summary = (metrics: Record<string, MetricSummary>, extra: Partial<RunSummary> = {}): RunSummary => ({
  runId: 'run_c',
  status: 'completed',
  project: 'p',
  dataset: { name: 'd', version: 'v' },
  target: { type: 'module', variant: 'x' },
  repeat: 1,
  labels: {},
  results: { total: 100, errors: 0, cached: 0, expected: 100 },
  metrics,
  costUsd: 1,
  costPerSuccessUsd: 0.01,
  successes: 100,
  latencyMs: { p50: 100, p95: 400 },
  tokens: { input: 0, output: 0 },
  durationMs: 1,
  startedAt: '',
  finishedAt: '',
  ...extra,
});

const comparison = (metricName: string, slice: string | null, verdict: MetricComparison['verdict'], delta = -0.1): MetricComparison => ({
  metric: metricName,
  slice,
  kind: 'binary',
  method: 'mcnemar',
  n: 100,
  baseline: 0.9,
  candidate: 0.9 + delta,
  delta,
  ci95: [delta - 0.05, delta + 0.05],
  pValue: verdict === 'regressed' ? 0.001 : 0.5,
  pAdjusted: verdict === 'regressed' ? 0.002 : 0.5,
  noiseFloor: null,
  verdict,
  improvedExamples: 0,
  regressedExamples: 10,
  imputed: { baseline: 0, candidate: 0 },
});

const rules = (...rs: GateRuleInput[]) => rs.map((r) => GateRuleSchema.parse(r));
const infos: GateMetricInfo[] = [
  { name: 'cites', owner: 'product@x', failureClass: 'answer_quality', scorerType: 'icontains', calibrated: true },
  { name: 'tool', owner: 'platform@x', failureClass: 'tool_selection', scorerType: 'tool-called', calibrated: true },
  { name: 'leak', owner: 'risk@x', failureClass: 'policy_boundary', scorerType: 'function', calibrated: true },
  { name: 'helpful', owner: 'product@x', failureClass: 'answer_quality', scorerType: 'judge', calibrated: false },
  { name: 'orphan', failureClass: 'answer_quality', scorerType: 'regex', calibrated: true },
  { name: 'old', owner: 'o@x', failureClass: 'answer_quality', lifecycle: 'retired', scorerType: 'regex', calibrated: true },
];
const input = (over: Partial<GateEvaluationInput>): GateEvaluationInput => ({
  rules: [],
  metrics: infos,
  candidate: summary({ cites: metric(90, 10), tool: metric(97, 3), leak: metric(100, 0), helpful: metric(80, 20, { scorerType: 'judge' }), orphan: metric(50, 50), old: metric(0, 100) }),
  candidateSlices: {},
  comparisons: [],
  regressed: (c) => c.verdict === 'regressed',
  ...over,
});

describe('evaluateGate', () => {
  it('approves when every rule holds', () => {
    const e = evaluateGate(input({ rules: rules({ metric: 'tool', min: 0.95, action: 'require_approval' }, { failureClass: 'policy_boundary', maxFailures: 0, action: 'block' }) }));
    expect(e.outcome).toBe('approve');
    expect(e.findings.map((f) => f.status)).toEqual(['passed', 'passed', 'passed']);
    expect(e.findings[2]).toMatchObject({ rule: BUILT_IN_RULE, condition: 'errorRate', status: 'passed' });
    expect(e.owners).toEqual([]);
  });

  it('blocks on a regression in one slice and names the slice and the owner', () => {
    const e = evaluateGate(
      input({
        rules: rules({ metric: 'cites', noRegression: true, perSlice: true, action: 'block' }),
        comparisons: [comparison('cites', null, 'unchanged', -0.01), comparison('cites', 'lang:es', 'regressed', -0.4), comparison('cites', 'lang:en', 'unchanged', 0)],
      }),
    );
    expect(e.outcome).toBe('block');
    const failed = e.findings.filter((f) => f.status === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ slice: 'lang:es', action: 'block', owner: 'product@x' });
    expect(failed[0]!.message).toMatch(/regressed in slice lang:es/);
    expect(e.owners).toEqual(['product@x']);
  });

  it('ignores slices without perSlice', () => {
    const e = evaluateGate(input({ rules: rules({ metric: 'cites', noRegression: true, action: 'block' }), comparisons: [comparison('cites', null, 'unchanged'), comparison('cites', 'lang:es', 'regressed')] }));
    expect(e.outcome).toBe('approve');
    expect(configured(e.findings)).toHaveLength(1);
  });

  it('with slicePrefix checks only the cluster slices: a regression there blocks, one in another slice does not', () => {
    const policy = rules({ metric: 'cites', noRegression: true, perSlice: true, slicePrefix: 'cluster:', action: 'block' });
    const blocked = evaluateGate(input({ rules: policy, comparisons: [comparison('cites', null, 'unchanged', -0.01), comparison('cites', 'cluster:refund-policy', 'regressed', -0.3), comparison('cites', 'lang:en', 'unchanged', 0)] }));
    expect(blocked.outcome).toBe('block');
    expect(configured(blocked.findings).map((f) => f.slice)).toEqual([null, 'cluster:refund-policy']);
    expect(configured(blocked.findings)[1]).toMatchObject({ status: 'failed', ruleText: 'cites noRegression perSlice cluster:* → block' });
    const elsewhere = evaluateGate(input({ rules: policy, comparisons: [comparison('cites', null, 'unchanged', -0.01), comparison('cites', 'cluster:refund-policy', 'unchanged', 0), comparison('cites', 'lang:es', 'regressed', -0.4)] }));
    expect(elsewhere.outcome).toBe('approve');
  });

  it('says so when a slicePrefix rule finds no slice to guard, and a blocking rule then asks for approval instead of passing quietly', () => {
    const e = evaluateGate(input({ rules: rules({ metric: 'cites', noRegression: true, perSlice: true, slicePrefix: 'cluster:', action: 'block' }), comparisons: [comparison('cites', null, 'unchanged'), comparison('cites', 'lang:es', 'unchanged')] }));
    const findings = configured(e.findings);
    expect(findings[0]).toMatchObject({ status: 'not_evaluated', action: 'require_approval' });
    expect(findings[0]!.message).toMatch(/no paired slice starts with cluster:/);
    expect(e.outcome).toBe('require_approval');
  });

  it('refuses slicePrefix without perSlice', () => {
    const r = GateRuleSchema.safeParse({ metric: 'cites', noRegression: true, slicePrefix: 'cluster:', action: 'block' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['slicePrefix']);
  });

  it('applies precedence block > require_approval > narrow and the smallest narrow percentage', () => {
    const narrowOnly = evaluateGate(input({ rules: rules({ metric: 'cost_per_success', max: 0.001, action: 'narrow', rolloutPercent: 25 }, { metric: 'latency_p95', max: 100, action: 'narrow', rolloutPercent: 10 }) }));
    expect(narrowOnly).toMatchObject({ outcome: 'narrow', rolloutPercent: 10 });
    const withApproval = evaluateGate(input({ rules: rules({ metric: 'cost_per_success', max: 0.001, action: 'narrow', rolloutPercent: 25 }, { metric: 'tool', min: 0.99, action: 'require_approval' }) }));
    expect(withApproval).toMatchObject({ outcome: 'require_approval', rolloutPercent: null });
    const withBlock = evaluateGate(input({ rules: rules({ metric: 'tool', min: 0.99, action: 'require_approval' }, { metric: 'cites', maxFailures: 0, action: 'block' }) }));
    expect(withBlock.outcome).toBe('block');
  });

  it('never lets an uncalibrated judge block, nor pass silently without scores', () => {
    const fails = evaluateGate(input({ rules: rules({ metric: 'helpful', min: 0.9, action: 'block' }) }));
    expect(fails.outcome).toBe('require_approval');
    expect(fails.findings[0]).toMatchObject({ status: 'failed', ruleAction: 'block', action: 'require_approval' });
    expect(fails.findings[0]!.message).toMatch(/uncalibrated judge/);
    const noScores = evaluateGate(input({ rules: rules({ metric: 'helpful', min: 0.5, action: 'block' }), candidate: summary({ helpful: metric(0, 0, { scorerType: 'judge', skipped: 60 }) }) }));
    expect(noScores.outcome).toBe('require_approval');
    expect(noScores.findings[0]).toMatchObject({ status: 'not_evaluated', action: 'require_approval' });
    const calibrated = evaluateGate(input({ rules: rules({ metric: 'helpful', min: 0.9, action: 'block' }), metrics: infos.map((m) => (m.name === 'helpful' ? { ...m, calibrated: true } : m)) }));
    expect(calibrated.outcome).toBe('block');
  });

  it('treats goal-completed (a judge over a conversation) like any judge: uncalibrated, it asks for approval instead of blocking', () => {
    const goal: GateMetricInfo = { name: 'goal', owner: 'support@x', failureClass: 'answer_quality', scorerType: 'goal-completed', calibrated: false };
    const base = input({ rules: rules({ metric: 'goal', min: 0.9, action: 'block' }), metrics: [...infos, goal], candidate: summary({ goal: metric(60, 40, { scorerType: 'goal-completed' }) }) });
    const uncalibrated = evaluateGate(base);
    expect(uncalibrated.outcome).toBe('require_approval');
    expect(uncalibrated.findings[0]!.message).toMatch(/uncalibrated judge/);
    const calibrated = evaluateGate({ ...base, metrics: [...infos, { ...goal, calibrated: true }] });
    expect(calibrated.outcome).toBe('block');
  });

  it('counts failures over a whole failure class', () => {
    const e = evaluateGate(input({ rules: rules({ failureClass: 'answer_quality', maxFailures: 0, action: 'block' }) }));
    expect(e.outcome).toBe('block');
    expect(configured(e.findings)).toHaveLength(1);
    expect(e.findings[0]!.evidence.failures).toBe(10 + 20 + 50); // cites + helpful + orphan; the retired metric does not count
    expect(e.warnings.some((w) => /old is retired/.test(w))).toBe(true);
  });

  it('warns about rules on metrics without an owner', () => {
    const e = evaluateGate(input({ rules: rules({ metric: 'orphan', min: 0.1, action: 'block' }) }));
    expect(e.warnings).toEqual([expect.stringMatching(/orphan, which has no owner/)]);
  });

  it('with useInterval, trips a bound only when the whole interval is beyond it', () => {
    // 18/20 = 90% with a Wilson interval of about 69.9%–97.2%: below 95% as a point, not as an interval.
    const candidate = summary({ tool: metric(18, 2) });
    expect(evaluateGate(input({ candidate, rules: rules({ metric: 'tool', min: 0.95, action: 'block' }) })).outcome).toBe('block');
    expect(evaluateGate(input({ candidate, rules: rules({ metric: 'tool', min: 0.95, useInterval: true, action: 'block' }) })).outcome).toBe('approve');
    expect(evaluateGate(input({ candidate, rules: rules({ metric: 'tool', min: 0.98, useInterval: true, action: 'block' }) })).outcome).toBe('block');
  });

  it('checks min per slice with perSlice', () => {
    const e = evaluateGate(input({ rules: rules({ metric: 'tool', min: 0.9, perSlice: true, action: 'block' }), candidateSlices: { tool: { 'lang:en': { passed: 50, n: 50 }, 'lang:es': { passed: 40, n: 50 } } } }));
    expect(e.outcome).toBe('block');
    expect(e.findings.filter((f) => f.status === 'failed').map((f) => f.slice)).toEqual(['lang:es']);
  });

  it('does not evaluate noRegression without a baseline, and says so; approves on the other rules of a first gate', () => {
    const e = evaluateGate(input({ rules: rules({ metric: 'cites', noRegression: true, action: 'block' }, { metric: 'tool', min: 0.9, action: 'block' }), comparisons: null }));
    expect(e.outcome).toBe('approve');
    expect(e.findings[0]).toMatchObject({ status: 'not_evaluated', message: 'no approved baseline to compare with' });
    expect(e.warnings).toContain('no approved baseline: noRegression rules were not evaluated');
  });

  it('requires approval when no rule could be evaluated, naming the rules and why', () => {
    const e = evaluateGate(input({ rules: rules({ metric: 'cites', noRegression: true, action: 'block' }), comparisons: null }));
    expect(e.outcome).toBe('require_approval');
    expect(e.findings[0]).toMatchObject({ status: 'not_evaluated', action: 'require_approval' });
    expect(e.warnings.join(' ')).toMatch(/no rule could be evaluated.*rule 1 \(cites noRegression.*no approved baseline/);
  });

  it('requires approval when a blocking rule could not be evaluated, even when others passed', () => {
    const e = evaluateGate(
      input({
        rules: rules({ metric: 'cites', noRegression: true, action: 'block' }, { metric: 'tool', min: 0.9, action: 'block' }),
        comparisons: [comparison('tool', null, 'unchanged', 0)],
      }),
    );
    expect(e.outcome).toBe('require_approval');
    expect(e.findings[0]).toMatchObject({ status: 'not_evaluated', action: 'require_approval' });
    expect(e.warnings.join(' ')).toMatch(/a blocking rule could not be evaluated.*no paired scores for cites/);
    // A require_approval rule that cannot be evaluated is reported but does not change the outcome.
    const soft = evaluateGate(input({ rules: rules({ metric: 'cites', noRegression: true, action: 'narrow', rolloutPercent: 5 }, { metric: 'tool', min: 0.9, action: 'block' }), comparisons: [] }));
    expect(soft.outcome).toBe('approve');
  });

  it('counts target-errored and scorer-errored results as failures of min and maxFailures', () => {
    // 95 passed of 95 scored, plus 3 errored scores and 2 target-errored results: 95 of 100.
    const candidate = summary({ tool: metric(95, 0, { errored: 3 }), leak: metric(98, 0) }, { results: { total: 100, errors: 2, cached: 0, expected: 100 } });
    const e = evaluateGate(input({ candidate, comparisons: null, rules: rules({ metric: 'tool', min: 0.96, action: 'block' }, { metric: 'leak', maxFailures: 1, action: 'require_approval' }) }));
    expect(e.outcome).toBe('block');
    expect(e.findings[0]).toMatchObject({ status: 'failed', evidence: { value: 0.95 } });
    expect(e.findings[0]!.message).toMatch(/5 errored counted as failed/);
    expect(e.findings[1]).toMatchObject({ status: 'failed', evidence: { failures: 2 } });
  });

  it('blocks a candidate whose every example errored, with or without a baseline', () => {
    const candidate = summary({ tool: metric(0, 0), leak: metric(0, 0) }, { results: { total: 100, errors: 100, cached: 0, expected: 100 } });
    const errs = { results: 100, examples: 100, missing: 0, total: 100, rate: 1, top: [{ message: 'boom', count: 100 }] };
    const e = evaluateGate(input({ candidate, comparisons: null, errors: { comparison: null, candidate: errs }, rules: rules({ metric: 'cites', noRegression: true, action: 'block' }) }));
    expect(e.outcome).toBe('block');
    const builtIn = e.findings.find((f) => f.rule === BUILT_IN_RULE);
    expect(builtIn).toMatchObject({ status: 'failed', action: 'block', metric: 'error_rate' });
    expect(builtIn!.message).toMatch(/every example errored \(100\/100\).*boom/);
    // Softened to narrow, an all-errored run still needs approval.
    const soft = evaluateGate(input({ candidate, comparisons: null, errors: { comparison: null, candidate: errs }, errorRate: { action: 'narrow', rolloutPercent: 5 }, rules: rules({ metric: 'tool', min: 0, action: 'narrow', rolloutPercent: 5 }) }));
    expect(soft.outcome).toBe('require_approval');
  });

  it('applies the error-rate rule with its configured action when the rate rose significantly', () => {
    const errs = (rate: number) => ({ results: rate * 100, examples: rate * 100, missing: 0, total: 100, rate, top: [] });
    const comparisonOf = (rose: boolean) => ({ baseline: errs(0), candidate: errs(0.1), n: 100, newErrors: 10, fixedErrors: 0, pValue: rose ? 0.001 : 0.2, rose });
    const rose = evaluateGate(input({ errors: { comparison: comparisonOf(true), candidate: errs(0.1) }, errorRate: { action: 'require_approval' }, rules: rules({ metric: 'tool', min: 0.5, action: 'block' }) }));
    expect(rose.outcome).toBe('require_approval');
    expect(rose.findings.at(-1)!.message).toMatch(/target-error rate rose: 0\.0% → 10\.0% \(10 new errored example/);
    const flat = evaluateGate(input({ errors: { comparison: comparisonOf(false), candidate: errs(0.1) }, rules: rules({ metric: 'tool', min: 0.5, action: 'block' }) }));
    expect(flat.outcome).toBe('approve');
  });

  it('evaluates built-in metrics in their own units', () => {
    const candidate = summary(input({}).candidate.metrics, { results: { total: 100, errors: 2, cached: 0, expected: 100 } });
    const e = evaluateGate(input({ candidate, rules: rules({ metric: 'error_rate', max: 0.01, action: 'block' }, { metric: 'latency_p95', max: 500, action: 'block' }) }));
    expect(configured(e.findings).map((f) => f.status)).toEqual(['failed', 'passed']);
    expect(e.findings[0]!.message).toMatch(/error_rate 2\.0% violates max 1\.0%/);
  });
});
