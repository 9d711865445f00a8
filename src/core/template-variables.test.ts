import { describe, expect, it } from 'vitest';
import { missingVariable, templateVariables } from './template-variables.js';

describe('templateVariables', () => {
  it('lists each variable once, in order of first use', () => {
    expect(templateVariables('{{input.b}} {{ input.a }} {{input.b}} {{metadata.lang}}')).toEqual(['input.b', 'input.a', 'metadata.lang']);
  });
  it('finds none in plain text', () => {
    expect(templateVariables('no variables { here }')).toEqual([]);
  });
});

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
