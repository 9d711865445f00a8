import { describe, expect, it } from 'vitest';
import { GateRuleSchema, type GateRuleInput } from '../gate-config.js';
import { repeatStats, type TrialScore } from '../repeat-stats.js';
import type { MetricSummary, RunSummary } from '../run.js';
import { wilsonInterval } from '../stats.js';
import { evaluateGate } from './evaluate-gate.js';

// 10 examples × 3 trials: 6 always pass, 3 flaky (pass 2 of 3), 1 always fails.
// Mean pass rate = (18 + 6) / 30 = 0.8; pass^3 = 6/10 = 0.6; pass@3 = 9/10 = 0.9.
const rows: TrialScore[] = [];
for (let e = 0; e < 10; e++) {
  for (let t = 0; t < 3; t++) rows.push({ exampleId: `e${e}`, metric: 'm', status: 'scored', pass: e < 6 ? true : e < 9 ? t !== 0 : false });
}
const repeats = repeatStats(rows, 3).get('m');
const m: MetricSummary = { scorerType: 'contains', n: 30, passed: 24, failed: 6, errored: 0, skipped: 0, passRate: 0.8, mean: 0.8, ci95: wilsonInterval(24, 30), ...(repeats ? { repeats } : {}) };
const candidate = { runId: 'r', status: 'completed', project: 'p', dataset: { name: 'd', version: 'v' }, target: { type: 'command', variant: 'x' }, repeat: 3, labels: {}, results: { total: 30, errors: 0, cached: 0, expected: 30 }, metrics: { m }, costUsd: 0, costPerSuccessUsd: null, successes: 24, latencyMs: { p50: null, p95: null }, tokens: { input: 0, output: 0 }, durationMs: 1, startedAt: '', finishedAt: '' } satisfies RunSummary;

const gate = (rule: Omit<GateRuleInput, 'metric' | 'action'>, summary: RunSummary = candidate) =>
  evaluateGate({
    rules: [GateRuleSchema.parse({ metric: 'm', action: 'block', ...rule })],
    metrics: [{ name: 'm', scorerType: 'contains', calibrated: true, owner: 'o@x' }],
    candidate: summary,
    candidateSlices: {},
    comparisons: null,
    regressed: () => false,
  });

// The configured rule's findings, without the built-in target-error-rate rule (rule -1).
const ruleFindings = (decision: ReturnType<typeof gate>) => decision.findings.filter((f) => f.rule >= 0);

describe('gate rules with aggregate pass^k / pass@k', () => {
  it('the mean passes min 0.75 while pass^3 (0.6) blocks it', () => {
    expect(gate({ min: 0.75 }).outcome).toBe('approve');
    const strict = gate({ min: 0.75, aggregate: 'pass^k' });
    expect(strict.outcome).toBe('block');
    expect(strict.findings[0]).toMatchObject({ status: 'failed', evidence: { value: 0.6, bound: 0.75 } });
    expect(strict.findings[0]?.message).toBe('m pass^3 60.0% (6/10 examples; 3 flaky example(s)) violates min 75.0%');
    expect(strict.findings[0]?.ruleText).toBe('m pass^k min 0.75 → block');
  });

  it('pass@3 (0.9) meets min 0.85 where the mean (0.8) does not', () => {
    expect(gate({ min: 0.85 }).outcome).toBe('block');
    const lenient = gate({ min: 0.85, aggregate: 'pass@k' });
    expect(lenient.outcome).toBe('approve');
    expect(ruleFindings(lenient)).toMatchObject([{ status: 'passed', evidence: { value: 0.9 } }]);
  });

  it('judges by the Wilson interval over examples with useInterval', () => {
    const f = gate({ min: 0.75, aggregate: 'pass^k', useInterval: true }).findings[0];
    expect(f?.evidence.ci95).toEqual(wilsonInterval(6, 10));
    expect(f?.status).toBe('passed'); // the upper end of 6/10's interval is above 0.75
  });

  it('falls back to k = 1 (the pass rate) on a run without repeats', () => {
    const single = { ...candidate, repeat: 1, metrics: { m: { ...m, repeats: undefined } } };
    expect(gate({ min: 0.75, aggregate: 'pass^k' }, single).findings[0]?.message).toMatch(/^m pass\^1 80\.0% \(24\/30 examples\) meets min 75\.0%$/);
  });

  it('does not guess pass^k for a repeated run whose summary lacks it', () => {
    const old = { ...candidate, metrics: { m: { ...m, repeats: undefined } } };
    const decision = gate({ min: 0.5, aggregate: 'pass^k' }, old);
    // A blocking rule that cannot be evaluated never approves silently (issue 13).
    expect(decision.outcome).toBe('require_approval');
    expect(ruleFindings(decision)).toMatchObject([{ status: 'not_evaluated', action: 'require_approval' }]);
    expect(ruleFindings(decision)[0]?.message).toMatch(/^m pass\^3 is not recorded for this run \(run it again to get it\)/);
  });

  it('refuses aggregate without a bound, with perSlice, or on a built-in metric', () => {
    expect(GateRuleSchema.safeParse({ metric: 'm', aggregate: 'pass^k', noRegression: true, action: 'block' }).success).toBe(false);
    expect(GateRuleSchema.safeParse({ metric: 'm', aggregate: 'pass^k', min: 0.9, perSlice: true, action: 'block' }).success).toBe(false);
    expect(GateRuleSchema.safeParse({ metric: 'error_rate', aggregate: 'pass@k', max: 0.1, action: 'block' }).success).toBe(false);
    expect(GateRuleSchema.safeParse({ metric: 'm', aggregate: 'pass^2', min: 0.9, action: 'block' }).success).toBe(false);
  });
});
