import { describe, expect, it } from 'vitest';
import { slicePassRates, type PassRow } from './slice-pass-rates.js';

const row = (exampleId: string, metric: string, pass: boolean | null, status: PassRow['status'] = 'scored'): PassRow => ({ exampleId, metric, status, pass });

describe('slicePassRates', () => {
  it('gives each slice its examples and each pass/fail metric its pass rate with a Wilson interval', () => {
    const slices = new Map([
      ['a', ['intent:refund', 'lang:es']],
      ['b', ['intent:refund', 'lang:en']],
      ['c', ['lang:es']],
    ]);
    const rows = [row('a', 'm', false), row('b', 'm', true), row('c', 'm', true), row('a', 'v', null), row('c', 'm2', null, 'errored')];
    const out = slicePassRates(rows, slices);
    expect(out.map((s) => [s.slice, s.examples])).toEqual([
      ['intent:refund', 2],
      ['lang:en', 1],
      ['lang:es', 2],
    ]);
    expect(out[0]!.metrics['m']).toMatchObject({ n: 2, passed: 1, passRate: 0.5 });
    expect(out[0]!.metrics['m']!.ci95![0]).toBeLessThan(0.5);
    expect(out[2]!.metrics).toEqual({ m: expect.objectContaining({ n: 2, passed: 1 }) });
    expect(out[0]!.metrics['v']).toBeUndefined();
  });
});
