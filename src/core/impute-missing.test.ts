import { describe, expect, it } from 'vitest';
import { pairObservations, trialStats, type ScoreCell } from './impute-missing.js';

const cell = (exampleId: string, metric: string, status: ScoreCell['status'], value: number | null, trial = 0): ScoreCell => ({ exampleId, trial, metric, status, value, pass: value === null ? null : value === 1 });

describe('trialStats', () => {
  it('imputes target-errored trials (every metric) and errored scores (their metric) as 0, and leaves skipped out', () => {
    const rows = [cell('a', 'm', 'scored', 1), cell('a', 'g', 'scored', 0.8), cell('b', 'm', 'errored', null), cell('b', 'g', 'skipped', null)];
    const stats = trialStats(rows, [{ exampleId: 'c', trial: 0 }], ['m', 'g']);
    expect(stats.get('m')?.get('a')).toMatchObject({ sum: 1, k: 1, imputed: 0, binary: true });
    expect(stats.get('m')?.get('b')).toMatchObject({ sum: 0, k: 1, imputed: 1, binary: true });
    expect(stats.get('m')?.get('c')).toMatchObject({ sum: 0, k: 1, imputed: 1 });
    expect(stats.get('g')?.get('b')).toBeUndefined();
    expect(stats.get('g')?.get('c')).toMatchObject({ sum: 0, k: 1, imputed: 1 });
  });

  it('with repeats, an errored trial is a 0 in the example mean', () => {
    const stats = trialStats([cell('a', 'm', 'scored', 1, 0), cell('a', 'm', 'scored', 1, 1)], [{ exampleId: 'a', trial: 2 }], ['m']);
    const { observations } = pairObservations(stats.get('m'), stats.get('m'));
    expect(observations[0]).toMatchObject({ candidate: 2 / 3, candidateTrials: 3, candidateImputed: 1 });
  });
});

describe('pairObservations', () => {
  it('pairs an example missing from the candidate with an imputed fail, and drops examples only the candidate has', () => {
    const b = trialStats([cell('a', 'm', 'scored', 1), cell('b', 'm', 'scored', 1)]).get('m');
    const c = trialStats([cell('a', 'm', 'scored', 1), cell('z', 'm', 'scored', 1)]).get('m');
    const { observations, binary } = pairObservations(b, c, new Set(['b']));
    expect(binary).toBe(true);
    expect(observations.map((o) => [o.exampleId, o.baseline, o.candidate, o.candidateImputed ?? 0])).toEqual([
      ['a', 1, 1, 0],
      ['b', 1, 0, 1],
    ]);
    expect(pairObservations(b, c).observations.map((o) => o.exampleId)).toEqual(['a']);
  });
});
