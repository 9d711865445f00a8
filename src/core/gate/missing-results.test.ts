import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MetricComparison } from '../comparison.js';
import { verdictFor } from '../compare-metric.js';
import { comparePaired, type PairedRowsSide } from '../compare-paired.js';
import { runErrors, type ErrorCell } from '../error-rate.js';
import { GateRuleSchema, type GateRuleInput } from '../gate-config.js';
import type { ScoreCell } from '../impute-missing.js';
import type { MetricSummary, RunSummary } from '../run.js';
import { wilsonInterval } from '../stats.js';
import { candidateSliceCounts } from './candidate-slice-counts.js';
import { evaluateGate, type GateMetricInfo } from './evaluate-gate.js';
import { OUTCOME_PRECEDENCE, type GateEvaluation } from './gate-decision.js';

/**
 * "A candidate can never improve its gate outcome by failing to produce a result": over random
 * baselines, candidates, slices and policies, turning any subset of the candidate's results into
 * target errors never moves the decision towards approve, and never raises any comparison's candidate
 * rate or delta, nor turns a regression into anything else. Inputs go through the same pure
 * functions as `evalops gate` (comparePaired, candidateSliceCounts, evaluateGate).
 */

const SLICES = ['lang:en', 'lang:es', 'intent:refund'] as const;

interface Example {
  readonly slices: readonly string[];
  /** Per metric: pass in the baseline, pass in the candidate. */
  readonly baseline: readonly boolean[];
  readonly candidate: readonly boolean[];
  readonly baselineErrored: boolean;
  readonly candidateErrored: boolean;
  /** Turned into a target error in the second evaluation. */
  readonly flip: boolean;
}

const exampleArb = (metrics: number) =>
  fc.record({
    slices: fc.subarray([...SLICES]),
    baseline: fc.array(fc.boolean(), { minLength: metrics, maxLength: metrics }),
    // Candidate passes drawn to agree with the baseline most of the time, as two versions of one system do.
    candidate: fc.array(fc.boolean(), { minLength: metrics, maxLength: metrics }),
    // Errors already present on either side are drawn below at the scenario's error rates.
    baselineErrored: fc.constant(false),
    candidateErrored: fc.constant(false),
    flip: fc.boolean(),
  });

const ruleArb: fc.Arbitrary<GateRuleInput> = fc.oneof(
  fc.record({ metric: fc.constantFrom('m0', 'm1'), noRegression: fc.constant(true), perSlice: fc.boolean(), action: fc.constantFrom('block' as const, 'require_approval' as const) }),
  fc.record({ metric: fc.constantFrom('m0', 'm1'), min: fc.double({ min: 0, max: 1, noNaN: true }), perSlice: fc.boolean(), action: fc.constantFrom('block' as const, 'require_approval' as const) }),
  fc.record({ metric: fc.constantFrom('m0', 'm1'), maxFailures: fc.integer({ min: 0, max: 20 }), action: fc.constant('block' as const) }),
  fc.record({ metric: fc.constantFrom('m0', 'm1'), min: fc.double({ min: 0, max: 1, noNaN: true }), action: fc.constant('narrow' as const), rolloutPercent: fc.constant(10) }),
);

const scenarioArb = fc
  .record({
    n: fc.integer({ min: 8, max: 60 }),
    agreement: fc.double({ min: 0, max: 1, noNaN: true }),
    baselineErrorRate: fc.constantFrom(0, 0.05, 0.3),
    candidateErrorRate: fc.constantFrom(0, 0.05, 0.3),
    withBaseline: fc.boolean(),
    rules: fc.array(ruleArb, { minLength: 1, maxLength: 3 }),
    errorRateAction: fc.constantFrom('block' as const, 'require_approval' as const),
    seed: fc.integer({ min: 1, max: 2 ** 30 }),
  })
  .chain((s) =>
    fc.record({
      scenario: fc.constant(s),
      examples: fc.array(exampleArb(2), { minLength: s.n, maxLength: s.n }),
      draws: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: s.n, maxLength: s.n }),
    }),
  )
  .map(({ scenario, examples, draws }) => ({
    scenario,
    examples: examples.map((e, i): Example => {
      const [agree, be, ce] = draws[i] as [number, number, number];
      return {
        ...e,
        candidate: agree < scenario.agreement ? e.baseline : e.candidate,
        baselineErrored: be < scenario.baselineErrorRate,
        candidateErrored: ce < scenario.candidateErrorRate,
      };
    }),
  }));

const METRICS = ['m0', 'm1'];

function side(examples: readonly Example[], which: 'baseline' | 'candidate', flipped: boolean): PairedRowsSide {
  const rows: ScoreCell[] = [];
  const errors: ErrorCell[] = [];
  examples.forEach((e, i) => {
    const exampleId = `e${String(i).padStart(3, '0')}`;
    const errored = which === 'baseline' ? e.baselineErrored : e.candidateErrored || (flipped && e.flip);
    if (errored) {
      errors.push({ exampleId, trial: 0, error: i % 2 ? 'timed out after 100 ms' : 'TypeError: x is undefined' });
      return;
    }
    METRICS.forEach((metric, m) => {
      const pass = (which === 'baseline' ? e.baseline : e.candidate)[m] as boolean;
      rows.push({ exampleId, trial: 0, metric, status: 'scored', value: pass ? 1 : 0, pass });
    });
  });
  return { rows, errors, exampleIds: examples.map((_, i) => `e${String(i).padStart(3, '0')}`) };
}

/** The candidate's summary as summariseRun computes it from SQL aggregates (scored, errored, skipped). */
function summaryOf(s: PairedRowsSide): RunSummary {
  const metrics: Record<string, MetricSummary> = {};
  for (const name of METRICS) {
    const mine = s.rows.filter((r) => r.metric === name);
    const passed = mine.filter((r) => r.status === 'scored' && r.pass).length;
    const failed = mine.filter((r) => r.status === 'scored' && !r.pass).length;
    const n = passed + failed;
    metrics[name] = { scorerType: 'contains', n, passed, failed, errored: 0, skipped: 0, passRate: n ? passed / n : null, mean: n ? passed / n : null, ci95: wilsonInterval(passed, n) };
  }
  return {
    runId: 'c',
    status: 'completed',
    project: 'p',
    dataset: { name: 'd', version: 'v' },
    target: { type: 'module', variant: 'x' },
    repeat: 1,
    labels: {},
    results: { total: s.exampleIds.length, errors: s.errors.length, cached: 0, expected: s.exampleIds.length },
    metrics,
    costUsd: 0,
    costPerSuccessUsd: null,
    successes: 0,
    latencyMs: { p50: null, p95: null },
    tokens: { input: 0, output: 0 },
    durationMs: null,
    startedAt: '',
    finishedAt: null,
  };
}

const INFOS: GateMetricInfo[] = METRICS.map((name) => ({ name, owner: 'o@example.com', scorerType: 'contains', calibrated: true }));

function decide(examples: readonly Example[], scenario: { withBaseline: boolean; rules: GateRuleInput[]; errorRateAction: 'block' | 'require_approval' }, flipped: boolean): { evaluation: GateEvaluation; comparisons: MetricComparison[] } {
  const baseline = side(examples, 'baseline', false);
  const candidate = side(examples, 'candidate', flipped);
  const slices = new Map(examples.map((e, i) => [`e${String(i).padStart(3, '0')}`, e.slices]));
  const paired = scenario.withBaseline ? comparePaired({ baseline, candidate, metrics: METRICS, slices, missingInCandidate: [], seed: 7 }) : null;
  const evaluation = evaluateGate({
    rules: scenario.rules.map((r) => GateRuleSchema.parse(r)),
    metrics: INFOS,
    candidate: summaryOf(candidate),
    candidateSlices: candidateSliceCounts(candidate.rows, candidate.errors, slices, METRICS),
    comparisons: paired ? paired.comparisons : null,
    regressed: (c, minEffect) => verdictFor(c, c.pAdjusted, minEffect) === 'regressed',
    errors: { comparison: paired?.errors ?? null, candidate: paired?.errors.candidate ?? runErrors(candidate.errors, candidate.exampleIds) },
    errorRate: { action: scenario.errorRateAction },
  });
  return { evaluation, comparisons: paired?.comparisons ?? [] };
}

describe('missing results never help a candidate', () => {
  it('turning any subset of the candidate results into errors never moves the decision towards approve', () => {
    fc.assert(
      fc.property(scenarioArb, ({ scenario, examples }) => {
        const before = decide(examples, scenario, false);
        const after = decide(examples, scenario, true);
        expect(OUTCOME_PRECEDENCE[after.evaluation.outcome]).toBeGreaterThanOrEqual(OUTCOME_PRECEDENCE[before.evaluation.outcome]);
      }),
      { numRuns: 300, seed: 20261206 },
    );
  });

  it('never raises a comparison’s candidate rate or delta, nor undoes a regression or makes an improvement', () => {
    fc.assert(
      fc.property(scenarioArb, ({ scenario, examples }) => {
        const s = { ...scenario, withBaseline: true };
        const before = new Map(decide(examples, s, false).comparisons.map((c) => [`${c.metric}/${c.slice}`, c]));
        for (const a of decide(examples, s, true).comparisons) {
          const b = before.get(`${a.metric}/${a.slice}`);
          expect(b, `${a.metric}/${a.slice} compared before`).toBeDefined();
          if (!b || a.candidate === null || b.candidate === null || a.delta === null || b.delta === null) continue;
          expect(a.n).toBe(b.n);
          expect(a.candidate).toBeLessThanOrEqual(b.candidate + 1e-12);
          expect(a.delta).toBeLessThanOrEqual(b.delta + 1e-12);
          if (b.verdict === 'regressed') expect(a.verdict).toBe('regressed');
          if (a.verdict === 'improved') expect(b.verdict).toBe('improved');
          expect(a.imputed.candidate).toBeGreaterThanOrEqual(b.imputed.candidate);
        }
      }),
      { numRuns: 300, seed: 20261207 },
    );
  });

  it('a candidate that errors exactly where it would fail is not approved (the "Why" case, pure)', () => {
    // 40 examples: the baseline passes all but 4; the candidate gives the same answers but throws on
    // 12 examples the baseline passed — the ones it would fail. Without imputation every metric reads 100%.
    const examples: Example[] = Array.from({ length: 40 }, (_, i) => ({
      slices: [SLICES[i % 3] as string],
      baseline: [i >= 4, i >= 4],
      candidate: [i >= 16, i >= 16],
      baselineErrored: false,
      candidateErrored: i >= 4 && i < 16,
      flip: false,
    }));
    const { evaluation, comparisons } = decide(examples, { withBaseline: true, rules: [{ metric: 'm0', noRegression: true, action: 'block' }], errorRateAction: 'block' }, false);
    expect(evaluation.outcome).toBe('block');
    const m0 = comparisons.find((c) => c.metric === 'm0' && c.slice === null);
    expect(m0).toMatchObject({ n: 40, imputed: { baseline: 0, candidate: 12 }, regressedExamples: 12, verdict: 'regressed' });
    expect(evaluation.findings.find((f) => f.condition === 'errorRate')).toMatchObject({ status: 'failed', action: 'block' });
  });
});
