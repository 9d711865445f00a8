import { describe, expect, it } from 'vitest';
import type { PairedObservation } from '../comparison.js';
import { EvalOpsError } from '../errors.js';
import { seededRandom } from './seeded-random.js';
import { trialNoiseFloor } from './noise-floor.js';

const obs = (kb: number, vb: number, kc: number, vc: number, id = 'e'): PairedObservation => ({
  exampleId: id,
  baseline: 0.5,
  candidate: 0.5,
  baselineTrials: kb,
  candidateTrials: kc,
  baselineTrialVariance: vb,
  candidateTrialVariance: vc,
});

describe('trialNoiseFloor', () => {
  // No published value exists for this quantity; the expectations are computed from the formula in
  // the source comment: z·√([mean(σ²_b/k_b) + mean(σ²_c/k_c)] / n).
  it('is z·√(Σ(σ²_b/k_b + σ²_c/k_c)) / n', () => {
    const o = [obs(3, 0.3, 3, 0.6, 'a'), obs(2, 0.5, 4, 0.2, 'b')];
    const total = 0.3 / 3 + 0.6 / 3 + 0.5 / 2 + 0.2 / 4;
    expect(trialNoiseFloor(o)).toBeCloseTo(1.959963984540054 * Math.sqrt(total) / 2, 14);
    expect(trialNoiseFloor(o, 1)).toBeCloseTo(Math.sqrt(total) / 2, 14);
  });

  it('is null when every example has a single trial, or there are none', () => {
    expect(trialNoiseFloor([obs(1, 0, 1, 0), obs(1, 0, 1, 0)])).toBeNull();
    expect(trialNoiseFloor([])).toBeNull();
  });

  it('is 0 when repeated trials never disagree', () => {
    expect(trialNoiseFloor([obs(3, 0, 3, 0), obs(3, 0, 3, 0)])).toBe(0);
  });

  it("gives single-trial sides the mean variance of the repeated ones, else the other side's", () => {
    // Baseline run once, candidate three times with variances 0.2 and 0.4: the baseline borrows 0.3.
    const o = [obs(1, 0, 3, 0.2, 'a'), obs(1, 0, 3, 0.4, 'b')];
    const total = 0.3 / 1 + 0.2 / 3 + 0.3 / 1 + 0.4 / 3;
    expect(trialNoiseFloor(o)).toBeCloseTo(1.959963984540054 * Math.sqrt(total) / 2, 14);
    // Mixed within a side: example b ran once in the candidate and borrows a's candidate variance.
    const mixed = [obs(2, 0.5, 2, 0.5, 'a'), obs(2, 0.1, 1, 0, 'b')];
    const total2 = 0.5 / 2 + 0.5 / 2 + 0.1 / 2 + 0.5 / 1;
    expect(trialNoiseFloor(mixed)).toBeCloseTo(1.959963984540054 * Math.sqrt(total2) / 2, 14);
  });

  it('covers the spread of the mean delta that pure trial noise produces', () => {
    // Simulation check of the derivation: 400 examples with fixed true pass rates, scored 5 times in
    // each of two identical runs; the spread of the mean delta over 2,000 such pairs of runs should
    // match the floor (its 95% half-width ≈ 1.96 standard deviations).
    const r = seededRandom(17);
    const n = 400;
    const k = 5;
    const truth = Array.from({ length: n }, () => r.next());
    const draw = (p: number): { mean: number; variance: number } => {
      let s = 0;
      for (let t = 0; t < k; t++) s += r.next() < p ? 1 : 0;
      const mean = s / k;
      return { mean, variance: (s * (1 - mean) * (1 - mean) + (k - s) * mean * mean) / (k - 1) };
    };
    const deltas: number[] = [];
    let floorSum = 0;
    const reps = 2000;
    for (let rep = 0; rep < reps; rep++) {
      const observations = truth.map((p, i) => {
        const b = draw(p);
        const c = draw(p);
        return { exampleId: String(i), baseline: b.mean, candidate: c.mean, baselineTrials: k, candidateTrials: k, baselineTrialVariance: b.variance, candidateTrialVariance: c.variance };
      });
      deltas.push(observations.reduce((s, o) => s + o.candidate - o.baseline, 0) / n);
      floorSum += trialNoiseFloor(observations)!;
    }
    const sd = Math.sqrt(deltas.reduce((s, d) => s + d * d, 0) / reps);
    const meanFloor = floorSum / reps;
    expect(Math.abs(meanFloor / (1.959963984540054 * sd) - 1)).toBeLessThan(0.06);
  });

  it('refuses impossible trial counts and variances', () => {
    expect(() => trialNoiseFloor([obs(0, 0, 1, 0)])).toThrow(EvalOpsError);
    expect(() => trialNoiseFloor([obs(2, -0.1, 2, 0)])).toThrow(/variance/);
    expect(() => trialNoiseFloor([obs(2, Number.NaN, 2, 0)])).toThrow(/variance/);
  });
});
