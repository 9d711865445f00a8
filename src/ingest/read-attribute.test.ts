import { describe, expect, it } from 'vitest';
import { hasKeyWithPrefix, parseJsonText, readCount, readString } from './read-attribute.js';

describe('readString', () => {
  it('takes the first key with a non-empty string, giving numbers and booleans as text', () => {
    expect(readString({ a: '', b: 'x', c: 'y' }, 'a', 'b', 'c')).toBe('x');
    expect(readString({ a: 42 }, 'a')).toBe('42');
    expect(readString({ a: ['x'], b: null }, 'a', 'b', 'missing')).toBeUndefined();
  });
});

describe('readCount', () => {
  it('takes the first finite number ≥ 0, numeric strings included', () => {
    expect(readCount({ a: -1, b: '12', c: 3 }, 'a', 'b', 'c')).toBe(12);
    expect(readCount({ a: 'x', b: '', c: 'NaN', d: true }, 'a', 'b', 'c', 'd')).toBeUndefined();
  });
});

describe('parseJsonText', () => {
  it('parses JSON text of an object or list and leaves any other text as it is', () => {
    expect(parseJsonText(' {"a":[1]}')).toEqual({ a: [1] });
    expect(parseJsonText('[1,2]')).toEqual([1, 2]);
    expect(parseJsonText('42')).toBe('42');
    expect(parseJsonText('{broken')).toBe('{broken');
    expect(parseJsonText(7)).toBe(7);
    expect(parseJsonText(undefined)).toBeUndefined();
  });
});

describe('hasKeyWithPrefix', () => {
  it('tells whether some key starts with the prefix', () => {
    expect(hasKeyWithPrefix({ 'gen_ai.prompt.0.role': 'user' }, 'gen_ai.prompt.')).toBe(true);
    expect(hasKeyWithPrefix({ 'gen_ai.prompt': 'x' }, 'gen_ai.prompt.')).toBe(false);
  });
});
