import { describe, expect, it } from 'vitest';
import { sliceStaleness, type WeekFigures } from './slice-staleness.js';

const DAY = 86_400_000;
const now = Date.parse('2026-03-01T00:00:00Z');
const week = (i: number, sliced: number, slices: Record<string, number>): WeekFigures => ({
  week: { from: new Date(now - (4 - i) * 7 * DAY).toISOString(), to: new Date(now - (3 - i) * 7 * DAY).toISOString(), traces: sliced + 1, sliced },
  slices: new Map(Object.entries(slices)),
});

describe('sliceStaleness', () => {
  const rows = sliceStaleness({
    weeks: [week(0, 100, { 'intent:refund': 90, 'intent:cancel': 10 }), week(1, 0, {}), week(2, 100, { 'intent:refund': 70, 'intent:cancel': 30 }), week(3, 100, { 'intent:refund': 60, 'intent:cancel': 40 })],
    examples: new Map([['intent:refund', 40], ['intent:billing', 8], ['intent:cancel', 1]]),
    newestExampleAt: new Map<string, string | null>([['intent:refund', new Date(now - 45 * DAY).toISOString()], ['intent:billing', new Date(now - 2 * DAY - 3600_000).toISOString()], ['intent:cancel', null]]),
    minExamples: 5,
    now,
  });

  it("gives each slice its weekly share of the sliced traffic, null for a week without any", () => {
    expect(rows.find((r) => r.slice === 'intent:cancel')?.weekly).toEqual([0.1, null, 0.3, 0.4]);
    expect(rows.find((r) => r.slice === 'intent:billing')?.weekly).toEqual([0, null, 0, 0]);
  });

  it('says which way a slice drifts and how old its newest example is', () => {
    expect(rows.map((r) => [r.slice, r.drift, r.newestExampleAgeDays, r.covered])).toEqual([
      ['intent:cancel', 'rising', null, false],
      ['intent:refund', 'falling', 45, true],
      ['intent:billing', 'no_traffic', 2, true],
    ]);
  });

  it('puts an uncovered slice whose traffic rises first', () => {
    expect(rows[0]?.slice).toBe('intent:cancel');
  });
});
