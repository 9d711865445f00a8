import { describe, expect, it } from 'vitest';
import { renderStaleness } from './datasets-command.js';

describe('renderStaleness', () => {
  const weeks = [
    { from: '2026-11-16T00:00:00.000Z', to: '2026-11-23T00:00:00.000Z', traces: 4, sliced: 4 },
    { from: '2026-11-23T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z', traces: 0, sliced: 0 },
  ];
  it('prints a row per slice with its examples, newest example age, weekly shares, drift and coverage', () => {
    const text = renderStaleness({
      project: 'p',
      dataset: { name: 'cases', version: 'v', examples: 6 },
      minExamples: 5,
      weeks,
      slices: [
        { slice: 'intent:cancel', examples: 0, covered: false, newestExampleAt: null, newestExampleAgeDays: null, weekly: [0.25, null], drift: 'rising' },
        { slice: 'intent:refund', examples: 6, covered: true, newestExampleAt: '2026-11-01T00:00:00.000Z', newestExampleAgeDays: 29, weekly: [0.75, null], drift: 'no_traffic' },
      ],
    });
    const lines = text.split('\n');
    expect(lines[0]).toBe('Staleness per slice (production share per week, the last 2 weeks to 2026-11-30; covered: at least 5 examples):');
    expect(lines[1]).toMatch(/^slice\s+examples\s+newest example\s+wk 11-16\s+wk 11-23\s+drift\s+covered$/);
    expect(lines[3]).toMatch(/^intent:cancel\s+0\s+—\s+25\.0%\s+—\s+rising\s+NO$/);
    expect(lines[4]).toMatch(/^intent:refund\s+6\s+29 d\s+75\.0%\s+—\s+no traffic\s+yes$/);
  });

  it('says when no week had sliced traffic', () => {
    const text = renderStaleness({ project: 'p', dataset: { name: 'c', version: 'v', examples: 1 }, minExamples: 5, weeks: [{ ...weeks[1]! }], slices: [{ slice: 'a:b', examples: 1, covered: false, newestExampleAt: null, newestExampleAgeDays: null, weekly: [null], drift: 'no_traffic' }] });
    expect(text).toContain('no production trace with a slice attribute in these weeks');
  });
});
