import { describe, expect, it } from 'vitest';
import { contentHash } from '../core/hash.js';
import { normaliseExample } from './normalise-example.js';

function errorsOf(raw: unknown, line = 7) {
  const result = normaliseExample(raw, line);
  if (result.ok) throw new Error('expected the row to be refused');
  return result.errors;
}

describe('normaliseExample › conversations', () => {
  it('reads scripted turns into a conversation, input being the first user message', () => {
    const result = normaliseExample({ id: 'c1', turns: ['Hi, my kettle broke', { user: 'Order 1234', expected: { tool: 'refund' } }] }, 1);
    expect(result).toEqual({
      ok: true,
      example: {
        id: 'c1',
        input: 'Hi, my kettle broke',
        metadata: {},
        slices: [],
        source: 'manual',
        conversation: { kind: 'turns', turns: [{ user: 'Hi, my kettle broke' }, { user: 'Order 1234', expected: { tool: 'refund' } }] },
      },
    });
  });

  it('reads a scenario with defaults, input being the goal', () => {
    const result = normaliseExample({ id: 's1', scenario: { goal: 'get a refund for order 1234', facts: { order: '1234' } }, slices: ['intent:refund'] }, 1);
    expect(result.ok && result.example).toEqual({
      id: 's1',
      input: 'get a refund for order 1234',
      metadata: {},
      slices: ['intent:refund'],
      source: 'manual',
      conversation: { kind: 'scenario', scenario: { persona: 'a customer', goal: 'get a refund for order 1234', facts: { order: '1234' }, maxTurns: 6 } },
    });
  });

  it('derives a missing id from the whole conversation, not only the first message', () => {
    const a = normaliseExample({ turns: ['hi', 'order 1'] }, 1);
    const b = normaliseExample({ turns: ['hi', 'order 2'] }, 2);
    expect(a.ok && b.ok).toBe(true);
    expect(a.ok && a.example.id).toBe(`ex_${contentHash({ kind: 'turns', turns: [{ user: 'hi' }, { user: 'order 1' }] })}`);
    expect(a.ok && a.example.id).not.toBe(b.ok && b.example.id);
  });

  it('refuses an empty turn, naming its field', () => {
    expect(errorsOf({ id: 'x', turns: ['hi', { user: '   ' }] })).toEqual([{ line: 7, field: 'turns.1.user', message: 'turns.1.user: a turn needs a non-empty "user" message' }]);
    expect(errorsOf({ id: 'x', turns: ['hi', {}] })).toEqual([{ line: 7, field: 'turns.1.user', message: 'turns.1.user: a turn needs a non-empty "user" message' }]);
    expect(errorsOf({ id: 'x', turns: [] })).toEqual([{ line: 7, field: 'turns', message: 'turns: a conversation needs at least one turn' }]);
  });

  it('refuses a scenario without a goal', () => {
    expect(errorsOf({ id: 'x', scenario: { persona: 'angry' } })).toEqual([
      { line: 7, field: 'scenario.goal', message: 'scenario.goal is required: what the simulated user wants to achieve' },
    ]);
    expect(errorsOf({ id: 'x', scenario: { goal: ' ' } })).toEqual([{ line: 7, field: 'scenario.goal', message: 'scenario.goal: a scenario needs a non-empty "goal"' }]);
  });

  it('refuses maxTurns below 1 and not whole', () => {
    expect(errorsOf({ id: 'x', scenario: { goal: 'g', maxTurns: 0 } })).toEqual([{ line: 7, field: 'scenario.maxTurns', message: 'scenario.maxTurns: maxTurns must be at least 1' }]);
    expect(errorsOf({ id: 'x', scenario: { goal: 'g', maxTurns: 2.5 } })[0]?.field).toBe('scenario.maxTurns');
  });

  it('refuses misspelt fields inside a scenario or a turn instead of dropping them', () => {
    expect(errorsOf({ id: 'x', scenario: { goal: 'g', maxturns: 3 } })).toEqual([
      { line: 7, field: 'scenario.maxturns', message: 'unknown field "scenario.maxturns"; allowed: persona, goal, facts, maxTurns, opening, expected' },
    ]);
    expect(errorsOf({ id: 'x', turns: [{ user: 'hi', expect: 'x' }] })[0]?.field).toBe('turns.0.expect');
  });

  it('refuses turns together with a scenario, or with an input', () => {
    expect(errorsOf({ id: 'x', turns: ['hi'], scenario: { goal: 'g' } })[0]?.field).toBe('scenario');
    expect(errorsOf({ id: 'x', input: 'hi', turns: ['hi'] })).toEqual([
      { line: 7, field: 'input', message: 'a conversation row has no "input": it is taken from "turns" (the first user message or the goal)' },
    ]);
  });

  it('refuses turns that are not a list and a scenario that is not an object', () => {
    expect(errorsOf({ id: 'x', turns: 'hi' })[0]).toEqual({ line: 7, field: 'turns', message: 'turns must be a list of { user, expected? } (or of plain user messages)' });
    expect(errorsOf({ id: 'x', scenario: 'refund' })[0]).toEqual({ line: 7, field: 'scenario', message: 'scenario must be an object with at least a "goal", got string' });
  });
});

describe('normaliseExample › an already normalised conversation', () => {
  it('reads back what it printed, the same example', () => {
    const first = normaliseExample({ id: 's', scenario: { goal: 'refund', maxTurns: 2 } }, 1);
    if (!first.ok) throw new Error('expected the row to be read');
    expect(normaliseExample(JSON.parse(JSON.stringify(first.example)), 1)).toEqual(first);
  });

  it('checks it as strictly, naming conversation.* fields, and refuses an input that is not its own', () => {
    expect(errorsOf({ id: 'x', conversation: { kind: 'scenario', scenario: { goal: 'g', maxTurns: 0 } } })[0]?.field).toBe('conversation.scenario.maxTurns');
    expect(errorsOf({ id: 'x', input: 'other', conversation: { kind: 'turns', turns: [{ user: 'hi' }] } })[0]?.field).toBe('input');
    expect(errorsOf({ id: 'x', conversation: { kind: 'chat' } })[0]?.field).toBe('conversation');
  });
});
