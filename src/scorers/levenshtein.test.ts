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

describe('levenshteinScorer', () => {
  it('passes when the similarity reaches the threshold and uses it as the value', async () => {
    const s = await score({ type: 'levenshtein', value: 'kitten', threshold: 0.5 }, input('sitting'));
    expect(s.pass).toBe(true);
    expect(s.value).toBeCloseTo(1 - 3 / 7, 10);
  });

  it('fails below the threshold', async () => {
    const s = await score({ type: 'levenshtein', value: 'kitten', threshold: 0.8 }, input('sitting'));
    expect(s.pass).toBe(false);
    expect(s.value).toBeCloseTo(1 - 3 / 7, 10);
    expect(s.reason).toContain('< threshold 0.8');
  });

  it('passes an exact match at threshold 1', async () => {
    expect(await score({ type: 'levenshtein', value: 'Paris', threshold: 1 }, input('Paris'))).toMatchObject({ pass: true, value: 1 });
  });

  it('inverts with not: true, mirroring the value', async () => {
    const s = await score({ type: 'levenshtein', value: 'kitten', threshold: 0.5, not: true }, input('sitting'));
    expect(s.pass).toBe(false);
    expect(s.value).toBeCloseTo(3 / 7, 10);
  });

  it('renders templates and skips when the value renders empty', async () => {
    const config: ScorerConfig = { type: 'levenshtein', value: '{{expected.answer}}', threshold: 0.9 };
    expect((await score(config, input('Paris', { answer: 'Paris' }))).pass).toBe(true);
    expect((await score(config, input('Rome', { answer: 'Paris' }))).pass).toBe(false);
    expect((await score(config, input('Rome', {}))).status).toBe('skipped');
  });
});
