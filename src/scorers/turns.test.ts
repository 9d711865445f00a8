import { describe, expect, it } from 'vitest';
import { sessionInput, singleInput, transcriptOf } from '../../test/support/transcript-fixtures.js';
import { importModule } from '../config/import-module.js';
import { createScorer } from './create-scorer.js';

const deps = { baseDir: process.cwd(), importModule };
const turns = (n: number) => transcriptOf(Array.from({ length: n }, (_, i) => ({ user: `message ${i}`, assistant: `answer ${i}` })));

describe('turnsScorer', () => {
  it('passes at the bound and fails one turn past it', async () => {
    const scorer = await createScorer({ type: 'turns', max: 3 }, deps);
    expect(await scorer.score(sessionInput(turns(3)))).toMatchObject({ status: 'scored', pass: true, value: 1, reason: '3 turns (max 3)' });
    expect(await scorer.score(sessionInput(turns(4)))).toMatchObject({ status: 'scored', pass: false, value: 0, reason: '4 turns (max 3)' });
  });

  it('is skipped, never passed, on a result that is not a conversation', async () => {
    const s = await (await createScorer({ type: 'turns', max: 3 }, deps)).score(singleInput());
    expect(s).toMatchObject({ status: 'skipped', pass: null });
    expect(s.reason).toContain('not a conversation');
  });

  it('fails an empty conversation and an errored one, though both are short', async () => {
    const scorer = await createScorer({ type: 'turns', max: 10 }, deps);
    expect(await scorer.score(sessionInput(transcriptOf([])))).toMatchObject({ status: 'scored', pass: false, reason: 'the conversation has no turn' });
    const errored = transcriptOf([{ user: 'hi', assistant: 'hello' }, { user: 'refund?', error: 'HTTP 500' }]);
    const s = await scorer.score(sessionInput(errored));
    expect(s).toMatchObject({ status: 'scored', pass: false });
    expect(s.reason).toBe('the conversation ended in a target error on turn 2: HTTP 500');
  });

  it('reads the transcript from the output when the input carries none (a stored result)', async () => {
    const { transcript: _t, ...stored } = sessionInput(turns(5));
    expect(await (await createScorer({ type: 'turns', max: 4 }, deps)).score(stored)).toMatchObject({ pass: false });
  });

  it('refuses max < 1 and a `not` (an inverted session verdict would pass an errored conversation)', async () => {
    const { ScorerConfigSchema } = await import('../core/scorer-config.js');
    expect(ScorerConfigSchema.safeParse({ type: 'turns', max: 0 }).success).toBe(false);
    expect(ScorerConfigSchema.safeParse({ type: 'turns', max: 3, not: true }).success).toBe(false);
  });
});
