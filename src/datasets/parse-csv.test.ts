import { describe, expect, it } from 'vitest';
import { parseCsv } from './parse-csv.js';

describe('parseCsv', () => {
  it('maps the named columns to fields and every other column into metadata', () => {
    const result = parseCsv('id,input,expected,slices,source,lang,tier\n7,hi,hello,intent:greet;lang:en,trace,en,gold\n');
    expect(result.errors).toEqual([]);
    expect(result.rows).toEqual([
      {
        line: 2,
        value: { id: '7', input: 'hi', expected: 'hello', slices: 'intent:greet;lang:en', source: 'trace', metadata: { lang: 'en', tier: 'gold' } },
      },
    ]);
  });

  it('parses cells that look like JSON objects or arrays, and keeps other text as it is', () => {
    const csv = [
      'input,expected,metadata',
      '"{""q"": 1}","[1, 2]","{""lang"": ""es""}"',
      '[urgent] my order is late,"{not json}", 42 ',
    ].join('\n');
    expect(parseCsv(csv).rows.map((r) => r.value)).toEqual([
      { input: { q: 1 }, expected: [1, 2], metadata: { lang: 'es' } },
      { input: '[urgent] my order is late', expected: '{not json}', metadata: ' 42 ' },
    ]);
  });

  it('builds nested objects from dotted columns, merged into a JSON cell, whatever the column order', () => {
    const csv = 'input.user.name,input,expected.tool,metadata.a.b,metadata\nAda,"{""q"": ""hi""}",search,1,"{""c"": 2}"\n';
    expect(parseCsv(csv).rows[0]?.value).toEqual({
      input: { q: 'hi', user: { name: 'Ada' } },
      expected: { tool: 'search' },
      metadata: { c: 2, a: { b: '1' } },
    });
  });

  it('treats an empty cell as an absent field', () => {
    const result = parseCsv('id,input,expected,lang,slices\n,hi,,,\n');
    expect(result.rows[0]?.value).toEqual({ input: 'hi' });
  });

  it('numbers rows by the line where they start, across blank lines, CRLF and multi-line cells', () => {
    const csv = '\uFEFFinput,expected\r\n\r\n"line one\r\nline two",a\r\nsecond,b\r\n\r\n"x\n\ny",c\r\nlast,d';
    const result = parseCsv(csv);
    expect(result.errors).toEqual([]);
    expect(result.rows.map((r) => [r.line, r.value])).toEqual([
      [3, { input: 'line one\nline two', expected: 'a' }],
      [5, { input: 'second', expected: 'b' }],
      [7, { input: 'x\n\ny', expected: 'c' }],
      [10, { input: 'last', expected: 'd' }],
    ]);
  });

  it('reports ragged rows at their lines and keeps the good ones', () => {
    const result = parseCsv('input,expected\na,1\nb\nc,3\nd,4,extra\n');
    expect(result.rows.map((r) => r.line)).toEqual([2, 4]);
    expect(result.errors).toEqual([
      { line: 3, message: 'row has 1 cells but the header has 2 columns' },
      { line: 5, message: 'row has 3 cells but the header has 2 columns' },
    ]);
  });

  it('refuses a header with a duplicate or an empty column name', () => {
    expect(parseCsv('input,lang,lang\na,b,c\n').errors).toEqual([
      { line: 1, field: 'lang', message: 'duplicate column "lang" in the header' },
    ]);
    expect(parseCsv('input,,x\na,b,c\n').errors).toEqual([{ line: 1, message: 'header column 2 has no name' }]);
  });

  it('refuses a dotted column that would add to a field that is not an object', () => {
    const result = parseCsv('input,input.name\nplain text,Ada\n"{""a"": 1}",Bob\n');
    expect(result.errors).toEqual([
      { line: 2, field: 'input.name', message: '"input" is not an object, so column "input.name" cannot add to it' },
    ]);
    expect(result.rows).toEqual([{ line: 3, value: { input: { a: 1, name: 'Bob' } } }]);
  });

  it.each([
    ['input,__proto__\na,b\n', 'b'],
    ['input,metadata.__proto__.x\na,c\n', { x: 'c' }],
  ])('puts a "__proto__" column into metadata as data, never onto a prototype (%j)', (csv, stored) => {
    const result = parseCsv(csv);
    expect(result.errors).toEqual([]);
    const metadata = (result.rows[0]?.value as { metadata: Record<string, unknown> }).metadata;
    expect(Object.getPrototypeOf(metadata)).toBe(Object.prototype);
    expect(Object.keys(metadata)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(metadata, '__proto__')?.value).toEqual(stored);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('reports a quote that is never closed at the line where its row starts', () => {
    const result = parseCsv('input,expected\na,1\n"open,2\nmore\n\n');
    expect(result.rows).toEqual([]);
    expect(result.errors).toEqual([{ line: 3, message: 'CSV syntax error: a quoted cell in this row is never closed' }]);
  });

  it('reports text after a closing quote at its line', () => {
    const result = parseCsv('input,expected\na,1\nb,2\n"c"d,3\n');
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.line).toBe(4);
    expect(result.errors[0]?.message).toMatch(/^CSV syntax error: Invalid Closing Quote/);
  });

  it('returns no rows for a header-only file', () => {
    expect(parseCsv('input,expected\n')).toEqual({ rows: [], errors: [] });
  });
});
