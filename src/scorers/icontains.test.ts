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

describe('icontainsScorer', () => {
  it('passes whatever the case', async () => {
    expect((await score({ type: 'icontains', value: 'REFUND' }, input('Your Refund is ready'))).pass).toBe(true);
    expect((await score({ type: 'icontains', value: 'ÉTÉ' }, input('cet été'))).pass).toBe(true);
  });

  it('fails when the value is absent in any case', async () => {
    expect(await score({ type: 'icontains', value: 'refund' }, input('Your order shipped'))).toMatchObject({ pass: false, value: 0 });
  });

  it('inverts with not: true', async () => {
    expect((await score({ type: 'icontains', value: 'sorry', not: true }, input('SORRY'))).pass).toBe(false);
  });

  it('renders templates and lowercases the rendered value', async () => {
    expect((await score({ type: 'icontains', value: '{{expected.k}}' }, input('ORDER 12 shipped', { k: 'Order 12' }))).pass).toBe(true);
    expect((await score({ type: 'icontains', value: '{{expected.k}}' }, input('ORDER 13 shipped', { k: 'Order 12' }))).pass).toBe(false);
    expect((await score({ type: 'icontains', value: '{{expected.k}}' }, input('ORDER 13', {}))).status).toBe('skipped');
  });
});
