import { describe, expect, it } from 'vitest';
import { parseYaml } from './parse-yaml.js';

describe('parseYaml', () => {
  it('reads a top-level sequence, each row at the line where its item starts', () => {
    const result = parseYaml('# cases\n- input: a\n  slices: [intent:refund]\n\n- input:\n    q: b\n');
    expect(result.errors).toEqual([]);
    expect(result.rows).toEqual([
      { line: 2, value: { input: 'a', slices: ['intent:refund'] } },
      { line: 5, value: { input: { q: 'b' } } },
    ]);
  });

  it('reads examples: [...] with item lines, flow items included', () => {
    const result = parseYaml('examples:\n  - input: a\n  - { input: b }\n  - 3\n');
    expect(result.rows).toEqual([
      { line: 2, value: { input: 'a' } },
      { line: 3, value: { input: 'b' } },
      { line: 4, value: 3 },
    ]);
  });

  it('resolves anchors and aliases', () => {
    const result = parseYaml('- input: &q hello\n  expected: hi\n- input: *q\n');
    expect(result.rows.map((r) => r.value)).toEqual([{ input: 'hello', expected: 'hi' }, { input: 'hello' }]);
  });

  it('reports a syntax error with its line', () => {
    const result = parseYaml('- input: a\n- input: b\n  expected: [1,\n- input: c\n');
    expect(result.rows).toEqual([]);
    expect(result.errors[0]?.line).toBe(4);
    expect(result.errors[0]?.message).toMatch(/^YAML syntax error: /);
  });

  it('reports a second document as an error at the line where it starts', () => {
    const result = parseYaml('- input: a\n---\n- input: b\n');
    expect(result.rows).toEqual([]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.line).toBe(2);
    expect(result.errors[0]?.message).toMatch(/multiple documents/);
  });

  it.each([
    ['just text\n', /got string/],
    ['input: a\n', /unknown top-level key "input"/],
    ['examples: nope\n', /"examples" must be a list/],
  ])('refuses the top-level value %j at its line', (text, message) => {
    const result = parseYaml(`# header\n${text}`);
    expect(result.rows).toEqual([]);
    expect(result.errors).toEqual([{ line: 2, message: expect.stringMatching(message) as unknown as string }]);
  });
});
