import { describe, expect, it } from 'vitest';
import { importModule } from '../config/import-module.js';
import type { ScorerConfig } from '../core/scorer-config.js';
import { outputText, type ToolCall } from '../core/target-output.js';
import { createScorer } from './create-scorer.js';
import type { ScoreInput } from './scorer.js';

const deps = { baseDir: process.cwd(), importModule };
const input = (output: unknown, expected?: unknown, extra: Partial<ScoreInput> = {}): ScoreInput => ({
  example: { id: 'e1', input: { lang: 'en' }, expected, metadata: { tier: 'gold' } },
  output,
  text: outputText(output),
  toolCalls: [] as ToolCall[],
  latencyMs: 1,
  ...extra,
});
const score = async (config: ScorerConfig, i: ScoreInput) => (await createScorer(config, deps)).score(i);
import { EvalOpsError } from '../core/errors.js';
import { lengthScorer } from './length.js';

describe('lengthScorer', () => {
  it('passes within word and character bounds, inclusive', async () => {
    const config: ScorerConfig = { type: 'length', minWords: 2, maxWords: 3, minChars: 7, maxChars: 12 };
    expect((await score(config, input('one two'))).pass).toBe(true);
    expect((await score(config, input('one  two\nsix'))).pass).toBe(true); // 3 words, 12 characters
    expect((await score(config, input('one  two\nsixx'))).pass).toBe(false); // 13 characters
  });

  it('fails outside the bounds and says which', async () => {
    const tooLong = await score({ type: 'length', maxWords: 3 }, input('one two three four'));
    expect(tooLong).toMatchObject({ pass: false, value: 0 });
    expect(tooLong.reason).toBe('4 words > maxWords 3');
    const tooShort = await score({ type: 'length', minChars: 5 }, input('abc'));
    expect(tooShort.reason).toBe('3 characters < minChars 5');
    expect((await score({ type: 'length', minWords: 1 }, input(''))).pass).toBe(false);
  });

  it('counts characters as code points', async () => {
    expect((await score({ type: 'length', maxChars: 2 }, input('😀😀'))).pass).toBe(true);
    expect((await score({ type: 'length', maxChars: 1 }, input('😀😀'))).pass).toBe(false);
  });

  it('inverts with not: true', async () => {
    expect((await score({ type: 'length', maxWords: 2, not: true }, input('a b'))).pass).toBe(false);
    expect((await score({ type: 'length', maxWords: 2, not: true }, input('a b c'))).pass).toBe(true);
  });

  it('refuses a config without bounds or with min above max', () => {
    expect(() => lengthScorer({ type: 'length' }, deps)).toThrow(EvalOpsError);
    expect(() => lengthScorer({ type: 'length', minWords: 5, maxWords: 2 }, deps)).toThrow(/minWords/);
    expect(() => lengthScorer({ type: 'length', minChars: 5, maxChars: 2 }, deps)).toThrow(/minChars/);
  });
});
