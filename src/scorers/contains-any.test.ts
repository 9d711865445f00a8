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

describe('containsAnyScorer', () => {
  it('passes when one of the values occurs and names it', async () => {
    const s = await score({ type: 'contains-any', values: ['refund', 'reimburse'] }, input('we will reimburse you'));
    expect(s).toMatchObject({ pass: true, value: 1 });
    expect(s.reason).toContain('"reimburse"');
  });

  it('fails when none occurs', async () => {
    expect((await score({ type: 'contains-any', values: ['refund', 'reimburse'] }, input('order shipped'))).pass).toBe(false);
  });

  it('inverts with not: true', async () => {
    expect((await score({ type: 'contains-any', values: ['damn', 'hell'], not: true }, input('what the hell'))).pass).toBe(false);
    expect((await score({ type: 'contains-any', values: ['damn', 'hell'], not: true }, input('hello'))).pass).toBe(false);
    expect((await score({ type: 'contains-any', values: ['damn', 'hell'], not: true }, input('fine'))).pass).toBe(true);
  });

  it('renders templates, drops those rendering empty, and skips when none is left', async () => {
    const config: ScorerConfig = { type: 'contains-any', values: ['{{expected.a}}', '{{expected.b}}'] };
    expect((await score(config, input('text with beta', { b: 'beta' }))).pass).toBe(true);
    expect((await score(config, input('text with gamma', { b: 'beta' }))).pass).toBe(false);
    expect((await score(config, input('text', {}))).status).toBe('skipped');
  });
});
