import { describe, expect, it } from 'vitest';
import { EvalOpsError } from '../errors.js';
import { assertCategoryCounts, buildRatingTable } from './rating-table.js';

function inputError(f: () => unknown): EvalOpsError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(EvalOpsError);
    expect((e as EvalOpsError).code).toBe('input');
    return e as EvalOpsError;
  }
  throw new Error('expected an EvalOpsError');
}

describe('buildRatingTable', () => {
  it('builds labels and counts with items and raters in first-seen order', () => {
    const t = buildRatingTable(
      [
        { item: 'q2', rater: 'bo', label: 'pass' },
        { item: 'q1', rater: 'ann', label: 'fail' },
        { item: 'q2', rater: 'ann', label: 'pass' },
        { item: 'q1', rater: 'cy', label: 'pass' },
      ],
      ['fail', 'pass'],
    );
    expect(t.items).toEqual(['q2', 'q1']);
    expect(t.raters).toEqual(['bo', 'ann', 'cy']);
    expect(t.labels).toEqual([
      [1, 1, null],
      [null, 0, 1],
    ]);
    expect(t.counts).toEqual([
      [0, 2],
      [1, 1],
    ]);
    expect(t.nRatings).toBe(4);
    expect(t.categories).toEqual(['fail', 'pass']);
  });

  it('gives an empty table for no ratings', () => {
    const t = buildRatingTable([], ['a']);
    expect(t.items).toEqual([]);
    expect(t.raters).toEqual([]);
    expect(t.nRatings).toBe(0);
  });

  it('rejects a label that is not one of the categories', () => {
    const e = inputError(() => buildRatingTable([{ item: 'q1', rater: 'ann', label: 'maybe' }], ['no', 'yes']));
    expect(e.message).toContain('"maybe"');
    expect(e.details).toEqual({ position: 0, item: 'q1', rater: 'ann', label: 'maybe' });
  });

  it('rejects the same rater twice on an item, even with the same label', () => {
    const e = inputError(() =>
      buildRatingTable(
        [
          { item: 'q1', rater: 'ann', label: 'yes' },
          { item: 'q1', rater: 'ann', label: 'yes' },
        ],
        ['no', 'yes'],
      ),
    );
    expect(e.details).toEqual({ item: 'q1', rater: 'ann' });
  });

  it('rejects an empty or repeated category list', () => {
    inputError(() => buildRatingTable([], []));
    inputError(() => buildRatingTable([], ['a', 'a']));
  });
});

describe('assertCategoryCounts', () => {
  it('accepts a well-formed table', () => {
    expect(() => assertCategoryCounts({ categories: ['a', 'b'], items: ['x', 'y'], counts: [[2, 0], [1, 1]] })).not.toThrow();
  });
  it('rejects rows of the wrong length, negative or fractional counts, and a row count that does not match the items', () => {
    inputError(() => assertCategoryCounts({ categories: ['a', 'b'], items: ['x'], counts: [[2]] }));
    inputError(() => assertCategoryCounts({ categories: ['a', 'b'], items: ['x'], counts: [[2, -1]] }));
    inputError(() => assertCategoryCounts({ categories: ['a', 'b'], items: ['x'], counts: [[1.5, 0]] }));
    inputError(() => assertCategoryCounts({ categories: ['a', 'b'], items: ['x', 'y'], counts: [[1, 1]] }));
  });
});
