import { describe, expect, it } from 'vitest';
import { compareMetric, EQUIVALENCE_MARGIN, MIN_EXAMPLES, verdictFor } from './compare-metric.js';
import type { PairedObservation } from './comparison.js';
import { EvalOpsError } from './errors.js';
import { pairedBootstrapMeanInterval } from './stats/bootstrap.js';
import { mcnemarExact } from './stats/mcnemar-exact.js';
import { trialNoiseFloor } from './stats/noise-floor.js';
import { signFlipTest } from './stats/sign-flip-test.js';

const single = (id: string, baseline: number, candidate: number): PairedObservation => ({
  exampleId: id,
  baseline,
  candidate,
  baselineTrials: 1,
  candidateTrials: 1,
  baselineTrialVariance: 0,
  candidateTrialVariance: 0,
});

/** Binary observations from a paired table: a pass/pass, b pass→fail, c fail→pass, d fail/fail. */
function table(a: number, b: number, c: number, d: number): PairedObservation[] {
  const out: PairedObservation[] = [];
  const push = (count: number, base: number, cand: number): void => {
    for (let i = 0; i < count; i++) out.push(single(`e${out.length}`, base, cand));
  };
  push(a, 1, 1);
  push(b, 1, 0);
  push(c, 0, 1);
  push(d, 0, 0);
  return out;
}

describe('compareMetric, binary', () => {
  it("uses Newcombe's interval and McNemar's exact test on the paired table", () => {
    // Newcombe (1998) Table II example, oriented candidate − baseline: difference 0.2, method 10
    // interval 0.0562 to 0.3292; McNemar exact p for 2 vs 12 discordant pairs = 2·106/16384.
    const r = compareMetric('cites_policy', null, table(20, 2, 12, 16), { binary: true, seed: 1 });
    expect(r).toMatchObject({ metric: 'cites_policy', slice: null, kind: 'binary', method: 'mcnemar-exact+newcombe', n: 50, improvedExamples: 12, regressedExamples: 2, noiseFloor: null });
    expect(r.baseline).toBeCloseTo(0.44, 12);
    expect(r.candidate).toBeCloseTo(0.64, 12);
    expect(r.delta).toBeCloseTo(0.2, 12);
    expect(r.ci95![0]).toBeCloseTo(0.0562, 4);
    expect(r.ci95![1]).toBeCloseTo(0.3292, 4);
    expect(r.pValue).toBeCloseTo(212 / 16384, 14);
    expect(r.pAdjusted).toBe(r.pValue);
    expect(r.verdict).toBe('improved');
  });

  it('calls the mirror image a regression, unless the drop is below the minimum effect', () => {
    const obs = table(20, 12, 2, 16);
    const r = compareMetric('m', 'lang:es', obs, { binary: true, seed: 1 });
    expect(r.slice).toBe('lang:es');
    expect(r.delta).toBeCloseTo(-0.2, 12);
    expect(r.verdict).toBe('regressed');
    expect(compareMetric('m', null, obs, { binary: true, seed: 1, minEffect: 0.25 }).verdict).toBe('inconclusive');
  });

  it('treats pass/fail with repeated trials as continuous', () => {
    const obs = table(20, 2, 12, 16).map((o) => ({ ...o, baselineTrials: 3, candidateTrials: 3 }));
    const r = compareMetric('m', null, obs, { binary: true, seed: 1 });
    expect(r.kind).toBe('continuous');
    expect(r.method).toBe('paired-bootstrap+sign-flip');
  });
});

describe('compareMetric, continuous', () => {
  const obs: PairedObservation[] = Array.from({ length: 40 }, (_, i) => ({
    exampleId: `e${i}`,
    baseline: 0.5 + 0.01 * (i % 7),
    candidate: 0.45 + 0.013 * (i % 5),
    baselineTrials: 3,
    candidateTrials: 2,
    baselineTrialVariance: 0.01 * (i % 3),
    candidateTrialVariance: 0.02,
  }));

  it('takes the bootstrap interval, the sign-flip p-value and the trial noise floor', () => {
    const r = compareMetric('helpfulness', null, obs, { binary: false, seed: 42, iterations: 500 });
    const deltas = Float64Array.from(obs, (o) => o.candidate - o.baseline);
    const boot = pairedBootstrapMeanInterval(deltas, { seed: 42, iterations: 500 });
    expect(r.kind).toBe('continuous');
    expect(r.n).toBe(40);
    expect(r.delta).toBeCloseTo(boot.mean, 14);
    expect(r.ci95).toEqual(boot.interval);
    expect(r.pValue).toBe(signFlipTest(deltas));
    expect(r.noiseFloor).toBe(trialNoiseFloor(obs));
    expect(r.baseline! - r.candidate!).toBeCloseTo(-r.delta!, 12);
    expect(r.improvedExamples + r.regressedExamples).toBe(deltas.filter((d) => Math.abs(d) > 1e-12).length);
  });

  it('does not call a drop inside the trial-noise floor a regression', () => {
    // Every example drops by 0.03: unmistakable without trial noise, but the trials say noise alone
    // moves the mean by more than that.
    const quiet = Array.from({ length: 30 }, (_, i) => ({ ...single(`e${i}`, 0.8, 0.77), baselineTrials: 3, candidateTrials: 3 }));
    expect(compareMetric('m', null, quiet, { binary: false, seed: 1 }).verdict).toBe('regressed');
    const noisy = quiet.map((o) => ({ ...o, baselineTrialVariance: 0.25, candidateTrialVariance: 0.25 }));
    const r = compareMetric('m', null, noisy, { binary: false, seed: 1 });
    expect(r.noiseFloor!).toBeGreaterThan(0.03);
    expect(r.verdict).not.toBe('regressed');
  });
});

describe('compareMetric, edge cases', () => {
  it('returns nulls and inconclusive without observations', () => {
    const r = compareMetric('m', null, [], { binary: true, seed: 1 });
    expect(r).toEqual({ metric: 'm', slice: null, kind: 'binary', method: 'mcnemar-exact+newcombe', n: 0, baseline: null, candidate: null, delta: null, ci95: null, pValue: null, pAdjusted: null, noiseFloor: null, verdict: 'inconclusive', improvedExamples: 0, regressedExamples: 0, imputed: { baseline: 0, candidate: 0 } });
  });
  it('counts the pairs imputed on each side (an example with any imputed trial is one pair)', () => {
    const obs = [
      { exampleId: 'a', baseline: 1, candidate: 0, baselineTrials: 1, candidateTrials: 1, baselineTrialVariance: 0, candidateTrialVariance: 0, candidateImputed: 1 },
      { exampleId: 'b', baseline: 0, candidate: 0, baselineTrials: 1, candidateTrials: 1, baselineTrialVariance: 0, candidateTrialVariance: 0, baselineImputed: 1, candidateImputed: 1 },
      { exampleId: 'c', baseline: 1, candidate: 1, baselineTrials: 1, candidateTrials: 1, baselineTrialVariance: 0, candidateTrialVariance: 0 },
    ];
    expect(compareMetric('m', null, obs, { binary: true, seed: 1 }).imputed).toEqual({ baseline: 1, candidate: 2 });
  });
  it(`is inconclusive below ${MIN_EXAMPLES} examples, however large the change`, () => {
    const r = compareMetric('m', null, table(0, 9, 0, 0), { binary: true, seed: 1 });
    expect(r.delta).toBe(-1);
    expect(r.verdict).toBe('inconclusive');
  });
  it('refuses non-finite values', () => {
    expect(() => compareMetric('m', null, [single('x', Number.NaN, 1)], { binary: false, seed: 1 })).toThrow(EvalOpsError);
  });
});

describe('verdictFor', () => {
  const base = { n: 1000, noiseFloor: null };
  it('follows the documented rule', () => {
    expect(verdictFor({ ...base, delta: -0.05, ci95: [-0.08, -0.02] }, 0.001)).toBe('regressed');
    expect(verdictFor({ ...base, delta: 0.05, ci95: [0.02, 0.08] }, 0.001)).toBe('improved');
    // Not significant after adjustment: a narrow interval is "unchanged", a wide one "inconclusive".
    expect(verdictFor({ ...base, delta: -0.05, ci95: [-0.08, -0.02] }, 0.2)).toBe('inconclusive');
    expect(verdictFor({ ...base, delta: -0.01, ci95: [-0.03, 0.01] }, 0.3)).toBe('unchanged');
    // A significant p with an interval touching 0 is not enough.
    expect(verdictFor({ ...base, delta: -0.05, ci95: [-0.1, 0] }, 0.01)).toBe('inconclusive');
  });
  it('needs the drop to exceed the minimum effect and the noise floor', () => {
    const c = { ...base, delta: -0.03, ci95: [-0.045, -0.015] as [number, number] };
    expect(verdictFor(c, 0.001)).toBe('regressed');
    expect(verdictFor(c, 0.001, 0.04)).toBe('unchanged');
    expect(verdictFor({ ...c, noiseFloor: 0.035 }, 0.001)).toBe('unchanged');
    expect(verdictFor({ ...c, noiseFloor: 0.035 }, 0.001, 0, 0.01)).toBe('inconclusive');
  });
  it(`uses ±${EQUIVALENCE_MARGIN} as the default equivalence margin`, () => {
    expect(verdictFor({ ...base, delta: 0, ci95: [-EQUIVALENCE_MARGIN, EQUIVALENCE_MARGIN] }, 1)).toBe('unchanged');
    expect(verdictFor({ ...base, delta: 0, ci95: [-EQUIVALENCE_MARGIN - 0.001, 0.01] }, 1)).toBe('inconclusive');
  });
  it('is inconclusive for small samples and missing estimates', () => {
    expect(verdictFor({ n: 9, noiseFloor: null, delta: -0.5, ci95: [-0.8, -0.2] }, 0.001)).toBe('inconclusive');
    expect(verdictFor({ n: 0, noiseFloor: null, delta: null, ci95: null }, null)).toBe('inconclusive');
    expect(verdictFor({ ...base, delta: -0.05, ci95: [-0.08, -0.02] }, null)).toBe('inconclusive');
  });
  it('agrees with mcnemarExact-based comparisons after a correction', () => {
    const r = compareMetric('m', null, table(20, 12, 2, 16), { binary: true, seed: 1 });
    expect(r.pValue).toBeCloseTo(mcnemarExact(12, 2), 14);
    expect(verdictFor(r, r.pValue! * 10)).toBe('inconclusive'); // after a ×10 correction: 0.129
  });
});
