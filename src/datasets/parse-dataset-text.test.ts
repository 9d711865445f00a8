import { describe, expect, it } from 'vitest';
import { EvalOpsError } from '../core/errors.js';
import { contentHash } from '../core/hash.js';
import type { DatasetFormat } from './dataset-format.js';
import { diffDatasets } from './diff-datasets.js';
import { parseDatasetText } from './parse-dataset-text.js';

interface RowErrorDetail {
  readonly line: number;
  readonly field?: string;
  readonly message: string;
}

function failure(text: string, format: DatasetFormat): { error: EvalOpsError; errors: RowErrorDetail[] } {
  try {
    parseDatasetText(text, format, 'data');
  } catch (e) {
    if (!(e instanceof EvalOpsError)) throw e;
    return { error: e, errors: (e.details as { errors?: RowErrorDetail[] } | undefined)?.errors ?? [] };
  }
  throw new Error('expected parseDatasetText to throw');
}

const JSONL = [
  '{"id":"r1","input":{"q":"refund?"},"expected":"policy","metadata":{"lang":"en"},"slices":["intent:refund"],"source":"trace"}',
  '{"id":"r2","input":"hi","slices":["intent:greet","lang:en"]}',
  '{"input":"no id here","expected":{"tool":"search"}}',
].join('\n');

const CSV = [
  'id,input,expected,expected.tool,lang,slices,source',
  'r1,"{""q"":""refund?""}",policy,,en,intent:refund,trace',
  'r2,hi,,,,intent:greet|lang:en,',
  ',no id here,,search,,,',
].join('\n');

const YAML_TEXT = `examples:
  - input: no id here
    expected: { tool: search }
  - id: r2
    input: hi
    slices: { intent: greet, lang: en }
  - id: r1
    input: { q: refund? }
    expected: policy
    metadata: { lang: en }
    slices: [intent:refund]
    source: trace
`;

describe('parseDatasetText', () => {
  it('gives the same examples and hash from JSONL and CSV, and the same hash from reordered YAML', () => {
    const jsonl = parseDatasetText(JSONL, 'jsonl', 'a.jsonl');
    const csv = parseDatasetText(CSV, 'csv', 'a.csv');
    const yaml = parseDatasetText(YAML_TEXT, 'yaml', 'a.yaml');
    expect(jsonl.format).toBe('jsonl');
    expect(csv.examples).toEqual(jsonl.examples);
    expect(csv.hash).toBe(jsonl.hash);
    expect(yaml.examples.map((e) => e.id)).toEqual([`ex_${contentHash('no id here')}`, 'r2', 'r1']);
    expect(yaml.hash).toBe(jsonl.hash);
  });

  it('gives a new hash when one expected value changes, and the diff names that field', () => {
    const before = parseDatasetText(JSONL, 'jsonl', 'a.jsonl');
    const after = parseDatasetText(JSONL.replace('"expected":"policy"', '"expected":"refund policy"'), 'jsonl', 'a.jsonl');
    expect(after.hash).not.toBe(before.hash);
    const diff = diffDatasets(before.examples, after.examples);
    expect(diff.changed.map((c) => [c.id, c.fields])).toEqual([['r1', ['expected']]]);
    expect(diff.unchangedCount).toBe(2);
  });

  it('ignores a byte-order mark', () => {
    expect(parseDatasetText(`\uFEFF${JSONL}`, 'jsonl', 'a').hash).toBe(parseDatasetText(JSONL, 'jsonl', 'a').hash);
  });

  describe('refuses bad input with the exact line', () => {
    it('JSONL: bad JSON, non-object, missing input, bad slice, bad source, unknown field', () => {
      const text = [
        '{"id":"ok","input":"x"}',
        '{"id":"j", input}',
        '"just a string"',
        '',
        '{"id":"m","expected":"x"}',
        '{"id":"s","input":"x","slices":["lang es"]}',
        '{"id":"o","input":"x","source":"web"}',
        '{"id":"u","input":"x","tags":["a"]}',
      ].join('\n');
      const { error, errors } = failure(text, 'jsonl');
      expect(error.code).toBe('input');
      expect(errors.map((e) => [e.line, e.field])).toEqual([
        [2, undefined],
        [3, undefined],
        [5, 'input'],
        [6, 'slices'],
        [7, 'source'],
        [8, 'tags'],
      ]);
      expect(error.message.split('\n')[0]).toBe('6 invalid rows in data');
      expect(error.message).toContain('data:6: a slice is "key:value" with no spaces, e.g. "intent:refund", got "lang es"');
    });

    it('duplicate ids, given or derived, naming both lines', () => {
      const text = ['{"id":"a","input":"1"}', '{"input":"same"}', '{"id":"b","input":"2"}', '{"id":"a","input":"3"}', '{"input":"same","expected":"x"}', '{"id":7,"input":"n"}', '{"id":"7","input":"m"}'].join('\n');
      const { errors } = failure(text, 'jsonl');
      expect(errors).toEqual([
        { line: 4, field: 'id', message: 'duplicate id "a" on lines 1 and 4' },
        {
          line: 5,
          field: 'id',
          message: `duplicate id "ex_${contentHash('same')}" on lines 2 and 5 (derived from the same input; give each row an id)`,
        },
        { line: 7, field: 'id', message: 'duplicate id "7" on lines 6 and 7' },
      ]);
    });

    it('CSV: a ragged row and a bad source, each at the line where its row starts', () => {
      const text = 'id,input,source\na,"multi\nline",trace\nb,x\nc,y,web\n';
      const { errors } = failure(text, 'csv');
      expect(errors).toEqual([
        { line: 4, message: 'row has 2 cells but the header has 3 columns' },
        { line: 5, field: 'source', message: 'source must be one of trace, escalation, adversarial, synthetic, manual, got "web"' },
      ]);
    });

    it('CSV: metadata that is not a JSON object', () => {
      const { errors } = failure('input,metadata\nx,not json\n', 'csv');
      expect(errors).toEqual([{ line: 2, field: 'metadata', message: 'metadata must be an object of key → value, got string "not json"' }]);
    });

    it('YAML: a syntax error', () => {
      const { error, errors } = failure('- input: a\n- input: c\n- input: b\n  bad: x: y\n', 'yaml');
      expect(errors).toEqual([{ line: 4, message: 'YAML syntax error: Nested mappings are not allowed in compact mappings' }]);
      expect(error.message).toBe('1 invalid row in data\ndata:4: YAML syntax error: Nested mappings are not allowed in compact mappings');
    });

    it('YAML: bad items at the lines where their content starts', () => {
      const { errors } = failure('- input: a\n- just text\n-\n  id: x\n  slices: [bad]\n- id: y\n  input: 1\n  source: web\n', 'yaml');
      expect(errors.map((e) => [e.line, e.field])).toEqual([
        [2, undefined],
        [4, 'input'],
        [4, 'slices'],
        [6, 'source'],
      ]);
    });

    it('JSON: element errors at the lines where the elements start', () => {
      const text = '[\n  {"input": "ok"},\n  42,\n  {\n    "id": "x",\n    "input": "y",\n    "source": "web"\n  },\n  {"id": "x", "input": "z"}\n]';
      const { errors } = failure(text, 'json');
      expect(errors.map((e) => [e.line, e.message])).toEqual([
        [3, 'a row must be an object with an "input" field, got number 42'],
        [4, 'source must be one of trace, escalation, adversarial, synthetic, manual, got "web"'],
      ]);
    });

    it('JSON: duplicates reported at element lines', () => {
      const { errors } = failure('{"examples": [\n{"id": "x", "input": 1},\n\n{"id": "x", "input": 2}\n]}', 'json');
      expect(errors).toEqual([{ line: 4, field: 'id', message: 'duplicate id "x" on lines 2 and 4' }]);
    });

    it('JSON: a syntax error', () => {
      const { errors } = failure('[\n  {"input": "a"},\n  {"input": "b"\n  {"input": "c"}\n]', 'json');
      expect(errors.map((e) => e.line)).toEqual([4]);
    });

    it.each(['jsonl', 'csv', 'json', 'yaml'] as const)('%s: an empty or blank file', (format) => {
      for (const text of ['', ' \n\t\n', '\uFEFF']) {
        const { error, errors } = failure(text, format);
        expect(error.code).toBe('input');
        expect(error.message).toBe('dataset file data is empty');
        expect(errors).toEqual([]);
      }
    });

    it.each([
      ['[]', 'json'],
      ['{"examples": []}', 'json'],
      ['examples: []\n', 'yaml'],
      ['# only a comment\n', 'yaml'],
      ['input,expected\n', 'csv'],
    ] as const)('%j (%s): a file with no examples', (text, format) => {
      const { error } = failure(text, format);
      expect(error.code).toBe('input');
      expect(error.message).toMatch(/holds no examples|got null/);
    });
  });
});
