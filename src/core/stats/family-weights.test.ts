import { describe, expect, it } from 'vitest';
import type { MetricComparison } from '../comparison.js';
import { EvalOpsError } from '../errors.js';
import { familyWeights, OVERALL_SHARE } from './family-weights.js';

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

describe('familyWeights', () => {
  it('gives every metric an equal share, split between the whole dataset and its slices', () => {
    const w = familyWeights([
      comparison('a', null, 0, 0.5),
      comparison('a', 's1', 0, 0.5),
      comparison('a', 's2', 0, 0.5),
      comparison('a', 's3', 0, 0.5),
      comparison('a', 's4', 0, 0.5),
      comparison('b', null, 0, 0.5),
    ]);
    expect(w).toEqual([0.25, 0.0625, 0.0625, 0.0625, 0.0625, 0.5]);
    expect(OVERALL_SHARE).toBe(0.5);
  });
  it('gives tests without a p-value nothing, and a metric with slices only all of its share to them', () => {
    const w = familyWeights([comparison('a', null, null, null), comparison('a', 's1', 0, 0.5), comparison('a', 's2', 0, 0.5), comparison('b', null, 0, 0.5)]);
    expect(w).toEqual([0, 0.25, 0.25, 0.5]);
    expect(familyWeights([comparison('a', null, null, null)])).toEqual([0]);
  });
  it('takes the overall share as a parameter and refuses one outside [0, 1]', () => {
    const [overall, slice] = familyWeights([comparison('a', null, 0, 0.5), comparison('a', 's', 0, 0.5)], 0.8);
    expect(overall).toBeCloseTo(0.8, 14);
    expect(slice).toBeCloseTo(0.2, 14);
    expect(() => familyWeights([], 1.5)).toThrow(EvalOpsError);
  });
});
