import { describe, expect, it } from 'vitest';
import type { MetricComparison } from '../comparison.js';
import { adjustComparisons, correctionFor, firstStepWeights } from './adjust-comparisons.js';

const comparison = (metric: string, slice: string | null, delta: number | null, pValue: number | null, ci95: [number, number] | null = delta === null ? null : [delta - 0.02, delta + 0.02]): MetricComparison => ({
  metric,
  slice,
  kind: 'binary',
  method: 'mcnemar-exact+newcombe',
  n: delta === null ? 0 : 500,
  baseline: delta === null ? null : 0.85,
  candidate: delta === null ? null : 0.85 + delta,
  delta,
  ci95,
  pValue,
  pAdjusted: pValue,
  noiseFloor: null,
  verdict: 'inconclusive',
  improvedExamples: 0,
  regressedExamples: 0,
  imputed: { baseline: 0, candidate: 0 },
});

describe('adjustComparisons', () => {
  it('uses the one-sided p-value of a drop for a single test', () => {
    // Two-sided p 0.08 → one-sided 0.04 < 0.05: a regression the gate must see.
    const [r] = adjustComparisons([comparison('a', null, -0.04, 0.08)]);
    expect(r!.pAdjusted).toBeCloseTo(0.04, 14);
    expect(r!.verdict).toBe('regressed');
  });

  it('corrects drops as one weighted Holm family', () => {
    // Metric a: overall (weight 0.25) and two slices (0.125 each); metric b: overall only (0.5).
    // One-sided p for drops: a 0.01/2, a:s1 0.004/2, a:s2 gain → 1 − 0.3/2, b 0.03/2.
    // p/w: 0.005/0.25 = 0.02, 0.002/0.125 = 0.016, 0.015/0.5 = 0.03, 0.85/0.125 = 6.8.
    // Holm: a:s1 0.002·1/0.125 = 0.016; a 0.005·0.875/0.25 = 0.0175; b 0.015·0.625/0.5 = 0.01875 → 0.01875.
    const out = adjustComparisons([
      comparison('a', null, -0.05, 0.01),
      comparison('a', 's1', -0.1, 0.004),
      comparison('a', 's2', 0.02, 0.3),
      comparison('b', null, -0.03, 0.03),
    ]);
    expect(out[0]!.pAdjusted).toBeCloseTo(0.0175, 14);
    expect(out[1]!.pAdjusted).toBeCloseTo(0.016, 14);
    expect(out[3]!.pAdjusted).toBeCloseTo(0.01875, 14);
    expect(out.map((c) => c.verdict)).toEqual(['regressed', 'regressed', 'unchanged', 'regressed']);
    // The gain is judged in its own family: one-sided 0.15 / weight 0.125 → 1 after Holm.
    expect(out[2]!.pAdjusted).toBe(1);
  });

  it('keeps a gain from spending the drops family and vice versa', () => {
    const drop = comparison('a', null, -0.05, 0.06);
    const alone = adjustComparisons([drop])[0]!;
    const withGain = adjustComparisons([drop, comparison('b', null, 0.2, 1e-9)])[0]!;
    expect(alone.pAdjusted).toBeCloseTo(0.03, 14);
    // With the second metric the drop's share halves (Holm: 0.03 × 1/0.5, the gain's one-sided
    // p-value for a drop is near 1 and does not step down before it).
    expect(withGain.pAdjusted).toBeCloseTo(0.06, 14);
  });

  it('requires the interval to exclude 0 and honours the minimum effect', () => {
    const touching = comparison('a', null, -0.05, 0.001, [-0.1, 0]);
    expect(adjustComparisons([touching])[0]!.verdict).toBe('inconclusive');
    const clear = comparison('a', null, -0.05, 0.001, [-0.07, -0.03]);
    expect(adjustComparisons([clear])[0]!.verdict).toBe('regressed');
    // A drop of 0.05 below a minimum effect of 0.06 is no regression; the interval reaching −0.07
    // leaves it undecided, and with a minimum effect of 0.08 it is a change too small to matter.
    expect(adjustComparisons([clear], { minEffect: 0.06 })[0]!.verdict).toBe('inconclusive');
    expect(adjustComparisons([clear], { minEffect: 0.08 })[0]!.verdict).toBe('unchanged');
  });

  it('leaves empty comparisons inconclusive and gives an unchanged delta p = 1', () => {
    const out = adjustComparisons([comparison('a', null, null, null), comparison('a', 's', 0, 1)]);
    expect(out[0]!.pAdjusted).toBeNull();
    expect(out[0]!.verdict).toBe('inconclusive');
    expect(out[1]!.pAdjusted).toBe(1);
  });

  it('does not mutate its input', () => {
    const input = [comparison('a', null, -0.05, 0.01)];
    const copy = structuredClone(input);
    adjustComparisons(input);
    expect(input).toEqual(copy);
  });

  it('with a primary metric, tests its whole-dataset drop first at half of α (graphical procedure)', () => {
    // Three metrics with two slices each. Weighted Holm gives a's overall test 1/3 · 1/2 = 1/6 of α;
    // with a primary it starts with 1/2. One-sided p 0.01: 0.01·6 = 0.06 (not regressed) vs 0.01·2 = 0.02.
    const family = ['a', 'b', 'c'].flatMap((m) => [comparison(m, null, m === 'a' ? -0.05 : 0, m === 'a' ? 0.02 : 1), comparison(m, 's1', 0, 1), comparison(m, 's2', 0, 1)]);
    const holm = adjustComparisons(family);
    expect(holm[0]!.pAdjusted).toBeCloseTo(0.06, 12);
    expect(holm[0]!.verdict).not.toBe('regressed');
    const graphical = adjustComparisons(family, { primaries: ['a'] });
    expect(graphical[0]!.pAdjusted).toBeCloseTo(0.02, 12);
    expect(graphical[0]!.verdict).toBe('regressed');
    expect(correctionFor(family, { primaries: ['a'] })).toBe('graphical');
    expect(correctionFor(family)).toBe('holm');
    expect(firstStepWeights(family, { primaries: ['a'] })[0]).toBe(0.5);
    expect(firstStepWeights(family)[0]).toBeCloseTo(1 / 6, 12);
  });

  it('without primaries (or with a primary that has no whole-dataset test) is weighted Holm unchanged', () => {
    const family = [comparison('a', null, -0.05, 0.01), comparison('a', 's1', -0.1, 0.004), comparison('b', null, -0.03, 0.03)];
    expect(adjustComparisons(family, { primaries: ['zzz'] })).toEqual(adjustComparisons(family));
  });
});
