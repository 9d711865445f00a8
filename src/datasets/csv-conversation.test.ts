import { describe, expect, it } from 'vitest';
import { EvalOpsError } from '../core/errors.js';
import { parseDatasetText } from './parse-dataset-text.js';

const parse = (text: string) => parseDatasetText(text, 'csv', 'cases.csv').examples;

function errorOf(text: string): { message: string; errors: Array<{ line: number; field?: string; message: string }> } {
  try {
    parseDatasetText(text, 'csv', 'cases.csv');
  } catch (e) {
    expect(e).toBeInstanceOf(EvalOpsError);
    const error = e as EvalOpsError;
    expect(error.code).toBe('input');
    return { message: error.message, errors: (error.details as { errors: Array<{ line: number; field?: string; message: string }> }).errors };
  }
  throw new Error('expected an input error');
}

describe('CSV datasets › conversations', () => {
  it('reads turn.N and turn.N.expected columns into scripted turns, ending at the first empty turn', () => {
    const examples = parse(['id,turn.1,turn.2,turn.2.expected,turn.3,lang', 'c1,my kettle broke,order 1234,"{""tool"":""refund""}",,en', 'c2,hi,,,,fr', ''].join('\n'));
    expect(examples[0]).toMatchObject({
      id: 'c1',
      input: 'my kettle broke',
      metadata: { lang: 'en' },
      conversation: { kind: 'turns', turns: [{ user: 'my kettle broke' }, { user: 'order 1234', expected: { tool: 'refund' } }] },
    });
    expect(examples[1]).toMatchObject({ id: 'c2', conversation: { kind: 'turns', turns: [{ user: 'hi' }] }, metadata: { lang: 'fr' } });
  });

  it('reads a turns cell holding a JSON array, as in JSONL', () => {
    const [example] = parse(['id,turns', `t,"[""hi"", {""user"": ""order 7"", ""expected"": ""refund""}]"`, ''].join('\n'));
    expect(example?.conversation).toEqual({ kind: 'turns', turns: [{ user: 'hi' }, { user: 'order 7', expected: 'refund' }] });
  });

  it('reads scenario.* columns (maxTurns a number, facts from a JSON cell and from fact columns) and a scenario cell', () => {
    const examples = parse(
      [
        'id,scenario.goal,scenario.persona,scenario.maxTurns,scenario.facts,scenario.facts.order,scenario,input',
        's1,get a refund,an impatient customer,4,"{""product"":""kettle""}",1234,,',
        `s2,,,,,,"{""goal"": ""cancel my plan"", ""maxTurns"": 2}",`,
        'q1,,,,,,,a plain question',
        '',
      ].join('\n'),
    );
    expect(examples[0]).toMatchObject({ id: 's1', input: 'get a refund', conversation: { kind: 'scenario', scenario: { goal: 'get a refund', persona: 'an impatient customer', maxTurns: 4, facts: { product: 'kettle', order: '1234' } } } });
    expect(examples[1]).toMatchObject({ id: 's2', conversation: { kind: 'scenario', scenario: { goal: 'cancel my plan', maxTurns: 2 } } });
    expect(examples[2]).toMatchObject({ id: 'q1', input: 'a plain question' });
    expect(examples[2]?.conversation).toBeUndefined();
  });

  it('names line, column number and column of every conversation error, all at once', () => {
    const { message, errors } = errorOf(
      [
        'id,turn.1,turn.2,turn.3,scenario.goal,scenario.maxTurns,turns',
        'gap,hi,,later,,,',
        'blank,hi,   ,,,,',
        'nogoal,,,,,3,',
        'zero,,,,g,0,',
        'word,,,,g,four,',
        'notjson,,,,,,hello',
        '',
      ].join('\n'),
    );
    expect(message).toContain('cases.csv:2: column 4 "turn.3": turn 2 has no user message (turn.2 is empty) but a later turn column is filled');
    expect(errors).toContainEqual({ line: 2, field: 'turn.2', message: 'column 4 "turn.3": turn 2 has no user message (turn.2 is empty) but a later turn column is filled' });
    expect(errors).toContainEqual({ line: 3, field: 'turns.1.user', message: 'turns.1.user: a turn needs a non-empty "user" message (column 3 "turn.2")' });
    expect(errors).toContainEqual({ line: 4, field: 'scenario.goal', message: 'scenario.goal is required: what the simulated user wants to achieve' });
    expect(errors).toContainEqual({ line: 5, field: 'scenario.maxTurns', message: 'scenario.maxTurns: maxTurns must be at least 1 (column 6 "scenario.maxTurns")' });
    expect(errors).toContainEqual({ line: 6, field: 'scenario.maxTurns', message: 'column 6 "scenario.maxTurns": maxTurns must be a whole number, got "four"' });
    expect(errors.find((e) => e.line === 7)?.message).toMatch(/^column 7 "turns": must hold a JSON array of turns/);
  });

  it('refuses unknown conversation columns in the header, naming them', () => {
    const { errors } = errorOf(['id,turn.0,scenario.gaol', 'a,hi,x', ''].join('\n'));
    expect(errors).toEqual([
      { line: 1, field: 'turn.0', message: 'column 2 "turn.0": a turn column is turn.N or turn.N.expected with N = 1, 2, …' },
      { line: 1, field: 'scenario.gaol', message: expect.stringMatching(/^column 3 "scenario.gaol": allowed scenario columns are scenario.goal/) },
    ]);
  });
});
