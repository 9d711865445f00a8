import { describe, expect, it } from 'vitest';
import { exitCodeForError } from '../core/errors.js';
import { formatRowError, invalidExamplesError, invalidRowsError, MAX_LISTED_ROW_ERRORS } from './invalid-rows-error.js';

describe('invalidRowsError', () => {
  it('counts distinct bad rows and lists errors by line as file:line: message', () => {
    const error = invalidRowsError('cases.jsonl', [
      { line: 9, field: 'source', message: 'source must be one of …' },
      { line: 3, message: 'not valid JSON' },
      { line: 9, field: 'input', message: 'input is required' },
    ]);
    expect(error.code).toBe('input');
    expect(exitCodeForError(error)).toBe(2);
    expect(error.location).toBe('cases.jsonl');
    expect(error.message).toBe(
      ['2 invalid rows in cases.jsonl', 'cases.jsonl:3: not valid JSON', 'cases.jsonl:9: source must be one of …', 'cases.jsonl:9: input is required'].join('\n'),
    );
    expect(error.details).toEqual({
      errors: [
        { line: 3, message: 'not valid JSON' },
        { line: 9, field: 'source', message: 'source must be one of …' },
        { line: 9, field: 'input', message: 'input is required' },
      ],
    });
  });

  it('says "row" for one row', () => {
    expect(invalidRowsError('a.csv', [{ line: 2, message: 'm' }]).message.split('\n')[0]).toBe('1 invalid row in a.csv');
  });

  it(`lists the first ${MAX_LISTED_ROW_ERRORS} errors in the message and keeps all in details`, () => {
    const errors = Array.from({ length: 25 }, (_, i) => ({ line: i + 1, message: `bad ${i + 1}` }));
    const error = invalidRowsError('big.jsonl', errors);
    const lines = error.message.split('\n');
    expect(lines).toHaveLength(1 + MAX_LISTED_ROW_ERRORS + 1);
    expect(lines[MAX_LISTED_ROW_ERRORS]).toBe('big.jsonl:20: bad 20');
    expect(lines.at(-1)).toBe('… and 5 more errors');
    expect((error.details as { errors: unknown[] }).errors).toHaveLength(25);
  });
});

describe('formatRowError', () => {
  it('prefixes file and line', () => {
    expect(formatRowError('x.yaml', { line: 12, field: 'id', message: 'id must not be empty' })).toBe('x.yaml:12: id must not be empty');
  });
});

describe('invalidExamplesError', () => {
  it('names each bad example of a request body by index and field, as a JSON path, with no file location', () => {
    const error = invalidExamplesError([
      { line: 4, field: 'metadata', message: 'metadata must be an object of key → value, got a list' },
      { line: 0, message: 'a row must be an object with an "input" field, got null' },
    ]);
    expect(error.code).toBe('input');
    expect(error.location).toBeUndefined();
    expect(error.message).toBe(
      ['2 invalid examples in the request body', 'examples[0]: a row must be an object with an "input" field, got null', 'examples[4].metadata: metadata must be an object of key → value, got a list'].join('\n'),
    );
    expect(error.details).toEqual({
      errors: [
        { index: 0, message: 'a row must be an object with an "input" field, got null' },
        { index: 4, field: 'metadata', message: 'metadata must be an object of key → value, got a list' },
      ],
    });
    expect(invalidExamplesError([{ line: 1, field: 'id', message: 'id must not be empty' }]).message.split('\n')[0]).toBe('1 invalid example in the request body');
  });
});
