import { describe, expect, it } from 'vitest';
import { parseJsonl } from './parse-jsonl.js';

describe('parseJsonl', () => {
  it('returns one row per non-blank line with its 1-based line number', () => {
    const result = parseJsonl('{"input":"a"}\n\n   \n{"input":"b"}\n');
    expect(result.errors).toEqual([]);
    expect(result.rows).toEqual([
      { line: 1, value: { input: 'a' } },
      { line: 4, value: { input: 'b' } },
    ]);
  });

  it('accepts CRLF line endings', () => {
    const result = parseJsonl('{"input":"a"}\r\n\r\n{"input":"b"}\r\n');
    expect(result.rows.map((r) => r.line)).toEqual([1, 3]);
    expect(result.rows[1]?.value).toEqual({ input: 'b' });
  });

  it('reports each line that is not JSON and keeps reading the rest', () => {
    const result = parseJsonl('{"input":"a"}\n{"input": oops}\n{"input":"c"}\n{"input":\n');
    expect(result.rows.map((r) => r.line)).toEqual([1, 3]);
    expect(result.errors.map((e) => e.line)).toEqual([2, 4]);
    expect(result.errors[0]?.message).toMatch(/^not valid JSON: /);
  });

  it('passes JSON values that are not objects through, for normalisation to refuse', () => {
    expect(parseJsonl('42\n["a"]').rows).toEqual([
      { line: 1, value: 42 },
      { line: 2, value: ['a'] },
    ]);
  });
});
