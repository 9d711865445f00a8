import { describe, expect, it } from 'vitest';
import { computeCoverage, sliceOf } from './compute-coverage.js';

describe('computeCoverage', () => {
  const datasetSlices = new Map([
    ['intent:refund', 40],
    ['intent:billing', 3],
    ['lang:en', 43],
  ]);
  const base = { datasetSlices, datasetSize: 43, attributes: new Map([['app.lang', 'lang']]), k: 5 };

  it('counts a trace covered only when every one of its slices has at least k examples', () => {
    const c = computeCoverage({
      ...base,
      totalTraces: 110,
      groups: [
        { attributes: [['evalops.slice.intent', 'refund'], ['app.lang', 'en']], traces: 60, exampleTraceIds: ['t1'] },
        { attributes: [['evalops.slice.intent', 'billing'], ['app.lang', 'en']], traces: 20, exampleTraceIds: ['t2'] },
        { attributes: [['app.lang', 'en'], ['evalops.slice.intent', 'cancel']], traces: 20, exampleTraceIds: ['t3', 't4'] },
        { attributes: [['other.attribute', 'x']], traces: 3, exampleTraceIds: ['t5'] },
      ],
    });
    expect(c).toMatchObject({ traces: 110, sliced: 100, covered: 60, coveredShare: 0.6, uncoveredShare: 0.4 });
    expect(c.uncovered.map((s) => [s.slice, s.traces, s.examples])).toEqual([
      ['intent:billing', 20, 3],
      ['intent:cancel', 20, 0],
    ]);
    expect(c.uncovered.find((s) => s.slice === 'intent:cancel')?.exampleTraceIds).toEqual(['t3', 't4']);
    expect(c.slices.find((s) => s.slice === 'lang:en')).toMatchObject({ traces: 100, share: 1, covered: true });
  });

  it('says nothing is covered or uncovered when no trace carries a slice attribute', () => {
    const c = computeCoverage({ ...base, totalTraces: 5, groups: [] });
    expect(c.coveredShare).toBeNull();
    expect(c.slices.every((s) => s.traces === 0)).toBe(true);
  });

  it('maps attributes to slices, reading evalops.slice.* always and others only when configured', () => {
    const mapped = new Map([['app.intent', 'intent']]);
    expect(sliceOf('evalops.slice.lang', 'es', mapped)).toBe('lang:es');
    expect(sliceOf('app.intent', 'late delivery', mapped)).toBe('intent:late_delivery');
    expect(sliceOf('app.other', 'x', mapped)).toBeNull();
    expect(sliceOf('evalops.slice.lang', '  ', mapped)).toBeNull();
  });
});
