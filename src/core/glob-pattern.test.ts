import { describe, expect, it } from 'vitest';
import { globToRegExp, isRelativeGlob } from './glob-pattern.js';

describe('globToRegExp', () => {
  const cases: [string, string, boolean][] = [
    ['*.py', 'agent.py', true],
    ['*.py', 'lib/agent.py', false],
    ['lib/**/*.py', 'lib/agent.py', true],
    ['lib/**/*.py', 'lib/a/b/agent.py', true],
    ['lib/**/*.py', 'lib/agent.pyc', false],
    ['lib/**', 'lib/a/b.txt', true],
    ['lib/**', 'other/b.txt', false],
    ['prompts/?.md', 'prompts/a.md', true],
    ['prompts/?.md', 'prompts/ab.md', false],
    ['src/*.{ts,js}', 'src/x.js', true],
    ['src/*.{ts,js}', 'src/x.py', false],
    ['a+b(1).txt', 'a+b(1).txt', true],
    ['a.txt', 'aXtxt', false],
  ];
  it.each(cases)('%s against %s is %s', (glob, path, expected) => {
    expect(globToRegExp(glob).test(path)).toBe(expected);
  });
});

describe('isRelativeGlob', () => {
  it('refuses absolute patterns and parent segments', () => {
    expect(isRelativeGlob('lib/**/*.py')).toBe(true);
    expect(isRelativeGlob('/etc/*')).toBe(false);
    expect(isRelativeGlob('../other/*.py')).toBe(false);
  });
});
