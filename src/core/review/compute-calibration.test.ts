import { describe, expect, it } from 'vitest';
import { computeCalibration, type GoldCase, type JudgeAnswer } from './compute-calibration.js';
import { rubricFromLabels } from './rubric.js';

const rubric = rubricFromLabels(['poor', 'adequate', 'excellent'], ['adequate', 'excellent']);
const LABELS = ['poor', 'adequate', 'excellent'];

/** 90 gold items, 30 per label; the judge differs on nine (see the e2e test's derivation: κ = 0.85). */
function data(): { gold: GoldCase[]; answers: JudgeAnswer[] } {
  const shift: Record<number, string> = { 0: 'adequate', 3: 'adequate', 6: 'adequate', 1: 'excellent', 4: 'excellent', 7: 'excellent', 2: 'adequate', 5: 'adequate', 8: 'adequate' };
  const gold = Array.from({ length: 90 }, (_, i) => ({ key: `k${i}`, label: LABELS[i % 3]!, slices: [i < 45 ? 'lang:en' : 'lang:es'], input: `q${i}`, output: `a${i}` }));
  const answers = gold.map((g, i) => ({ key: g.key, status: 'scored' as const, label: shift[i] ?? g.label, reason: `r${i}` }));
  return { gold, answers };
}

describe('computeCalibration', () => {
  const base = { metric: 'helpfulness', judgeVersion: 'jv1', goldSet: { id: 'gs1', version: 1 }, rubric, thresholds: { minKappa: 0.6, minItems: 80 } };

  it("gives Cohen's kappa 0.85 for 81/90 agreement with uniform human labels, and calls the judge calibrated", () => {
    const r = computeCalibration({ ...base, ...data() });
    expect(r.kappa.value).toBeCloseTo(0.85, 12);
    expect(r.confusion.matrix).toEqual([[27, 3, 0], [0, 27, 3], [0, 3, 27]]);
    expect([r.percentAgreement, r.truePositiveRate, r.trueNegativeRate]).toEqual([0.9, 1, 0.9]);
    expect(r.status).toBe('calibrated');
    expect(r.disagreements.map((d) => d.key)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8']);
    expect(r.slices.map((s) => [s.slice, s.n, s.percentAgreement])).toEqual([['lang:en', 45, 36 / 45], ['lang:es', 45, 1]]);
    expect(r.kappa.ci95![0]).toBeLessThan(0.85);
    expect(r.weightedKappa?.value).toBeGreaterThan(0.85); // near misses cost less when weighted
  });

  it('leaves errored answers out of the agreement, counts them, and says why it is not calibrated', () => {
    const { gold, answers } = data();
    const some = answers.map((a, i) => (i >= 80 ? { ...a, status: 'errored' as const, label: null } : a));
    const r = computeCalibration({ ...base, gold, answers: some });
    expect([r.n, r.errored]).toEqual([80, 10]);
    expect(r.status).toBe('calibrated');
    const strict = computeCalibration({ ...base, gold, answers: some, thresholds: { minKappa: 0.9, minItems: 100 } });
    expect(strict.status).toBe('uncalibrated');
    expect(strict.why).toEqual([expect.stringMatching(/^kappa 0\.\d+ is below 0\.9$/), '80 gold items labelled by the judge; at least 100 are needed']);
  });

  it('reports kappa as undefined, never NaN, when every label is the same', () => {
    const gold = Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, label: 'excellent', slices: [], input: i, output: i }));
    const r = computeCalibration({ ...base, gold, answers: gold.map((g) => ({ key: g.key, status: 'scored' as const, label: 'excellent', reason: null })) });
    expect(r.kappa).toMatchObject({ value: null, ci95: null });
    expect(r.status).toBe('uncalibrated');
    expect(r.percentAgreement).toBe(1);
  });
});
