import { describe, expect, it } from 'vitest';
import { GateRuleSchema } from '../gate-config.js';
import { minimumDetectableEffect } from './detectable-effect.js';
import { ASSUMED_BASE_RATE, gateVisibility, visibilityWarnings } from './gate-visibility.js';

const rule = (r: object) => GateRuleSchema.parse({ action: 'block', ...r });
const tests = [
  { metric: 'a', slice: null, n: 20, baseRate: 1 },
  { metric: 'a', slice: 'lang:en', n: 15, baseRate: 1 },
  { metric: 'a', slice: 'lang:es', n: 5, baseRate: 1 },
  { metric: 'b', slice: null, n: 20, baseRate: null },
];

describe('gateVisibility', () => {
  it('plans every noRegression rule on its metric, and its slices only with perSlice', () => {
    const v = gateVisibility({ rules: [rule({ metric: 'a', noRegression: true, perSlice: true }), rule({ metric: 'b', noRegression: true }), rule({ metric: 'a', min: 0.9 })], metrics: [{ name: 'a' }, { name: 'b' }], tests, discordance: new Map(), primaries: [] });
    expect(v.rows.map((r) => [r.rule, r.metric, r.slice])).toEqual([
      [0, 'a', null],
      [0, 'a', 'lang:en'],
      [0, 'a', 'lang:es'],
      [1, 'b', null],
    ]);
    expect(v.correction).toBe('holm');
    // Weighted Holm: each metric ½; a's overall ¼, its slices ⅛ each; b overall ½.
    expect(v.rows.map((r) => r.weight)).toEqual([0.25, 0.125, 0.125, 0.5]);
    const es = v.rows[2]!;
    expect(es).toMatchObject({ n: 5, mde: null, canFire: false });
    expect(es.reason).toMatch(/below the minimum of 10/);
    expect(v.rows[0]!.mde).toBe(minimumDetectableEffect({ n: 20, baseRate: 1, rho: 0, weight: 0.25 }));
    expect(v.rows[3]).toMatchObject({ baseRate: ASSUMED_BASE_RATE, baseRateSource: 'assumed', discordanceSource: 'assumed' });
    expect(v.assumptions.join(' ')).toMatch(/baseline pass rate 80%/);
    expect(v.assumptions.join(' ')).toMatch(/ρ = 0 .* for a:/);
    const warnings = visibilityWarnings(v);
    expect(warnings).toEqual([expect.stringMatching(/^rule 1 \(a noRegression perSlice → block\) cannot fire for a in slice lang:es: n = 5 .*\(n = 5, baseline 100%, MDE at 80% power > 100 pts\)$/)]);
  });

  it('uses measured discordance (as ρ), failure classes and the primary graph; retired metrics are left out', () => {
    const v = gateVisibility({
      rules: [rule({ failureClass: 'answer_quality', noRegression: true })],
      metrics: [{ name: 'a', failureClass: 'answer_quality' }, { name: 'b', failureClass: 'answer_quality', lifecycle: 'retired' }],
      tests,
      discordance: new Map([['a', { discordance: 0.17, passRate: 0.85, pairs: 100, from: 'x' }]]),
      primaries: ['a'],
      drop: 0.5,
    });
    expect(v.rows).toHaveLength(1);
    expect(v.correction).toBe('graphical');
    expect(v.rows[0]).toMatchObject({ metric: 'a', slice: null, weight: 0.5, discordanceSource: 'measured' });
    expect(v.rows[0]!.rho).toBeCloseTo(1 - 0.17 / (2 * 0.85 * 0.15), 12);
    expect(v.rows[0]!.examplesNeeded).toBeGreaterThan(0);
  });
});
