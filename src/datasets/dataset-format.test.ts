import { describe, expect, it } from 'vitest';
import { EvalOpsError } from '../core/errors.js';
import { datasetFormatFromPath } from './dataset-format.js';

describe('datasetFormatFromPath', () => {
  it.each([
    ['cases.jsonl', 'jsonl'],
    ['dir.v2/cases.NDJSON', 'jsonl'],
    ['cases.csv', 'csv'],
    ['cases.json', 'json'],
    ['cases.yaml', 'yaml'],
    ['cases.Yml', 'yaml'],
  ])('reads %s as %s', (path, format) => {
    expect(datasetFormatFromPath(path)).toBe(format);
  });

  it.each(['cases.txt', 'cases', 'cases.json.gz', '.jsonl.bak'])('refuses %s as an input error naming the file', (path) => {
    let error: unknown;
    try {
      datasetFormatFromPath(path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EvalOpsError);
    expect((error as EvalOpsError).code).toBe('input');
    expect((error as EvalOpsError).location).toBe(path);
    expect((error as EvalOpsError).message).toMatch(/^unsupported dataset file extension ".*"; use one of \.jsonl, \.ndjson, \.csv, \.json, \.yaml, \.yml$/);
  });
});
