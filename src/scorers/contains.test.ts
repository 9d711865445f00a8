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

describe('containsScorer', () => {
  it('passes when the output text contains the value', async () => {
    expect(await score({ type: 'contains', value: 'refund' }, input('Your refund is on its way'))).toMatchObject({ status: 'scored', pass: true, value: 1 });
  });

  it('fails when the value is absent, and is case sensitive', async () => {
    const s = await score({ type: 'contains', value: 'Refund' }, input('your refund is on its way'));
    expect(s).toMatchObject({ pass: false, value: 0 });
    expect(s.reason).toContain('"Refund" not found');
  });

  it('searches the JSON text of a non-string output', async () => {
    expect((await score({ type: 'contains', value: '"status":"ok"' }, input({ status: 'ok' }))).pass).toBe(true);
  });

  it('inverts with not: true', async () => {
    expect((await score({ type: 'contains', value: 'sorry', not: true }, input('sorry, no'))).pass).toBe(false);
    expect((await score({ type: 'contains', value: 'sorry', not: true }, input('done'))).pass).toBe(true);
  });

  it('renders templates from expected, input and metadata', async () => {
    const config: ScorerConfig = { type: 'contains', value: '{{expected.keyword}}-{{input.lang}}-{{metadata.tier}}' };
    expect((await score(config, input('x refund-en-gold y', { keyword: 'refund' }))).pass).toBe(true);
    expect((await score(config, input('x refund-en-gold y', { keyword: 'return' }))).pass).toBe(false);
  });

  it('skips an example whose templated value renders empty instead of passing it trivially', async () => {
    const s = await score({ type: 'contains', value: '{{expected.keyword}}' }, input('anything', {}));
    expect(s).toMatchObject({ status: 'skipped', pass: null, value: null });
  });

  it('leaves a skipped score alone under not: true', async () => {
    const s = await score({ type: 'contains', value: '{{expected.keyword}}', not: true }, input('anything', {}));
    expect(s.status).toBe('skipped');
  });
});
