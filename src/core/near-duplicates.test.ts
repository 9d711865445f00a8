import { describe, expect, it } from 'vitest';
import { inputText, removeNearDuplicates, tokenJaccard, tokenSet } from './near-duplicates.js';

describe('tokenJaccard', () => {
  it('is the share of distinct tokens in common, ignoring case, order, punctuation and repeats', () => {
    expect(tokenJaccard(tokenSet('a b c d'), tokenSet('a b c e'))).toBeCloseTo(3 / 5, 12);
    expect(tokenJaccard(tokenSet('Can I get a refund?'), tokenSet('can i get a REFUND refund'))).toBe(1);
    expect(tokenJaccard(tokenSet('refund'), tokenSet('shipping'))).toBe(0);
    expect(tokenJaccard(tokenSet(''), tokenSet(''))).toBe(1);
  });
});

describe('inputText', () => {
  it('reads strings and numbers of an object input in key order', () => {
    expect(inputText({ question: 'Where is my order?', lang: 'en', n: 2 })).toBe('en 2 Where is my order?');
  });
});

describe('removeNearDuplicates', () => {
  const existing = [{ id: 'e1', text: 'Can I get a refund for my order?' }];
  it('drops a candidate too close to a dataset example, naming it', () => {
    const { kept, dropped } = removeNearDuplicates(['can I get a refund for my order', 'My parcel never arrived, what now?'], existing, (s) => s, 0.8);
    expect(kept).toEqual(['My parcel never arrived, what now?']);
    expect(dropped).toEqual([{ item: 'can I get a refund for my order', of: 'dataset', similarTo: 'e1', similarity: 1 }]);
  });
  it('keeps the first of two near-identical candidates', () => {
    const { kept, dropped } = removeNearDuplicates(['the parcel arrived broken and I want money back', 'The parcel arrived broken, and I want my money back!'], [], (s) => s, 0.8);
    expect(kept).toEqual(['the parcel arrived broken and I want money back']);
    expect(dropped[0]).toMatchObject({ of: 'batch', similarTo: 0 });
    expect(dropped[0]!.similarity).toBeCloseTo(9 / 10, 12);
  });
  it('keeps candidates below the threshold', () => {
    const { kept } = removeNearDuplicates(['a b c d e', 'a b c x y'], [], (s) => s, 0.8);
    expect(kept).toHaveLength(2);
  });
});
