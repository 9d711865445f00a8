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

describe('latencyScorer', () => {
  it('passes at or under the bound', async () => {
    expect((await score({ type: 'latency', maxMs: 500 }, input('x', undefined, { latencyMs: 500 }))).pass).toBe(true);
    expect((await score({ type: 'latency', maxMs: 500 }, input('x', undefined, { latencyMs: 12 }))).pass).toBe(true);
  });

  it('fails over the bound', async () => {
    const s = await score({ type: 'latency', maxMs: 500 }, input('x', undefined, { latencyMs: 501 }));
    expect(s).toMatchObject({ pass: false, value: 0, reason: '501 ms > 500 ms' });
  });

  it('inverts with not: true', async () => {
    expect((await score({ type: 'latency', maxMs: 500, not: true }, input('x', undefined, { latencyMs: 10 }))).pass).toBe(false);
  });
});
