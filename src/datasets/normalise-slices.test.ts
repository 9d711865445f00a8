import { describe, expect, it } from 'vitest';
import { normaliseSlices } from './normalise-slices.js';

describe('normaliseSlices', () => {
  it.each([
    [undefined, []],
    [null, []],
    [['intent:refund', ' lang:es '], ['intent:refund', 'lang:es']],
    ['intent:refund; lang:es', ['intent:refund', 'lang:es']],
    ['intent:refund|lang:es', ['intent:refund', 'lang:es']],
    ['intent:refund, lang:es,', ['intent:refund', 'lang:es']],
    [{ intent: 'refund', lang: ['es', 'en'], vip: true, tier: 2 }, ['intent:refund', 'lang:es', 'lang:en', 'vip:true', 'tier:2']],
    [['a:1', 'b:2', 'a:1'], ['a:1', 'b:2']],
  ])('turns %j into %j', (value, slices) => {
    expect(normaliseSlices(value, 1)).toEqual({ slices, errors: [] });
  });

  it('reports list items that are not strings, with their index', () => {
    expect(normaliseSlices(['a:1', 5], 9).errors).toEqual([{ line: 9, field: 'slices.1', message: 'a slice is a "key:value" string, got number 5' }]);
  });

  it('reports object values that are not scalars, with their key', () => {
    expect(normaliseSlices({ intent: { nested: 1 } }, 4).errors).toEqual([
      { line: 4, field: 'slices.intent', message: 'a slice value is a string, number or boolean, got an object' },
    ]);
  });

  it('refuses a number or boolean in place of the whole list', () => {
    expect(normaliseSlices(3, 2).errors).toEqual([
      { line: 2, field: 'slices', message: 'slices must be a list of "key:value" strings or an object, got number 3' },
    ]);
  });
});
