import { describe, expect, it } from 'vitest';
import type { GateVisibility, VisibilityRow } from '../plan/gate-visibility.js';
import type { Finding } from './gate-decision.js';
import { markNotDetectable, subsetDecision } from './pr-subset.js';

const row = (over: Partial<VisibilityRow>): VisibilityRow => ({
  rule: 0, ruleText: 'answer noRegression', metric: 'answer', slice: null, n: 300, baseRate: 0.9, baseRateSource: 'measured', discordance: 0.1, rho: 0.3,
  discordanceSource: 'measured', weight: 0.5, level: 0.025, mde: 0.06, canFire: true, reason: null, ...over,
});
const finding = (over: Partial<Finding>): Finding => ({
  rule: 0, ruleText: 'answer noRegression', metric: 'answer', slice: null, condition: 'noRegression', status: 'passed', ruleAction: 'block', action: null, rolloutPercent: null,
  message: 'answer: inconclusive (Δ −1.0)', owner: null, evidence: {}, ...over,
});
const visibility = (rows: VisibilityRow[]): GateVisibility => ({ power: 0.8, correction: 'holm', drop: null, assumptions: [], rows });

describe('markNotDetectable', () => {
  it('says a test that cannot fire on the subset is not detectable there, and gives the MDE of one that can', () => {
    const v = visibility([row({}), row({ slice: 'intent:rare', n: 8, mde: null, canFire: false, reason: 'n = 8 is below the minimum of 10 paired examples: always inconclusive' })]);
    const [overall, rare] = markNotDetectable([finding({}), finding({ slice: 'intent:rare' })], v);
    expect(overall?.message).toMatch(/a drop smaller than 6\.0 pts is not detectable on the PR subset \(n = 300\)/);
    expect(rare?.message).toMatch(/^answer in slice intent:rare: not detectable on the PR subset \(n = 8 is below/);
    expect(rare?.message).toMatch(/the full suite decides on main/);
  });

  it('never touches a failed finding or another condition: a regression the subset saw still blocks', () => {
    const failed = finding({ status: 'failed', action: 'block', message: 'answer regressed' });
    const min = finding({ condition: 'min', message: 'answer 90% meets min 80%' });
    expect(markNotDetectable([failed, min], visibility([row({ canFire: false, mde: null })]))).toEqual([failed, min]);
  });
});

describe('subsetDecision', () => {
  it('lists each rule’s whole-dataset MDE on the subset and the note', () => {
    const d = subsetDecision({ name: 'pr', spec: { size: 300 }, seed: 0, minPerSlice: 3, size: 300, datasetSize: 10_000, requested: 300, critical: 0, slices: 4 }, visibility([row({}), row({ slice: 'intent:a' })]));
    expect(d.rules).toEqual([{ rule: 0, ruleText: 'answer noRegression', metric: 'answer', slice: null, n: 300, mde: 0.06, detectable: true }]);
    expect(d.note).toBe('a PR gate on 300 of 10000 examples blocks only on effects this subset can detect; the full suite decides on main');
  });
});
