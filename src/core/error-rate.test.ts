import { describe, expect, it } from 'vitest';
import { compareErrors, runErrors } from './error-rate.js';

const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `e${i}`);
const err = (i: number, error = 'boom', trial = 0) => ({ exampleId: `e${i}`, trial, error });

describe('runErrors', () => {
  it('counts errored results and examples, and lists the most frequent messages first', () => {
    const errors = [err(0, 'timeout'), err(0, 'timeout', 1), err(1, 'timeout'), err(2, 'ECONNRESET'), err(3, 'x'.repeat(300))];
    const r = runErrors(errors, ids(10), ['e10']);
    expect(r).toMatchObject({ results: 5, examples: 5, missing: 1, total: 11 });
    expect(r.rate).toBeCloseTo(5 / 11, 12);
    expect(r.top[0]).toEqual({ message: 'timeout', count: 3 });
    expect(r.top.map((t) => t.count)).toEqual([3, 1, 1]);
    expect(r.top.find((t) => t.message.startsWith('xxx'))?.message).toHaveLength(201); // 200 characters and an ellipsis
  });
});

describe('compareErrors', () => {
  it('gives the one-sided exact McNemar p-value of a rise (7 new, 1 fixed: 9/256)', () => {
    // P(X ≥ 7) for X ~ Binomial(8, ½) = (C(8,7) + C(8,8)) / 256 = 9/256.
    const r = compareErrors({ errors: [err(20)], exampleIds: ids(40) }, { errors: [1, 2, 3, 4, 5, 6, 7].map((i) => err(i)), exampleIds: ids(40) });
    expect(r).toMatchObject({ n: 40, newErrors: 7, fixedErrors: 1 });
    expect(r.pValue).toBeCloseTo(9 / 256, 14);
    expect(r.rose).toBe(false); // 0.035 is not below α = 0.01
    const more = compareErrors({ errors: [], exampleIds: ids(40) }, { errors: ids(10).map((_, i) => err(i)), exampleIds: ids(40) });
    expect(more.pValue).toBeCloseTo(1 / 1024, 14);
    expect(more.rose).toBe(true);
  });

  it('counts examples missing from the candidate as errored, and a fall or no change as p = 1', () => {
    const r = compareErrors({ errors: [], exampleIds: ids(20) }, { errors: [], exampleIds: ids(10), missing: ids(20).slice(10) });
    expect(r).toMatchObject({ n: 20, newErrors: 10, fixedErrors: 0, rose: true, candidate: { examples: 10, missing: 10, total: 20 } });
    const fell = compareErrors({ errors: [err(1), err(2)], exampleIds: ids(20) }, { errors: [], exampleIds: ids(20) });
    expect(fell).toMatchObject({ newErrors: 0, fixedErrors: 2, pValue: 1, rose: false });
  });
});
