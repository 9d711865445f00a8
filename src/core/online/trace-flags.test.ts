import { describe, expect, it } from 'vitest';
import { lexicalCosine } from '../text-similarity.js';
import { DEFAULT_FLAGS, type FlagSpec, FlagSpecSchema, type TraceFacts, isFrustrated, judgeIsUnsure, traceFlags } from './trace-flags.js';

/** A quiet trace: no flag holds for it. */
function facts(overrides: Partial<TraceFacts> = {}): TraceFacts {
  return { traceId: 't1', userText: 'What are your opening hours?', hasError: false, negativeFeedback: false, sessionTraces: 1, earlierUserTexts: [], ...overrides };
}

const spec = (input: unknown): FlagSpec => FlagSpecSchema.parse(input);

describe('traceFlags', () => {
  it('raises no flag on a quiet trace with the default flags', () => {
    expect(traceFlags(facts(), DEFAULT_FLAGS)).toEqual([]);
  });

  describe('error', () => {
    it('holds when a span errored and not otherwise', () => {
      expect(traceFlags(facts({ hasError: true }), [spec({ kind: 'error' })])).toEqual(['error']);
      expect(traceFlags(facts({ hasError: false }), [spec({ kind: 'error' })])).toEqual([]);
    });
  });

  describe('negative_feedback', () => {
    it('holds on negative feedback and not otherwise', () => {
      expect(traceFlags(facts({ negativeFeedback: true }), [spec({ kind: 'negative_feedback' })])).toEqual(['negative_feedback']);
      expect(traceFlags(facts({ negativeFeedback: false }), [spec({ kind: 'negative_feedback' })])).toEqual([]);
    });
  });

  describe('long_session', () => {
    it('holds from minTraces traces in the session on, not one before', () => {
      const s = spec({ kind: 'long_session', minTraces: 5 });
      expect(traceFlags(facts({ sessionTraces: 4 }), [s])).toEqual([]);
      expect(traceFlags(facts({ sessionTraces: 5 }), [s])).toEqual(['long_session']);
      expect(traceFlags(facts({ sessionTraces: 50 }), [s])).toEqual(['long_session']);
    });
    it('defaults minTraces to 8', () => {
      const s = spec({ kind: 'long_session' });
      expect(traceFlags(facts({ sessionTraces: 7 }), [s])).toEqual([]);
      expect(traceFlags(facts({ sessionTraces: 8 }), [s])).toEqual(['long_session']);
    });
  });

  describe('repeated_question', () => {
    const now = 'How do I reset my password please';
    const earlier = 'how do I reset my password';
    // By hand: 7 distinct tokens against 6 of them, each once: cosine = 6 / (√7 · √6) = 6/√42 ≈ 0.9258.
    const cosine = lexicalCosine(now, earlier);

    it('measures the two texts as the hand-computed cosine', () => {
      expect(cosine).toBeCloseTo(6 / Math.sqrt(42), 12);
    });
    it('holds when the cosine reaches the similarity, and not just above it', () => {
      expect(traceFlags(facts({ userText: now, earlierUserTexts: [earlier] }), [spec({ kind: 'repeated_question', similarity: cosine })])).toEqual(['repeated_question']);
      expect(traceFlags(facts({ userText: now, earlierUserTexts: [earlier] }), [spec({ kind: 'repeated_question', similarity: cosine + 1e-9 })])).toEqual([]);
    });
    it('holds at the default similarity 0.9 when any earlier message is that close', () => {
      const s = spec({ kind: 'repeated_question' });
      expect(traceFlags(facts({ userText: now, earlierUserTexts: ['where is my parcel', earlier] }), [s])).toEqual(['repeated_question']);
      expect(traceFlags(facts({ userText: now, earlierUserTexts: ['where is my parcel'] }), [s])).toEqual([]);
    });
    it('does not hold without a user message, or on the first trace of a session', () => {
      const s = spec({ kind: 'repeated_question' });
      expect(traceFlags(facts({ userText: undefined, earlierUserTexts: [earlier] }), [s])).toEqual([]);
      expect(traceFlags(facts({ userText: '   ', earlierUserTexts: ['   '] }), [s])).toEqual([]);
      expect(traceFlags(facts({ userText: now, earlierUserTexts: [] }), [s])).toEqual([]);
    });
    it('skips blank earlier messages, which a wordless message would otherwise match (cosine of two wordless texts is 1)', () => {
      expect(lexicalCosine('...', '  ')).toBe(1);
      expect(traceFlags(facts({ userText: '...', earlierUserTexts: ['  '] }), [spec({ kind: 'repeated_question' })])).toEqual([]);
    });
  });

  describe('frustration', () => {
    it('holds on a frustrated message and not on a calm one or without a message', () => {
      const s = spec({ kind: 'frustration' });
      expect(traceFlags(facts({ userText: 'No, that is wrong.' }), [s])).toEqual(['frustration']);
      expect(traceFlags(facts({ userText: 'Thanks, that helps.' }), [s])).toEqual([]);
      expect(traceFlags(facts({ userText: undefined }), [s])).toEqual([]);
    });
    it('passes its extra patterns on', () => {
      expect(traceFlags(facts({ userText: 'I want a refund now' }), [spec({ kind: 'frustration', patterns: ['refund now'] })])).toEqual(['frustration']);
      expect(traceFlags(facts({ userText: 'I want a refund now' }), [spec({ kind: 'frustration' })])).toEqual([]);
    });
  });

  describe('low_judge_confidence', () => {
    it('never holds before scoring, even on a trace where every other flag holds', () => {
      const everything = facts({ userText: 'THIS IS USELESS?!', hasError: true, negativeFeedback: true, sessionTraces: 100, earlierUserTexts: ['THIS IS USELESS?!'] });
      expect(traceFlags(everything, [spec({ kind: 'low_judge_confidence' })])).toEqual([]);
    });
  });

  it('lists the flags that hold in the order of the specs, not a fixed order', () => {
    const everything = facts({ userText: 'this is useless', hasError: true, negativeFeedback: true, sessionTraces: 10, earlierUserTexts: ['this is useless'] });
    const specs = [
      spec({ kind: 'frustration' }),
      spec({ kind: 'low_judge_confidence' }),
      spec({ kind: 'long_session' }),
      spec({ kind: 'negative_feedback' }),
      spec({ kind: 'repeated_question' }),
      spec({ kind: 'error' }),
    ];
    expect(traceFlags(everything, specs)).toEqual(['frustration', 'long_session', 'negative_feedback', 'repeated_question', 'error']);
    expect(traceFlags(everything, [...specs].reverse())).toEqual(['error', 'repeated_question', 'negative_feedback', 'long_session', 'frustration']);
  });
});

describe('isFrustrated', () => {
  it('finds the built-in phrases in any case and anywhere in the message', () => {
    expect(isFrustrated('This is useless.')).toBe(true);
    expect(isFrustrated('Useless')).toBe(true);
    expect(isFrustrated("hmm, that's not right, try again")).toBe(true);
    expect(isFrustrated('As I Already Told You, the order is 1234')).toBe(true);
    expect(isFrustrated('can I talk to a human')).toBe(true);
  });

  // The boundary rule: the characters either side of the phrase must not be a letter or a digit
  // (punctuation, spaces and the ends of the text are boundaries).
  it('matches phrases on word boundaries only: "useless" but not "uselessness", "notuseless" or "useless2"', () => {
    expect(isFrustrated('what a useless, answer')).toBe(true);
    expect(isFrustrated('(useless)')).toBe(true);
    expect(isFrustrated('the uselessness of it all')).toBe(false);
    expect(isFrustrated('it is notuseless')).toBe(false);
    expect(isFrustrated('see item useless2')).toBe(false);
  });

  it('counts shouting: at least 12 letters, all upper case', () => {
    expect(isFrustrated('ABCDEF GHIJKL')).toBe(true); // 12 letters
    expect(isFrustrated('WHY DOES THIS NOT WORK')).toBe(true);
    expect(isFrustrated('ABCDEF GHIJK')).toBe(false); // 11 letters
    expect(isFrustrated('ABCDEF GHIJKl')).toBe(false); // 12 letters, one lower case
    expect(isFrustrated('ABCDEF GHIJK 123456789')).toBe(false); // digits are not letters
  });

  it('counts "?!" and "!!" but not "??" or a lone mark', () => {
    expect(isFrustrated('why?!')).toBe(true);
    expect(isFrustrated('why!!')).toBe(true);
    expect(isFrustrated('why!?')).toBe(true);
    expect(isFrustrated('why??')).toBe(false);
    expect(isFrustrated('why? no!')).toBe(false);
    expect(isFrustrated('why!')).toBe(false);
    expect(isFrustrated('Really?? Thanks!')).toBe(false); // the "!" is not in the run
  });

  it('finds a phrase at a later whole-word occurrence when an earlier one is inside a word', () => {
    expect(isFrustrated('uselessness aside, this is useless')).toBe(true);
    expect(isFrustrated('uselessness aside, this is fine')).toBe(false);
  });

  it('adds extra patterns, case-insensitive, on word boundaries, as literal text', () => {
    expect(isFrustrated('please refund now', ['Refund NOW'])).toBe(true);
    expect(isFrustrated('please refund now')).toBe(false);
    expect(isFrustrated('refund nowhere', ['refund now'])).toBe(false);
    expect(isFrustrated('abc', ['a.c'])).toBe(false);
    expect(isFrustrated('a.c', ['a.c'])).toBe(true);
  });

  it('does not flag a calm message', () => {
    expect(isFrustrated('Could you tell me the opening hours, please?')).toBe(false);
    expect(isFrustrated('')).toBe(false);
  });
});

describe('judgeIsUnsure', () => {
  const labels = ['poor', 'adequate', 'good', 'excellent'];
  const pass = ['good', 'excellent'];

  it('is unsure of an errored verdict, whatever its label', () => {
    expect(judgeIsUnsure({ status: 'errored', label: null }, labels, pass)).toBe(true);
    expect(judgeIsUnsure({ status: 'errored', label: 'excellent' }, labels, pass)).toBe(true);
  });
  it('is unsure of the lowest passing and the highest failing label', () => {
    expect(judgeIsUnsure({ status: 'scored', label: 'good' }, labels, pass)).toBe(true);
    expect(judgeIsUnsure({ status: 'scored', label: 'adequate' }, labels, pass)).toBe(true);
  });
  it('is sure of labels further from the boundary', () => {
    expect(judgeIsUnsure({ status: 'scored', label: 'poor' }, labels, pass)).toBe(false);
    expect(judgeIsUnsure({ status: 'scored', label: 'excellent' }, labels, pass)).toBe(false);
  });
  it('finds the boundary by the order of the labels, not of the pass list', () => {
    expect(judgeIsUnsure({ status: 'scored', label: 'good' }, labels, ['excellent', 'good'])).toBe(true);
    expect(judgeIsUnsure({ status: 'scored', label: 'excellent' }, labels, ['excellent', 'good'])).toBe(false);
  });
  it('is not unsure of an unknown label, a missing label, a verdict not scored, or pass labels outside the list', () => {
    expect(judgeIsUnsure({ status: 'scored', label: 'meh' }, labels, pass)).toBe(false);
    expect(judgeIsUnsure({ status: 'scored', label: null }, labels, pass)).toBe(false);
    expect(judgeIsUnsure({ status: 'scored', label: undefined }, labels, pass)).toBe(false);
    expect(judgeIsUnsure({ status: 'pending', label: 'good' }, labels, pass)).toBe(false);
    expect(judgeIsUnsure({ status: 'scored', label: 'good' }, labels, ['perfect'])).toBe(false);
  });
});
