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

describe('costScorer', () => {
  it('passes at or under the bound', async () => {
    expect((await score({ type: 'cost', maxUsd: 0.01 }, input('x', undefined, { costUsd: 0.01 }))).pass).toBe(true);
    expect((await score({ type: 'cost', maxUsd: 0.01 }, input('x', undefined, { costUsd: 0 }))).pass).toBe(true);
  });

  it('fails over the bound', async () => {
    expect(await score({ type: 'cost', maxUsd: 0.01 }, input('x', undefined, { costUsd: 0.02 }))).toMatchObject({ status: 'scored', pass: false, value: 0 });
  });

  it('skips a result with no recorded cost, with or without not: true', async () => {
    expect(await score({ type: 'cost', maxUsd: 0.01 }, input('x'))).toMatchObject({ status: 'skipped', pass: null, value: null });
    expect((await score({ type: 'cost', maxUsd: 0.01, not: true }, input('x'))).status).toBe('skipped');
  });

  it('inverts with not: true', async () => {
    expect((await score({ type: 'cost', maxUsd: 0.01, not: true }, input('x', undefined, { costUsd: 0.02 }))).pass).toBe(true);
  });
});
