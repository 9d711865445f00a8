import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { comparePaired } from './compare-paired.js';
import { comparePairedScenarios } from './compare-paired-scenarios.js';
import { scoreColumnsFromRows } from './score-columns.js';

/**
 * The figures the row-by-row implementation (trialStats → pairObservations → compareMetric on one
 * object per observation) gave on the same seeded scenarios, written by that code before the gate
 * moved to columns. Compared after a JSON round trip, which keeps every double exactly.
 */
const REFERENCE = JSON.parse(readFileSync(new URL('../../test/fixtures/compare-paired/reference.json', import.meta.url), 'utf8')) as unknown[];

describe('comparePaired', () => {
  const scenarios = comparePairedScenarios();

  it.each(scenarios.map((s, i) => [s.name, i] as const))('gives the same figures as the row-by-row implementation: %s', (name, i) => {
    const got = JSON.parse(JSON.stringify({ name, ...comparePaired(scenarios[i]!.input) }));
    expect(got).toEqual(REFERENCE[i]);
  });

  it('gives the same figures from score columns as from score rows', () => {
    for (const { input } of scenarios) {
      const columns = {
        ...input,
        baseline: { ...input.baseline, rows: scoreColumnsFromRows(input.baseline.rows as never) },
        candidate: { ...input.candidate, rows: scoreColumnsFromRows(input.candidate.rows as never) },
      };
      expect(comparePaired(columns)).toEqual(comparePaired(input));
    }
  });

  it('covers what the reference must cover: both kinds, imputation, repeats and every verdict that can occur', () => {
    const all = (REFERENCE as { comparisons: { kind: string; verdict: string; noiseFloor: number | null; imputed: { baseline: number; candidate: number } }[] }[]).flatMap((s) => s.comparisons);
    expect(new Set(all.map((c) => c.kind))).toEqual(new Set(['binary', 'continuous']));
    expect(new Set(all.map((c) => c.verdict))).toEqual(new Set(['regressed', 'unchanged', 'inconclusive']));
    expect(all.some((c) => c.noiseFloor !== null)).toBe(true);
    expect(all.some((c) => c.imputed.candidate > 0 && c.imputed.baseline > 0)).toBe(true);
  });
});
