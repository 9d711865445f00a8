import { describe, expect, it } from 'vitest';
import { attributeValueText, sliceAttributesText } from './slice-attributes.js';

describe('sliceAttributesText', () => {
  it('keeps only evalops.slice.* attributes, keys sorted, values as they are', () => {
    expect(sliceAttributesText({ 'http.route': '/chat', 'evalops.slice.lang': 'es', 'evalops.slice.intent': 'refund', 'evalops.slice.vip': true })).toBe('{"evalops.slice.intent":"refund","evalops.slice.lang":"es","evalops.slice.vip":true}');
  });

  it('is null when the span has none (a null value is none)', () => {
    expect(sliceAttributesText({ 'app.lang': 'es' })).toBeNull();
    expect(sliceAttributesText({ 'evalops.slice.lang': null })).toBeNull();
    expect(sliceAttributesText({})).toBeNull();
  });
});

describe('attributeValueText', () => {
  it('reads booleans as true/false, numbers as printed, lists as compact JSON', () => {
    expect([true, false, 2, 1.5, 'es', ['a', 'b'], null].map(attributeValueText)).toEqual(['true', 'false', '2', '1.5', 'es', '["a","b"]', null]);
  });
});
