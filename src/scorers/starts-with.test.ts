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

describe('startsWithScorer', () => {
  it('passes when the output starts with the value', async () => {
    expect((await score({ type: 'starts-with', value: 'Dear' }, input('Dear Ada, thanks'))).pass).toBe(true);
  });

  it('fails when the value appears later, or after leading whitespace', async () => {
    const s = await score({ type: 'starts-with', value: 'Dear' }, input('Hello. Dear Ada'));
    expect(s).toMatchObject({ pass: false, value: 0 });
    expect(s.reason).toContain('not "Dear"');
    expect((await score({ type: 'starts-with', value: 'Dear' }, input(' Dear Ada'))).pass).toBe(false);
  });

  it('inverts with not: true', async () => {
    expect((await score({ type: 'starts-with', value: 'As an AI', not: true }, input('As an AI, no'))).pass).toBe(false);
    expect((await score({ type: 'starts-with', value: 'As an AI', not: true }, input('Sure!'))).pass).toBe(true);
  });

  it('renders templates', async () => {
    expect((await score({ type: 'starts-with', value: 'Dear {{expected.name}}' }, input('Dear Ada,', { name: 'Ada' }))).pass).toBe(true);
    expect((await score({ type: 'starts-with', value: 'Dear {{expected.name}}' }, input('Dear Bob,', { name: 'Ada' }))).pass).toBe(false);
    expect((await score({ type: 'starts-with', value: '{{expected.name}}' }, input('Dear Bob,', {}))).status).toBe('skipped');
  });
});
