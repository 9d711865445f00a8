import { describe, expect, it } from 'vitest';
import { measureDiscordance, MIN_DISCORDANCE_PAIRS } from './measure-discordance.js';

const rows = (metric: string, passes: readonly boolean[]) => passes.map((pass, i) => ({ exampleId: `e${i}`, metric, trial: 0, status: 'scored', pass }));

describe('measureDiscordance', () => {
  it('pools discordant pairs over consecutive runs, per metric', () => {
    const r3 = rows('m', [true, true, true, true, true, true, true, true, false, false, true, true]);
    const r2 = rows('m', [true, true, true, true, true, true, true, false, false, true, true, true]);
    const r1 = rows('m', [true, true, true, true, true, true, true, false, false, true, true, true]);
    const got = measureDiscordance([{ id: 'r3', rows: r3 }, { id: 'r2', rows: r2 }, { id: 'r1', rows: r1 }]).get('m');
    // r3 vs r2: e7 and e9 differ (2 of 12); r2 vs r1: none. Pooled 2 / 24.
    expect(got?.discordance).toBeCloseTo(2 / 24, 12);
    expect(got?.pairs).toBe(24);
    expect(got?.passRate).toBeCloseTo((10 + 10 + 10 + 10) / 48, 12);
    expect(got?.from).toMatch(/r3, r2, r1/);
  });

  it('ignores other trials, unscored rows and examples only one run has; too few pairs measure nothing', () => {
    const a = [...rows('m', new Array(12).fill(true)), { exampleId: 'e0', metric: 'm', trial: 1, status: 'scored', pass: false }, { exampleId: 'x', metric: 'm', trial: 0, status: 'scored', pass: false }];
    const b = [...rows('m', new Array(12).fill(true)).map((r, i) => (i === 3 ? { ...r, status: 'errored', pass: null } : r))];
    expect(measureDiscordance([{ id: 'a', rows: a }, { id: 'b', rows: b }]).get('m')).toMatchObject({ discordance: 0, pairs: 11 });
    const few = rows('m', new Array(MIN_DISCORDANCE_PAIRS - 1).fill(true));
    expect(measureDiscordance([{ id: 'a', rows: few }, { id: 'b', rows: few }]).size).toBe(0);
    expect(measureDiscordance([{ id: 'a', rows: a }]).size).toBe(0);
  });
});
