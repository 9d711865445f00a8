import { describe, expect, it } from 'vitest';
import { contentHash } from '../core/hash.js';
import { normaliseExample } from './normalise-example.js';

function errorsOf(raw: unknown, line = 5) {
  const result = normaliseExample(raw, line);
  if (result.ok) throw new Error('expected the row to be refused');
  return result.errors;
}

describe('normaliseExample', () => {
  it('fills defaults and keeps every given field', () => {
    const result = normaliseExample(
      { id: 'r1', input: { q: 'refund?' }, expected: { tool: 'refund' }, metadata: { lang: 'en' }, slices: ['intent:refund'], source: 'trace' },
      1,
    );
    expect(result).toEqual({
      ok: true,
      example: { id: 'r1', input: { q: 'refund?' }, expected: { tool: 'refund' }, metadata: { lang: 'en' }, slices: ['intent:refund'], source: 'trace' },
    });
    expect(normaliseExample({ id: 'r2', input: 'hi' }, 1)).toEqual({
      ok: true,
      example: { id: 'r2', input: 'hi', metadata: {}, slices: [], source: 'manual' },
    });
  });

  it('turns a numeric id into a string', () => {
    const result = normaliseExample({ id: 42, input: 'x' }, 1);
    expect(result.ok && result.example.id).toBe('42');
  });

  it('derives a missing id from the content hash of the input, the same on every import', () => {
    const a = normaliseExample({ input: { q: 'hi', n: 1 } }, 1);
    const b = normaliseExample({ input: { n: 1, q: 'hi' }, expected: 'other' }, 9);
    expect(a.ok && a.example.id).toBe(`ex_${contentHash({ q: 'hi', n: 1 })}`);
    expect(b.ok && b.example.id).toBe(a.ok && a.example.id);
    const c = normaliseExample({ input: { q: 'hello', n: 1 } }, 1);
    expect(c.ok && c.example.id).not.toBe(a.ok && a.example.id);
  });

  it('accepts slices as an object or a separated string', () => {
    const result = normaliseExample({ input: 'x', slices: { intent: 'refund', lang: 'es' } }, 1);
    expect(result.ok && result.example.slices).toEqual(['intent:refund', 'lang:es']);
    const fromCsv = normaliseExample({ input: 'x', slices: 'intent:refund | lang:es' }, 1);
    expect(fromCsv.ok && fromCsv.example.slices).toEqual(['intent:refund', 'lang:es']);
  });

  it('keeps null as a value of input and expected', () => {
    const result = normaliseExample({ id: 'n', input: null, expected: null }, 1);
    expect(result.ok && result.example).toEqual({ id: 'n', input: null, expected: null, metadata: {}, slices: [], source: 'manual' });
  });

  it.each([
    [42, 'a row must be an object with an "input" field, got number 42'],
    [null, 'a row must be an object with an "input" field, got null'],
    [['a'], 'a row must be an object with an "input" field, got a list'],
    ['text', 'a row must be an object with an "input" field, got string "text"'],
  ])('refuses the row %j', (raw, message) => {
    expect(errorsOf(raw)).toEqual([{ line: 5, message }]);
  });

  it('refuses a missing input', () => {
    expect(errorsOf({ id: 'a', expected: 'x' })).toEqual([{ line: 5, field: 'input', message: 'input is required' }]);
  });

  it('refuses unknown top-level fields, naming each and the allowed ones', () => {
    expect(errorsOf({ input: 'x', vars: {}, expect: 'y' })).toEqual([
      { line: 5, field: 'vars', message: 'unknown field "vars"; allowed fields: id, input, expected, metadata, slices, source, turns, scenario, conversation' },
      { line: 5, field: 'expect', message: 'unknown field "expect"; allowed fields: id, input, expected, metadata, slices, source, turns, scenario, conversation' },
    ]);
  });

  it('refuses a slice that is not key:value, quoting it', () => {
    const [error] = errorsOf({ input: 'x', slices: ['intent:refund', 'refund'] });
    expect(error).toEqual({ line: 5, field: 'slices', message: 'a slice is "key:value" with no spaces, e.g. "intent:refund", got "refund"' });
  });

  it('refuses an unknown source, listing the allowed ones', () => {
    expect(errorsOf({ input: 'x', source: 'email' })).toEqual([
      { line: 5, field: 'source', message: 'source must be one of trace, escalation, adversarial, synthetic, manual, got "email"' },
    ]);
  });

  it('refuses metadata that is not an object', () => {
    expect(errorsOf({ input: 'x', metadata: ['a'] })).toEqual([
      { line: 5, field: 'metadata', message: 'metadata must be an object of key → value, got a list' },
    ]);
  });

  it.each([
    [true, 'id must be a string or a number, got boolean true'],
    [{ a: 1 }, 'id must be a string or a number, got an object'],
    ['  ', 'id must not be empty'],
    [Number.NaN, 'id must be a string or a number, got number NaN'],
  ])('refuses the id %j', (id, message) => {
    expect(errorsOf({ id, input: 'x' })).toContainEqual({ line: 5, field: 'id', message });
  });

  it('reports every problem of one row together', () => {
    const errors = errorsOf({ vars: 1, slices: ['bad'], source: 'nope' });
    expect(errors.map((e) => e.field).sort()).toEqual(['input', 'slices', 'source', 'vars']);
  });
});
