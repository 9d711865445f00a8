import { describe, expect, it } from 'vitest';
import { EvalOpsError } from '../../src/core/errors.js';
import { parseDatasetText } from '../../src/datasets/parse-dataset-text.js';

function inputError(text: string, format: 'jsonl' | 'yaml' | 'json', file: string): EvalOpsError {
  try {
    parseDatasetText(text, format, file);
  } catch (e) {
    expect(e).toBeInstanceOf(EvalOpsError);
    return e as EvalOpsError;
  }
  throw new Error('expected the dataset to be refused');
}

describe('conversation datasets (files)', () => {
  it('reads the same conversations from JSONL, JSON and YAML into the same version', () => {
    const rows = [
      { id: 't', turns: [{ user: 'hi' }, { user: 'order 7', expected: 'refund' }] },
      { id: 's', scenario: { goal: 'refund order 7', facts: { order: 7 }, maxTurns: 3 } },
    ];
    const jsonl = parseDatasetText(rows.map((r) => JSON.stringify(r)).join('\n'), 'jsonl', 'a.jsonl');
    const json = parseDatasetText(JSON.stringify({ examples: rows }), 'json', 'a.json');
    const yaml = parseDatasetText(
      '- id: t\n  turns:\n    - user: hi\n    - { user: order 7, expected: refund }\n- id: s\n  scenario: { goal: refund order 7, facts: { order: 7 }, maxTurns: 3 }\n',
      'yaml',
      'a.yaml',
    );
    expect(json.hash).toBe(jsonl.hash);
    expect(yaml.hash).toBe(jsonl.hash);
    expect(jsonl.examples.map((e) => e.input)).toEqual(['hi', 'refund order 7']);
  });

  it('names file, line and field of an empty turn, a scenario without goal and maxTurns < 1, all at once', () => {
    const text = [
      '{"id":"ok","turns":["hi"]}',
      '{"id":"empty","turns":["hi",""]}',
      '{"id":"nogoal","scenario":{"persona":"p"}}',
      '{"id":"zero","scenario":{"goal":"g","maxTurns":0}}',
    ].join('\n');
    const error = inputError(text, 'jsonl', 'data/cases.jsonl');
    expect(error.code).toBe('input');
    expect(error.message).toBe(
      [
        '3 invalid rows in data/cases.jsonl',
        'data/cases.jsonl:2: turns.1.user: a turn needs a non-empty "user" message',
        'data/cases.jsonl:3: scenario.goal is required: what the simulated user wants to achieve',
        'data/cases.jsonl:4: scenario.maxTurns: maxTurns must be at least 1',
      ].join('\n'),
    );
    expect(error.details).toEqual({
      errors: [
        { line: 2, field: 'turns.1.user', message: 'turns.1.user: a turn needs a non-empty "user" message' },
        { line: 3, field: 'scenario.goal', message: 'scenario.goal is required: what the simulated user wants to achieve' },
        { line: 4, field: 'scenario.maxTurns', message: 'scenario.maxTurns: maxTurns must be at least 1' },
      ],
    });
  });

  it('names the YAML line where the bad conversation row starts', () => {
    const error = inputError('- id: a\n  turns: [hi]\n- id: b\n  scenario:\n    goal: g\n    maxTurns: -2\n', 'yaml', 'c.yaml');
    expect(error.message).toContain('c.yaml:3: scenario.maxTurns: maxTurns must be at least 1');
  });
});
