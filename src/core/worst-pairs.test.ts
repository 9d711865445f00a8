import { describe, expect, it } from 'vitest';
import { worstPairs, type PairScoreCell } from './worst-pairs.js';

const cell = (exampleId: string, metric: string, pass: boolean | null, status = 'scored', trial = 0): PairScoreCell => ({ exampleId, trial, metric, status, pass, value: pass === null ? null : pass ? 1 : 0 });

describe('worstPairs', () => {
  const metrics = ['resolved', 'no_repeat'];
  const baseline = ['a', 'b', 'c', 'd', 'e'].flatMap((id) => [cell(id, 'resolved', true), cell(id, 'no_repeat', true)]);

  it('puts first the pairs that lost most metrics, then the lowest candidate mean; a crashed candidate loses everything', () => {
    const candidate = [
      cell('a', 'resolved', true), cell('a', 'no_repeat', true),   // nothing lost
      cell('b', 'resolved', false), cell('b', 'no_repeat', true),  // lost 1
      cell('c', 'resolved', false), cell('c', 'no_repeat', false), // lost 2
      cell('e', 'resolved', null, 'errored'), cell('e', 'no_repeat', true), // errored score: lost 1, mean 0.5
    ];
    const ranked = worstPairs(baseline, candidate, [{ exampleId: 'd', trial: 0 }], metrics);
    expect(ranked.map((p) => [p.exampleId, p.lost.length, p.candidateMean])).toEqual([
      ['c', 2, 0],
      ['d', 2, 0],
      ['b', 1, 0.5],
      ['e', 1, 0.5],
      ['a', 0, 1],
    ]);
  });

  it('pairs by example and trial, and leaves out examples the baseline has no result for', () => {
    const b = [cell('a', 'resolved', true, 'scored', 0), cell('a', 'resolved', true, 'scored', 1)];
    const c = [cell('a', 'resolved', true, 'scored', 0), cell('a', 'resolved', false, 'scored', 1), cell('new', 'resolved', false)];
    const ranked = worstPairs(b, c, [], ['resolved']);
    expect(ranked.map((p) => `${p.exampleId}#${p.trial}:${p.lost.join(',')}`)).toEqual(['a#1:resolved', 'a#0:']);
  });

  it('does not count a metric the baseline failed as lost', () => {
    const ranked = worstPairs([cell('a', 'resolved', false)], [cell('a', 'resolved', false)], [], ['resolved']);
    expect(ranked[0]?.lost).toEqual([]);
  });
});
