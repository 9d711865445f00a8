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
import { humanScorer } from './human.js';

describe('humanScorer', () => {
  it('skips every result as awaiting human review', async () => {
    const s = await score({ type: 'human', labels: ['bad', 'good'], pass: ['good'] }, input('anything'));
    expect(s).toMatchObject({ status: 'skipped', pass: null, value: null, reason: 'awaiting human review' });
  });

  it('refuses pass labels that are not among the labels', () => {
    expect(() => humanScorer({ type: 'human', labels: ['bad', 'good'], pass: ['great'] }, deps)).toThrow(EvalOpsError);
  });
});
