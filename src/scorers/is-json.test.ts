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

describe('isJsonScorer', () => {
  it('passes an object or array output', async () => {
    expect((await score({ type: 'is-json' }, input({ a: 1 }))).pass).toBe(true);
    expect((await score({ type: 'is-json' }, input([1, 2]))).pass).toBe(true);
  });

  it('passes a string that is plain JSON, surrounding whitespace allowed', async () => {
    expect((await score({ type: 'is-json' }, input(' {"a": [1, 2]}\n'))).pass).toBe(true);
    expect((await score({ type: 'is-json' }, input('"just a string"'))).pass).toBe(true);
  });

  it('fails prose, truncated JSON and fenced JSON', async () => {
    expect((await score({ type: 'is-json' }, input('Sure! {"a": 1}'))).pass).toBe(false);
    expect((await score({ type: 'is-json' }, input('{"a": 1'))).pass).toBe(false);
    const fenced = await score({ type: 'is-json' }, input('```json\n{"a": 1}\n```'));
    expect(fenced.pass).toBe(false);
    expect(fenced.reason).toContain('code fence');
  });

  it('fails a missing or null output', async () => {
    expect((await score({ type: 'is-json' }, input(undefined))).pass).toBe(false);
    expect((await score({ type: 'is-json' }, input(null))).pass).toBe(false);
  });

  it('inverts with not: true', async () => {
    expect((await score({ type: 'is-json', not: true }, input('{}'))).pass).toBe(false);
    expect((await score({ type: 'is-json', not: true }, input('plain words'))).pass).toBe(true);
  });
});
