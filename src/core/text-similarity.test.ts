import { describe, expect, it } from 'vitest';
import { lexicalCosine, normalisedLevenshtein, wordTokens } from './text-similarity.js';

describe('wordTokens', () => {
  it('lowercases and splits on anything that is not a letter or digit', () => {
    expect(wordTokens('Hello, World! 42 times — café')).toEqual(['hello', 'world', '42', 'times', 'café']);
  });
  it('keeps inner apostrophes', () => {
    expect(wordTokens("I can't")).toEqual(['i', "can't"]);
  });
});

describe('lexicalCosine', () => {
  it('is 1 for the same words regardless of case and punctuation', () => {
    expect(lexicalCosine('The cat sat.', 'the CAT sat')).toBeCloseTo(1, 10);
  });
  it('is 0 when no word is shared', () => {
    expect(lexicalCosine('alpha beta', 'gamma delta')).toBe(0);
  });
  it('weighs shared words by frequency', () => {
    // a=[x:1,y:1], b=[x:1] → 1/(√2·1)
    expect(lexicalCosine('x y', 'x')).toBeCloseTo(1 / Math.SQRT2, 10);
    // a=[x:2,y:1], b=[x:1,y:2] → 4/5
    expect(lexicalCosine('x x y', 'x y y')).toBeCloseTo(0.8, 10);
  });
  it('treats two empty texts as identical and one empty text as unrelated', () => {
    expect(lexicalCosine('', '  ')).toBe(1);
    expect(lexicalCosine('', 'word')).toBe(0);
  });
});

describe('normalisedLevenshtein', () => {
  it('is 1 for equal strings, including two empty strings', () => {
    expect(normalisedLevenshtein('abc', 'abc')).toBe(1);
    expect(normalisedLevenshtein('', '')).toBe(1);
  });
  it('is 1 - distance / longer length', () => {
    expect(normalisedLevenshtein('kitten', 'sitting')).toBeCloseTo(1 - 3 / 7, 10);
    expect(normalisedLevenshtein('abc', '')).toBe(0);
  });
  it('is case sensitive', () => {
    expect(normalisedLevenshtein('A', 'a')).toBe(0);
  });
});
