import { describe, expect, it } from 'vitest';
import { sessionInput, singleInput, transcriptOf } from '../../test/support/transcript-fixtures.js';
import { importModule } from '../config/import-module.js';
import { createScorer } from './create-scorer.js';
import { frustrationSignals } from './frustration.js';

const deps = { baseDir: process.cwd(), importModule };
const kinds = (...messages: string[]) => frustrationSignals(messages).map((s) => `${s.turn}:${s.kind}`);

describe('frustrationSignals', () => {
  it('finds each documented kind of signal', () => {
    expect(kinds('I already told you my order number')).toEqual(['0:phrase']);
    expect(kinds('Let me talk to a human please')).toEqual(['0:escalation']);
    expect(kinds('agent')).toEqual(['0:escalation']);
    expect(kinds('THIS IS WRONG')).toEqual(['0:caps']);
    expect(kinds('Where is my refund?!')).toEqual(['0:punctuation']);
    expect(kinds('My order number is 1234', 'My order number is 1234')).toEqual(['1:repeat']);
  });

  it('finds nothing in a calm customer, order codes in capitals and polite thanks included', () => {
    expect(kinds('Hi, I would like a refund for order ORD-1234.', 'It arrived broken, the KETTLE lid is cracked.', 'Thanks, that is all!')).toEqual([]);
  });

  it('matches phrases on word boundaries only', () => {
    expect(kinds('The worstead scarf')).toEqual([]);
    expect(kinds('This is the worst service')).toEqual(['0:phrase']);
  });

  it('counts several kinds in one message', () => {
    expect(kinds('THIS IS RIDICULOUS!! Get me a manager')).toEqual(['0:phrase', '0:escalation', '0:caps', '0:punctuation']);
  });
});

describe('frustrationScorer', () => {
  it('fails a session with signals, listing them by turn, with value 1/(1+n)', async () => {
    const t = transcriptOf([
      { user: 'I want a refund for order 1234', assistant: 'What is your order number?' },
      { user: 'I already told you. Can I speak to a human?', assistant: 'What is your order number?' },
    ]);
    const s = await (await createScorer({ type: 'frustration' }, deps)).score(sessionInput(t));
    expect(s).toMatchObject({ status: 'scored', pass: false, value: 1 / 3 });
    expect(s.reason).toContain('2 frustration signals (max 0): turn 2 phrase "already told you"; turn 2 escalation');
  });

  it('passes within maxSignals and a calm session', async () => {
    const calm = transcriptOf([{ user: 'Refund order 1234 please', assistant: 'Done.' }]);
    expect(await (await createScorer({ type: 'frustration' }, deps)).score(sessionInput(calm))).toMatchObject({ pass: true, value: 1, reason: 'no frustration signal' });
    const one = transcriptOf([{ user: 'Where is my refund?!', assistant: 'On its way.' }]);
    expect((await (await createScorer({ type: 'frustration', maxSignals: 1 }, deps)).score(sessionInput(one))).pass).toBe(true);
  });

  it('only reads the user: an assistant saying "agent" or shouting is not the user being frustrated', async () => {
    const t = transcriptOf([{ user: 'Refund order 1234 please', assistant: 'I AM AN AGENT!! This is terrible, useless.' }]);
    expect((await (await createScorer({ type: 'frustration' }, deps)).score(sessionInput(t))).pass).toBe(true);
  });

  it('fails an errored conversation (the calm user never saw an answer) and skips a single-turn result', async () => {
    const scorer = await createScorer({ type: 'frustration' }, deps);
    expect(await scorer.score(sessionInput(transcriptOf([{ user: 'Refund please', error: 'ECONNREFUSED' }])))).toMatchObject({ status: 'scored', pass: false });
    expect(await scorer.score(sessionInput(transcriptOf([])))).toMatchObject({ status: 'scored', pass: false });
    expect(await scorer.score(singleInput('THIS IS RIDICULOUS!!'))).toMatchObject({ status: 'skipped' });
  });
});
