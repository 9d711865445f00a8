import { describe, expect, it } from 'vitest';
import type { MetricComparison } from '../comparison.js';
import { GateRuleSchema, type GateRuleInput } from '../gate-config.js';
import type { MetricSummary, RunSummary } from '../run.js';
import { wilsonInterval } from '../stats.js';
import { evaluateGate, type GateEvaluationInput, type GateMetricInfo } from './evaluate-gate.js';

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
  results: { total: 100, errors: 2, cached: 0, expected: 100 },
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
    expect(e.findings.map((f) => f.status)).toEqual(['passed', 'passed']);
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
    expect(e.findings).toHaveLength(1);
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

  it('counts failures over a whole failure class', () => {
    const e = evaluateGate(input({ rules: rules({ failureClass: 'answer_quality', maxFailures: 0, action: 'block' }) }));
    expect(e.outcome).toBe('block');
    expect(e.findings).toHaveLength(1);
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

  it('does not evaluate noRegression without a baseline, and says so', () => {
    const e = evaluateGate(input({ rules: rules({ metric: 'cites', noRegression: true, action: 'block' }), comparisons: null }));
    expect(e.outcome).toBe('approve');
    expect(e.findings[0]).toMatchObject({ status: 'not_evaluated', message: 'no approved baseline to compare with' });
    expect(e.warnings).toContain('no approved baseline: noRegression rules were not evaluated');
  });

  it('evaluates built-in metrics in their own units', () => {
    const e = evaluateGate(input({ rules: rules({ metric: 'error_rate', max: 0.01, action: 'block' }, { metric: 'latency_p95', max: 500, action: 'block' }) }));
    expect(e.findings.map((f) => f.status)).toEqual(['failed', 'passed']);
    expect(e.findings[0]!.message).toMatch(/error_rate 2\.0% violates max 1\.0%/);
  });
});
