import { describe, expect, it } from 'vitest';
import { filterScoreColumns, scoreCellAt, scoreColumnsFromRows } from './score-columns.js';

describe('filterScoreColumns', () => {
  it('keeps the rows of the accepted examples, in order, with every field', () => {
    const rows = [
      { exampleId: 'a', trial: 0, metric: 'm1', status: 'scored' as const, value: 1, pass: true },
      { exampleId: 'b', trial: 1, metric: 'm2', status: 'errored' as const, value: null, pass: null },
      { exampleId: 'c', trial: 0, metric: 'm1', status: 'scored' as const, value: 0.25, pass: false },
      { exampleId: 'a', trial: 2, metric: 'm2', status: 'skipped' as const, value: null, pass: null },
    ];
    const kept = filterScoreColumns(scoreColumnsFromRows(rows), (id) => id !== 'b');
    expect(kept.length).toBe(3);
    expect(Array.from({ length: kept.length }, (_, i) => scoreCellAt(kept, i))).toEqual([rows[0], rows[2], rows[3]].map((r) => expect.objectContaining(r)));
    expect(filterScoreColumns(scoreColumnsFromRows(rows), () => false).length).toBe(0);
  });
});
