import { describe, expect, it } from 'vitest';
import { parseJson } from './parse-json.js';

describe('parseJson', () => {
  it('reads a top-level array, each row at the line where its element starts', () => {
    const result = parseJson('[\n  {"input": "a"},\n  {\n    "input": "b"\n  }\n]');
    expect(result.errors).toEqual([]);
    expect(result.rows).toEqual([
      { line: 2, value: { input: 'a' } },
      { line: 3, value: { input: 'b' } },
    ]);
  });

  it('reads { "examples": [...] } with element lines', () => {
    const result = parseJson('\n{\n  "examples": [\n    {"input": "a"},\n\n    7\n  ]\n}\n');
    expect(result.rows).toEqual([
      { line: 4, value: { input: 'a' } },
      { line: 6, value: 7 },
    ]);
  });

  it('reports a syntax error at its line', () => {
    const result = parseJson('[\n  {"input": "a"},\n  {"input": "b",}\n]');
    expect(result.rows).toEqual([]);
    expect(result.errors).toEqual([{ line: 3, message: expect.stringMatching(/^not valid JSON: .*property name/) as unknown as string }]);
  });

  it.each([
    ['"just text"', /got string/],
    ['null', /got null/],
    ['{"examples": {"input": "a"}}', /"examples" must be a list/],
    ['{"rows": []}', /unknown top-level key "rows"/],
    ['{"examples": [], "name": "x"}', /unknown top-level key "name"/],
  ])('refuses the top-level value %s', (text, message) => {
    const result = parseJson(`\n\n${text}`);
    expect(result.rows).toEqual([]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.line).toBe(3);
    expect(result.errors[0]?.message).toMatch(message);
  });
});
