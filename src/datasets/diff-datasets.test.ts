import { describe, expect, it } from 'vitest';
import type { Example } from '../core/example.js';
import { diffDatasets } from './diff-datasets.js';

const ex = (id: string, over: Partial<Example> = {}): Example => ({ id, input: `q ${id}`, metadata: {}, slices: [], source: 'manual', ...over });

describe('diffDatasets', () => {
  it('finds added, removed and changed examples and counts the unchanged ones', () => {
    const before = [ex('a'), ex('b', { expected: 'yes' }), ex('c'), ex('d')];
    const after = [ex('d'), ex('b', { expected: 'no', slices: ['lang:en'] }), ex('e'), ex('a', { metadata: { x: 1 } })];
    const diff = diffDatasets(before, after);
    expect(diff.added).toEqual([ex('e')]);
    expect(diff.removed).toEqual([ex('c')]);
    expect(diff.changed).toEqual([
      { id: 'b', fields: ['expected', 'slices'], before: before[1], after: after[1] },
      { id: 'a', fields: ['metadata'], before: before[0], after: after[3] },
    ]);
    expect(diff.unchangedCount).toBe(1);
  });

  it('reports every field that can change, in a fixed order', () => {
    const diff = diffDatasets(
      [ex('a', { expected: 1 })],
      [ex('a', { input: 'other', metadata: { k: 'v' }, slices: ['s:1'], source: 'trace' })],
    );
    expect(diff.changed[0]?.fields).toEqual(['input', 'expected', 'metadata', 'slices', 'source']);
  });

  it('ignores key order inside values', () => {
    const diff = diffDatasets([ex('a', { input: { x: 1, y: 2 } })], [ex('a', { input: { y: 2, x: 1 } })]);
    expect(diff).toEqual({ added: [], removed: [], changed: [], unchangedCount: 1 });
  });

  it('handles empty sides', () => {
    expect(diffDatasets([], [ex('a')])).toEqual({ added: [ex('a')], removed: [], changed: [], unchangedCount: 0 });
    expect(diffDatasets([ex('a')], [])).toEqual({ added: [], removed: [ex('a')], changed: [], unchangedCount: 0 });
  });
});
