import { describe, expect, it } from 'vitest';
import { indexedGroups } from './indexed-groups.js';

describe('indexedGroups', () => {
  it('groups flattened keys by index, in numeric order, closing gaps', () => {
    expect(
      indexedGroups({ 'p.10.a': 1, 'p.2.a': 2, 'p.2.b.c': 3, 'q.0.a': 4, 'p.x.a': 5, 'p.3': 6, 'p..a': 7, 'p.-1.a': 8 }, 'p.'),
    ).toEqual([{ a: 2, 'b.c': 3 }, { a: 1 }]);
  });

  it('gives an empty list when no key has the prefix', () => {
    expect(indexedGroups({ a: 1 }, 'p.')).toEqual([]);
  });
});
