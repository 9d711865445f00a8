import { describe, expect, it } from 'vitest';
import { familyWeights } from './family-weights.js';
import { graphicalAdjust, PRIMARY_SHARE, primaryGraph } from './graphical-procedure.js';
import { holmAdjust } from './holm.js';
import { seededRandom } from './seeded-random.js';

const holmGraph = (w: readonly number[]) => ({
  weights: w,
  transitions: w.map((_, i) => {
    const others = w.reduce((s, x, k) => (k === i ? s : s + x), 0);
    return w.map((x, k) => (k === i || others === 0 ? 0 : x / others));
  }),
});

describe('graphicalAdjust', () => {
  it('is weighted Holm on the Holm graph (Bretz et al. 2009, §2)', () => {
    const p = [0.01, 0.02, 0.03, 0.04, 0.05];
    expect(graphicalAdjust(p, holmGraph([0.2, 0.2, 0.2, 0.2, 0.2]))).toEqual(holmAdjust(p).map((x) => expect.closeTo(x, 12)));
    const w = [0.5, 0.25, 0.125, 0.125];
    const q = [0.03, 0.004, 0.2, 0.01];
    graphicalAdjust(q, holmGraph(w)).forEach((x, i) => expect(x).toBeCloseTo(holmAdjust(q, w)[i] as number, 12));
  });

  it('fixed sequence: H1 gets all of α and passes it to H2 (hand computed)', () => {
    const graph = { weights: [1, 0], transitions: [[0, 1], [0, 0]] };
    // H2 is testable only after H1: adjusted p2 = max(p1, p2).
    expect(graphicalAdjust([0.01, 0.03], graph)).toEqual([0.01, 0.03]);
    expect(graphicalAdjust([0.04, 0.001], graph)).toEqual([0.04, 0.04]);
    expect(graphicalAdjust([0.2, 0.001], graph)).toEqual([0.2, 0.2]);
  });

  it('one primary with half of α passing to two secondaries (hand computed)', () => {
    // w = (½, ¼, ¼); H1 → H2, H3 half each; H2 ↔ H3.
    const graph = { weights: [0.5, 0.25, 0.25], transitions: [[0, 0.5, 0.5], [0, 0, 1], [0, 1, 0]] };
    // Step 1: ratios 0.02/0.5 = 0.04, 0.012/0.25 = 0.048, 0.5/0.25 = 2 → H1 at 0.04; weights become (½, ½).
    // Step 2: 0.012/0.5 = 0.024 → max(0.04, 0.024) = 0.04. Step 3: H3 gets weight 1 → 0.5.
    expect(graphicalAdjust([0.02, 0.012, 0.5], graph)).toEqual([0.04, 0.04, 0.5].map((x) => expect.closeTo(x, 12)));
  });

  it('refuses weights above 1 and bad transition rows', () => {
    expect(() => graphicalAdjust([0.1, 0.1], { weights: [0.7, 0.7], transitions: [[0, 1], [1, 0]] })).toThrow(/at most 1/);
    expect(() => graphicalAdjust([0.1, 0.1], { weights: [0.5, 0.5], transitions: [[0.5, 0.5], [1, 0]] })).toThrow(/diagonal/);
  });
});

describe('primaryGraph', () => {
  const comparisons = [
    { metric: 'a', slice: null, pValue: 0.5 },
    { metric: 'a', slice: 's1', pValue: 0.5 },
    { metric: 'a', slice: 's2', pValue: 0.5 },
    { metric: 'b', slice: null, pValue: 0.5 },
    { metric: 'b', slice: 's1', pValue: 0.5 },
    { metric: 'b', slice: 's2', pValue: 0.5 },
  ];

  it('starts the primary with half of α and the rest in today’s profile; every row sums to at most 1', () => {
    const g = primaryGraph(comparisons, ['a']);
    expect(g).not.toBeNull();
    const { weights, transitions } = g!;
    expect(weights[0]).toBe(PRIMARY_SHARE);
    // Secondaries: a's slices carry a's whole share (its overall test is primary), b as today.
    const profile = familyWeights(comparisons.map((c, i) => (i === 0 ? { ...c, pValue: null } : c)));
    expect(weights.slice(1)).toEqual(profile.slice(1).map((w) => expect.closeTo(w * (1 - PRIMARY_SHARE), 12)));
    expect(weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
    for (const row of transitions) expect(row.reduce((s, x) => s + x, 0)).toBeLessThanOrEqual(1 + 1e-12);
    expect(transitions[0]?.[0]).toBe(0);
  });

  it('is null without a primary whole-dataset test', () => {
    expect(primaryGraph(comparisons, [])).toBeNull();
    expect(primaryGraph(comparisons, ['zzz'])).toBeNull();
  });

  it('keeps the family-wise error at most 5% under the global null (simulation, fixed seed)', () => {
    // 4,000 families of 6 independent uniform p-values (continuous tests, the least conservative case):
    // the share of families with any adjusted p < 0.05 must sit at 5% up to Monte Carlo error.
    const random = seededRandom(7);
    const g = primaryGraph(comparisons, ['a', 'b'])!;
    let any = 0;
    const runs = 4000;
    for (let k = 0; k < runs; k++) {
      const p = comparisons.map(() => random.next());
      if (graphicalAdjust(p, g).some((x) => x < 0.05)) any++;
    }
    // Bonferroni over a graph with Σw = 1 gives exactly α for independent uniforms at the first step.
    expect(any / runs).toBeLessThan(0.05 + 3 * Math.sqrt((0.05 * 0.95) / runs));
    expect(any / runs).toBeGreaterThan(0.03);
  });
});
