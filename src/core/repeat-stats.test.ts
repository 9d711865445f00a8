import { describe, expect, it } from 'vitest';
import { repeatStats, type TrialScore } from './repeat-stats.js';

const trials = (metric: string, exampleId: string, outcomes: readonly (boolean | 'error')[]): TrialScore[] =>
  outcomes.map((o) => (o === 'error' ? { exampleId, metric, status: 'errored', pass: null } : { exampleId, metric, status: 'scored', pass: o }));

describe('repeatStats', () => {
  // Hand-computed: 4 examples × 3 trials.
  //   a: ✓✓✓  → all pass, any pass
  //   b: ✓✗✓  → flaky (2/3), any pass
  //   c: ✗✗✗  → neither
  //   d: ✓✓ and one errored trial → not all pass (missing never helps), any pass, not flaky
  // pass^3 = 1/4, pass@3 = 3/4, flaky = 1 (b).
  const rows = [
    ...trials('m', 'a', [true, true, true]),
    ...trials('m', 'b', [true, false, true]),
    ...trials('m', 'c', [false, false, false]),
    ...trials('m', 'd', [true, 'error', true]),
  ];

  it('computes pass^k, pass@k and the flaky examples from hand-counted trials', () => {
    const s = repeatStats(rows, 3).get('m');
    expect(s).toEqual({
      k: 3,
      examples: 4,
      passAll: 1,
      passAny: 3,
      passAllRate: 0.25,
      passAnyRate: 0.75,
      flaky: 1,
      flakyExamples: [{ exampleId: 'b', passRate: 2 / 3, passed: 2, scored: 3 }],
    });
  });

  it('keeps metrics apart; an example whose every trial errored counts as passing neither all nor any', () => {
    const s = repeatStats([...rows, ...trials('other', 'a', [false, true]), ...trials('other', 'z', ['error', 'error'])], 2);
    expect(s.get('other')).toMatchObject({ examples: 2, passAll: 0, passAny: 1, flaky: 1, passAllRate: 0, passAnyRate: 0.5 });
  });

  it('never lets a candidate look more reliable by crashing on its hardest examples', () => {
    // Two examples pass every trial; the hard one fails every trial on one side, errors every trial on the other.
    const easy = [...trials('m', 'e1', [true, true]), ...trials('m', 'e2', [true, true])];
    const failing = repeatStats([...easy, ...trials('m', 'hard', [false, false])], 2).get('m')!;
    const crashing = repeatStats([...easy, ...trials('m', 'hard', ['error', 'error'])], 2).get('m')!;
    expect(crashing.passAllRate).toBe(failing.passAllRate);
    expect(crashing.passAnyRate).toBe(failing.passAnyRate);
    expect(crashing.passAllRate).toBeCloseTo(2 / 3, 12);
  });

  it('leaves out an example whose every trial was skipped (the metric does not apply)', () => {
    const s = repeatStats([...trials('m', 'a', [true, true]), { exampleId: 'n/a', metric: 'm', status: 'skipped', pass: null }], 2).get('m')!;
    expect(s).toMatchObject({ examples: 1, passAll: 1 });
  });

  it('satisfies pass^k ≤ mean pass rate ≤ pass@k on every metric', () => {
    const s = repeatStats(rows.filter((r) => r.status === 'scored'), 3).get('m');
    const scored = rows.filter((r) => r.status === 'scored');
    const mean = scored.filter((r) => r.pass).length / scored.length;
    expect(s?.passAllRate).toBeLessThanOrEqual(mean);
    expect(s?.passAnyRate).toBeGreaterThanOrEqual(mean);
  });

  it('gives null rates for a metric whose trials were all skipped, and 0 (not null) when they all errored', () => {
    expect(repeatStats([{ exampleId: 'a', metric: 'm', status: 'skipped', pass: null }], 1).get('m')).toMatchObject({ examples: 0, passAllRate: null, passAnyRate: null });
    expect(repeatStats(trials('m', 'a', ['error']), 1).get('m')).toMatchObject({ examples: 1, passAllRate: 0, passAnyRate: 0 });
  });
});
