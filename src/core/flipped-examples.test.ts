import { describe, expect, it } from 'vitest';
import { flippedExamples, type OutcomeRow } from './flipped-examples.js';

const row = (exampleId: string, metric: string, pass: boolean | null, status: OutcomeRow['status'] = 'scored'): OutcomeRow => ({ exampleId, metric, status, pass });
const slices = new Map([
  ['a', ['lang:en']],
  ['b', ['lang:es']],
  ['c', ['lang:es']],
  ['d', ['lang:en']],
]);

describe('flippedExamples', () => {
  it('lists regressions first (most metrics lost first), then improvements, with the example’s slices', () => {
    const baseline = [row('a', 'm1', false), row('b', 'm1', true), row('c', 'm1', true), row('c', 'm2', true), row('d', 'm1', true)];
    const candidate = [row('a', 'm1', true), row('b', 'm1', false), row('c', 'm1', false), row('c', 'm2', false), row('d', 'm1', true)];
    expect(flippedExamples(baseline, candidate, slices)).toEqual([
      { exampleId: 'c', slices: ['lang:es'], passToFail: ['m1', 'm2'], failToPass: [] },
      { exampleId: 'b', slices: ['lang:es'], passToFail: ['m1'], failToPass: [] },
      { exampleId: 'a', slices: ['lang:en'], passToFail: [], failToPass: ['m1'] },
    ]);
  });

  it('narrows to one metric and one slice', () => {
    const baseline = [row('a', 'm1', true), row('b', 'm1', true), row('b', 'm2', true)];
    const candidate = [row('a', 'm1', false), row('b', 'm1', false), row('b', 'm2', false)];
    expect(flippedExamples(baseline, candidate, slices, { metric: 'm2' }).map((f) => [f.exampleId, f.passToFail])).toEqual([['b', ['m2']]]);
    expect(flippedExamples(baseline, candidate, slices, { slice: 'lang:en' }).map((f) => f.exampleId)).toEqual(['a']);
  });

  it('takes the majority of trials, and ignores ties, errored scores, value-only scores and unpaired examples', () => {
    const baseline = [row('a', 'm1', true), row('a', 'm1', true), row('a', 'm1', false), row('b', 'm1', true), row('c', 'm1', true), row('d', 'm1', true)];
    const candidate = [row('a', 'm1', false), row('a', 'm1', false), row('a', 'm1', true), row('b', 'm1', true), row('b', 'm1', false), row('c', 'm1', null, 'errored'), row('e', 'm1', false)];
    expect(flippedExamples(baseline, candidate, slices)).toEqual([{ exampleId: 'a', slices: ['lang:en'], passToFail: ['m1'], failToPass: [] }]);
  });
});
