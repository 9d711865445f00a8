import { describe, expect, it } from 'vitest';
import { ExampleSchema } from '../core/example.js';
import { plainExample } from './plain-example.js';

describe('plainExample', () => {
  it('builds what ExampleSchema.parse builds, keys in the same order, for the rows it takes', () => {
    const rows = [
      { id: 'a', input: 'hi', slices: [] },
      { id: 'b', input: { q: 'x', n: [1, 2] }, slices: ['lang:en', 'intent:refund'], expected: { keyword: 'refund' } },
      { id: 'c', input: 0, slices: ['k:v'], expected: null, source: 'trace' },
      { id: 'd', input: null, slices: [], expected: false, source: 'manual' },
    ];
    for (const row of rows) {
      const plain = plainExample(row);
      const parsed = ExampleSchema.parse(row);
      expect(plain).toEqual(parsed);
      expect(JSON.stringify(plain)).toBe(JSON.stringify(parsed));
      expect(Object.keys(plain ?? {})).toEqual(Object.keys(parsed));
      expect(plain?.slices).not.toBe(row.slices);
    }
  });

  it('leaves to the schema every row it does not fully check (null), so the schema explains what is wrong', () => {
    const rows = [
      { id: '', input: 'hi', slices: [] },
      { id: 7, input: 'hi', slices: [] },
      { id: 'a', input: undefined, slices: [] },
      { id: 'a', input: 'hi', slices: ['no colon'] },
      { id: 'a', input: 'hi', slices: ['lang: en'] },
      { id: 'a', input: 'hi', slices: [], source: 'elsewhere' },
      { id: 'a', input: 'hi', slices: [], source: 3 },
      { id: 'a', input: 'hi', slices: [], metadata: { team: 'x' } },
      { id: 'a', input: 'hi', slices: [], conversation: { turns: [] } },
    ];
    for (const row of rows) expect(plainExample(row)).toBeNull();
  });
});
