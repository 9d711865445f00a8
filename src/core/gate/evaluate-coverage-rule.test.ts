import { describe, expect, it } from 'vitest';
import type { CoverageMeasure } from '../coverage/coverage-measure.js';
import { GateRuleSchema, type GateRuleInput } from '../gate-config.js';
import type { RunSummary } from '../run.js';
import { BUILT_IN_RULE, evaluateGate, type GateEvaluationInput } from './evaluate-gate.js';

const candidate: RunSummary = {
  runId: 'run_c',
  status: 'completed',
  project: 'p',
  dataset: { name: 'd', version: 'v' },
  target: { type: 'module', variant: 'x' },
  repeat: 1,
  labels: {},
  results: { total: 10, errors: 0, cached: 0, expected: 10 },
  metrics: { ok: { scorerType: 'contains', n: 10, passed: 10, failed: 0, errored: 0, skipped: 0, passRate: 1, mean: 1, ci95: [0.7, 1] } },
  costUsd: 0,
  costPerSuccessUsd: 0,
  successes: 10,
  latencyMs: { p50: 1, p95: 1 },
  tokens: { input: 0, output: 0 },
  durationMs: 1,
  startedAt: '',
  finishedAt: '',
};

const measure = (days: number, over: Partial<CoverageMeasure> = {}): CoverageMeasure => ({
  days,
  from: '2026-01-01T00:00:00.000Z',
  to: '2026-01-08T00:00:00.000Z',
  traces: 200,
  sliced: 100,
  covered: 60,
  coveredShare: 0.6,
  minExamples: 5,
  uncovered: [{ slice: 'intent:cancel', share: 0.3, examples: 0 }, { slice: 'intent:billing', share: 0.1, examples: 2 }],
  ...over,
});

const evaluate = (rs: GateRuleInput[], coverage: CoverageMeasure[], extra: Partial<GateEvaluationInput> = {}) =>
  evaluateGate({
    rules: rs.map((r) => GateRuleSchema.parse(r)),
    metrics: [{ name: 'ok', owner: 'qa@x', scorerType: 'contains', calibrated: true }],
    candidate,
    candidateSlices: {},
    comparisons: null,
    regressed: () => false,
    coverage,
    ...extra,
  });
const own = (e: ReturnType<typeof evaluateGate>) => e.findings.filter((f) => f.rule !== BUILT_IN_RULE);

describe('evaluateGate › minCoverage', () => {
  it('takes the rule action when the dataset covers less of the window than the bound, naming the most uncovered slices', () => {
    const e = evaluate([{ minCoverage: 0.8, action: 'require_approval' }], [measure(7)]);
    expect(e.outcome).toBe('require_approval');
    const [f] = own(e);
    expect(f).toMatchObject({ metric: 'coverage', condition: 'minCoverage', status: 'failed', action: 'require_approval', evidence: { value: 0.6, bound: 0.8, coverage: { days: 7, traces: 200, sliced: 100 } } });
    expect(f!.message).toMatch(/^dataset covers 60\.0% of the last 7 days' traffic \(60 of 100 sliced traces\), below min 80\.0%; most uncovered: intent:cancel 30\.0% \(0 examples\), intent:billing 10\.0% \(2 examples\)/);
  });

  it('passes when the share meets the bound, judging the window the rule names', () => {
    const e = evaluate([{ minCoverage: 0.5, days: 30, action: 'block' }, { metric: 'ok', min: 0.9, action: 'block' }], [measure(7, { coveredShare: 0.1 }), measure(30, { coveredShare: 0.5 })]);
    expect(e.outcome).toBe('approve');
    expect(own(e)[0]).toMatchObject({ status: 'passed', action: null, evidence: { coverage: { days: 30 } } });
  });

  it('narrows to the rule percent', () => {
    const e = evaluate([{ minCoverage: 0.9, action: 'narrow', rolloutPercent: 10 }, { metric: 'ok', min: 0.9, action: 'block' }], [measure(7)]);
    expect(e).toMatchObject({ outcome: 'narrow', rolloutPercent: 10 });
  });

  it('with no production traffic in the window says so: a blocking rule requires approval, never a silent pass', () => {
    const e = evaluate([{ minCoverage: 0.8, action: 'block' }, { metric: 'ok', min: 0.9, action: 'block' }], [measure(7, { traces: 0, sliced: 0, covered: 0, coveredShare: null, uncovered: [] })]);
    expect(e.outcome).toBe('require_approval');
    const [f] = own(e);
    expect(f).toMatchObject({ status: 'not_evaluated', action: 'require_approval' });
    expect(f!.message).toMatch(/^no production traffic in the last 7 days: the dataset's coverage cannot be judged/);
    expect(e.warnings.join('\n')).toMatch(/rule 1 \(dataset coverage min 0\.8 of the last 7 days' traffic → block\) was not evaluated: no production traffic/);
  });

  it('a non-blocking rule without sliced traffic is not evaluated and warned about; the other rules decide', () => {
    const e = evaluate([{ minCoverage: 0.8, action: 'require_approval' }, { metric: 'ok', min: 0.9, action: 'block' }], [measure(7, { sliced: 0, covered: 0, coveredShare: null, uncovered: [] })]);
    expect(e.outcome).toBe('approve');
    expect(own(e)[0]).toMatchObject({ status: 'not_evaluated', action: null });
    expect(own(e)[0]!.message).toMatch(/none of the 200 traces of the last 7 days carries a slice attribute/);
    expect(e.warnings.some((w) => w.includes('was not evaluated: none of the 200 traces'))).toBe(true);
  });

  it('a window nobody measured is not evaluated either', () => {
    const e = evaluate([{ minCoverage: 0.8, days: 14, action: 'block' }], [measure(7)]);
    expect(e.outcome).toBe('require_approval');
    expect(own(e)[0]!.message).toMatch(/the coverage of the last 14 days was not measured/);
  });
});
