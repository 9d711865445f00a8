import { describe, expect, it } from 'vitest';
import { parseJsonWithLines } from './parse-json-with-lines.js';

const VALID = [
  '0',
  '-12.5e+3',
  '1E2',
  '"plain"',
  '"esc \\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\ud83d\\ude00"',
  '"ünïcödé 😀"',
  'true',
  'false',
  'null',
  '[]',
  '{}',
  ' \t\r\n [ 1 , "two" , { "three" : [ 3 , null ] } ] \n',
  '{"a":{"b":{"c":[[[]]]}},"a2":-0}',
  '{"dup":1,"dup":2}',
];

const INVALID: ReadonlyArray<readonly [string, number, RegExp]> = [
  ['', 1, /end of input/],
  ['[1,]', 1, /expected a JSON value/],
  ['[1 2]', 1, /expected ',' or '\]'/],
  ['{"a" 1}', 1, /expected ':'/],
  ["{'a': 1}", 1, /expected a property name/],
  ['{"a": 1,\n}', 2, /expected a property name/],
  ['[\n1,\n\n01]', 4, /expected ',' or '\]'/],
  ['[\n  "open\n]', 2, /unterminated string/],
  ['"tab\there"', 1, /control character/],
  ['"bad \\x escape"', 1, /invalid escape/],
  ['{"a": tru}', 1, /unexpected "t"/],
  ['{"a": 1}\n\n{"b": 2}', 3, /after the JSON value/],
  ['[1, 2', 1, /end of input/],
  ['.5', 1, /expected a JSON value/],
  ['NaN', 1, /expected a JSON value/],
];

describe('parseJsonWithLines', () => {
  it.each(VALID)('parses %j exactly as JSON.parse does', (text) => {
    const result = parseJsonWithLines(text);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value).toEqual(JSON.parse(text));
  });

  it.each(INVALID)('refuses %j with an error on line %i', (text, line, message) => {
    expect(() => JSON.parse(text)).toThrow();
    const result = parseJsonWithLines(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.line).toBe(line);
      expect(result.message).toMatch(message);
    }
  });

  it('records the start line of each element of the top-level array', () => {
    const text = '[\n  {"a": 1},\n\n  {\n    "b": [\n      1,\n      2\n    ]\n  }, 3\n]';
    const result = parseJsonWithLines(text);
    if (!result.ok) throw new Error(result.message);
    const top = result.value as unknown[];
    expect(result.elementLines.get(top)).toEqual([2, 4, 9]);
    // depth 1 arrays are recorded too, deeper ones are not
    const inner = (top[1] as { b: unknown[] }).b;
    expect(result.elementLines.get(inner)).toBeUndefined();
  });

  it('records the lines of an array held by the top-level object', () => {
    const result = parseJsonWithLines('{\n "examples": [\n  {"input": 1},\n  {"input": 2}\n ]\n}');
    if (!result.ok) throw new Error(result.message);
    const examples = (result.value as { examples: unknown[] }).examples;
    expect(result.elementLines.get(examples)).toEqual([3, 4]);
  });

  it('keeps "__proto__" as an own property and never touches the prototype', () => {
    const result = parseJsonWithLines('{"__proto__": {"polluted": true}}');
    if (!result.ok) throw new Error(result.message);
    const value = result.value as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(value).toEqual(JSON.parse('{"__proto__": {"polluted": true}}'));
  });

  it('reports nesting too deep for the stack as a syntax error, not a crash', () => {
    const text = '['.repeat(200_000) + ']'.repeat(200_000);
    const result = parseJsonWithLines(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/nested too deeply/);
  });
});
