import { describe, expect, it } from 'vitest';
import { DEFAULT_SESSION_FLAGS, normaliseMessage, sessionFlags, SessionFlagSpecSchema } from './session-flags.js';

const session = (users: string[]) => ({ turns: users.map((user, index) => ({ index, user, output: '', text: '', toolCalls: [], latencyMs: 0 })) });

describe('sessionFlags', () => {
  it('flags a session longer than maxTurns, and not one of exactly maxTurns', () => {
    const long = [{ kind: 'long' as const, maxTurns: 3 }];
    expect(sessionFlags(session(['a', 'b', 'c']), long)).toEqual([]);
    expect(sessionFlags(session(['a', 'b', 'c', 'd']), long)).toEqual(['long']);
  });

  it('flags a user message sent twice, ignoring case, punctuation and spacing', () => {
    expect(sessionFlags(session(['Where is my refund?', 'where is   my refund!!']), [{ kind: 'repeated_message' }])).toEqual(['repeated_message']);
    expect(sessionFlags(session(['Where is my refund?', 'Where is my order?']), [{ kind: 'repeated_message' }])).toEqual([]);
    // Empty messages (only punctuation) are not repeats of each other.
    expect(sessionFlags(session(['?', '?']), [{ kind: 'repeated_message' }])).toEqual([]);
  });

  it('flags frustration by the lexicon, shouting and extra patterns', () => {
    const spec = [SessionFlagSpecSchema.parse({ kind: 'frustration', patterns: ['fed up'] })];
    expect(sessionFlags(session(['hello', 'I want to talk to a human']), spec)).toEqual(['frustration']);
    expect(sessionFlags(session(['I am fed up with this']), spec)).toEqual(['frustration']);
    expect(sessionFlags(session(['WHY IS THIS STILL NOT FIXED']), spec)).toEqual(['frustration']);
    expect(sessionFlags(session(['thanks, that helped']), spec)).toEqual([]);
  });

  it('returns the flags in spec order with the defaults', () => {
    const users = ['this is useless', ...Array.from({ length: 10 }, (_, i) => `question ${i}`), 'Question 3'];
    expect(sessionFlags(session(users), DEFAULT_SESSION_FLAGS)).toEqual(['long', 'repeated_message', 'frustration']);
  });

  it('normalises messages to lower-case words', () => {
    expect(normaliseMessage('  Héllo,   WORLD! ')).toBe('héllo world');
  });
});
