import { describe, expect, it } from 'vitest';
import type { Example } from '../core/example.js';
import { expectedCalls, jobOrder } from './job-order.js';

const single = (id: string): Example => ({ id, input: id, metadata: {}, slices: [], source: 'manual' });
const scenario = (id: string, maxTurns: number, opening?: string): Example => ({
  ...single(id),
  conversation: { kind: 'scenario', scenario: { persona: 'p', goal: 'g', facts: {}, maxTurns, ...(opening === undefined ? {} : { opening }) } },
});
const scripted = (id: string, turns: number): Example => ({ ...single(id), conversation: { kind: 'turns', turns: Array.from({ length: turns }, (_, i) => ({ user: `m${i}` })) } });

const ids = (examples: Example[], repeat: number): string[] => {
  const order = jobOrder(examples, repeat);
  return Array.from({ length: order.length }, (_, i) => `${order.at(i).example.id}/${order.at(i).trial}`);
};

describe('expectedCalls', () => {
  it('counts one call for a single-turn example, one per scripted turn, and opening + 2 per scenario turn', () => {
    expect(expectedCalls(undefined)).toBe(1);
    expect(expectedCalls(scripted('t', 4).conversation)).toBe(4);
    expect(expectedCalls(scenario('s', 3).conversation)).toBe(7);
    expect(expectedCalls(scenario('s', 3, 'Hi').conversation)).toBe(6);
  });
});

describe('jobOrder', () => {
  it('keeps single-turn examples in trial-major dataset order', () => {
    expect(ids([single('a'), single('b'), single('c')], 2)).toEqual(['a/0', 'b/0', 'c/0', 'a/1', 'b/1', 'c/1']);
  });

  it('starts the longest conversations first, then by trial, then in dataset order', () => {
    const examples = [scenario('s1', 1), single('x'), scenario('s6', 6), scripted('t4', 4), scenario('s6b', 6)];
    expect(ids(examples, 1)).toEqual(['s6/0', 's6b/0', 't4/0', 's1/0', 'x/0']);
    expect(ids(examples, 2)).toEqual(['s6/0', 's6b/0', 's6/1', 's6b/1', 't4/0', 't4/1', 's1/0', 's1/1', 'x/0', 'x/1']);
  });

  it('runs every example × trial exactly once', () => {
    const examples = Array.from({ length: 50 }, (_, i) => (i % 3 === 0 ? single(`e${i}`) : scenario(`e${i}`, 1 + (i % 6))));
    const all = ids(examples, 3);
    expect(all).toHaveLength(150);
    expect(new Set(all).size).toBe(150);
  });
});
