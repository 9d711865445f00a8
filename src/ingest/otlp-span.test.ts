import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../core/json.js';
import { setAttribute } from './otlp-span.js';

describe('setAttribute', () => {
  it('sets ordinary keys, and a "__proto__" key as an own property without changing the prototype', () => {
    const target: Record<string, JsonValue> = {};
    setAttribute(target, 'a', 1);
    setAttribute(target, '__proto__', { polluted: true });
    expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
    expect(Object.keys(target)).toEqual(['a', '__proto__']);
    expect(JSON.stringify(target)).toBe('{"a":1,"__proto__":{"polluted":true}}');
  });
});
