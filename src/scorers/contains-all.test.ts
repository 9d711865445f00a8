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

describe('containsAllScorer', () => {
  it('passes when every value occurs', async () => {
    expect((await score({ type: 'contains-all', values: ['order', '42'] }, input('order 42 refunded'))).pass).toBe(true);
  });

  it('fails when one is missing and lists the missing ones', async () => {
    const s = await score({ type: 'contains-all', values: ['order', '42', 'refund'] }, input('order 43 refunded'));
    expect(s).toMatchObject({ pass: false, value: 0 });
    expect(s.reason).toContain('["42"]');
  });

  it('inverts with not: true', async () => {
    expect((await score({ type: 'contains-all', values: ['a', 'b'], not: true }, input('a b'))).pass).toBe(false);
    expect((await score({ type: 'contains-all', values: ['a', 'b'], not: true }, input('a'))).pass).toBe(true);
  });

  it('renders templates and skips when every template renders empty', async () => {
    const config: ScorerConfig = { type: 'contains-all', values: ['{{expected.id}}', 'refund'] };
    expect((await score(config, input('refund for 42', { id: 42 }))).pass).toBe(true);
    expect((await score(config, input('refund for 41', { id: 42 }))).pass).toBe(false);
    expect((await score({ type: 'contains-all', values: ['{{expected.id}}'] }, input('x', {}))).status).toBe('skipped');
  });
});
