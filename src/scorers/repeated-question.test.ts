import { describe, expect, it } from 'vitest';
import { sessionInput, singleInput, transcriptOf } from '../../test/support/transcript-fixtures.js';
import { importModule } from '../config/import-module.js';
import type { ScorerConfigOf } from '../core/scorer-config.js';
import { createScorer } from './create-scorer.js';
import { questions, sameMessage } from './repeated-question.js';

const deps = { baseDir: process.cwd(), importModule };
const score = async (t: ReturnType<typeof transcriptOf>, over: Partial<ScorerConfigOf<'repeated-question'>> = {}) =>
  (await createScorer({ type: 'repeated-question', ...over }, deps)).score(sessionInput(t));

describe('questions', () => {
  it('splits the question sentences out of an answer', () => {
    expect(questions('Sure. What is your order number? And the email on file?')).toEqual(['What is your order number?', 'And the email on file?']);
    expect(questions('No question here.')).toEqual([]);
  });
});

describe('sameMessage', () => {
  it('ignores case, punctuation and filler words, and messages under 2 content words', () => {
    expect(sameMessage('What is your ORDER number?', 'what is your order number', 0.8)).toBe(true);
    expect(sameMessage('yes', 'yes', 0.8)).toBe(false);
    expect(sameMessage('What is your order number?', 'Could you tell me your order number?', 0.8)).toBe(true);
    expect(sameMessage('What is your order number?', 'What is your email address?', 0.8)).toBe(false);
  });
});

describe('repeatedQuestionScorer', () => {
  it('fails when the assistant asks for the order number again', async () => {
    const s = await score(
      transcriptOf([
        { user: 'I want a refund', assistant: 'Sure. What is your order number?' },
        { user: 'It is 1234', assistant: 'Thanks! Could you tell me your order number?' },
      ]),
    );
    expect(s).toMatchObject({ status: 'scored', pass: false });
    expect(s.reason).toContain('the assistant asked again on turn 2 (first on turn 1)');
  });

  it('fails when the user has to repeat a message', async () => {
    const s = await score(
      transcriptOf([
        { user: 'My order number is 1234', assistant: 'How can I help?' },
        { user: 'My order number is 1234!', assistant: 'Noted.' },
      ]),
    );
    expect(s).toMatchObject({ pass: false });
    expect(s.reason).toContain('the user repeated themselves on turn 2');
  });

  it('passes a conversation that moves on, and short repeated replies like "yes"', async () => {
    const s = await score(
      transcriptOf([
        { user: 'I want a refund', assistant: 'What is your order number?' },
        { user: '1234', assistant: 'Is it the kettle you bought on May 2?' },
        { user: 'yes', assistant: 'Shall I refund it to your card?' },
        { user: 'yes', assistant: 'Done: the refund is on its way.' },
      ]),
    );
    expect(s).toMatchObject({ status: 'scored', pass: true, reason: 'no question or message was repeated' });
  });

  it('checks one side only with `who`', async () => {
    const t = transcriptOf([
      { user: 'My order number is 1234', assistant: 'What is your order number?' },
      { user: 'My order number is 1234', assistant: 'What is your order number?' },
    ]);
    expect((await score(t, { who: 'assistant' })).reason).not.toContain('user repeated');
    expect((await score(t, { who: 'user' })).reason).not.toContain('assistant asked');
    expect((await score(t, { who: 'user' })).pass).toBe(false);
  });

  it('repeats within one turn do not count (a question restated in the same answer)', async () => {
    expect((await score(transcriptOf([{ user: 'refund', assistant: 'What is your order number? Again, what is your order number?' }]))).pass).toBe(true);
  });

  it('fails an errored conversation and skips a single-turn result', async () => {
    expect(await score(transcriptOf([{ user: 'refund', error: 'timeout' }]))).toMatchObject({ status: 'scored', pass: false });
    expect(await (await createScorer({ type: 'repeated-question' }, deps)).score(singleInput())).toMatchObject({ status: 'skipped' });
  });
});
