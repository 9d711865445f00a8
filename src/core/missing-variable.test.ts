import { describe, expect, it } from 'vitest';
import { missingVariable } from './missing-variable.js';

describe('missingVariable', () => {
  it('names the first variable the scope does not provide', () => {
    expect(missingVariable('{{input.message}} in {{metadata.lang}} for {{input.customer}}', { input: { message: 'hi' }, metadata: {} })).toBe('metadata.lang');
  });
  it('accepts a template whose variables all resolve, falsy values included', () => {
    expect(missingVariable('{{input}} {{input.n}} {{input.flag}}', { input: { n: 0, flag: false } })).toBeUndefined();
  });
  it('treats a scope part that is absent as missing', () => {
    expect(missingVariable('{{expected.keyword}}', { input: 'x' })).toBe('expected.keyword');
  });
});
