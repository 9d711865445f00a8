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

const call = (name: string, args: unknown = {}): ToolCall => ({ name, arguments: args });
const withCalls = (calls: ToolCall[], expected?: unknown) => input('done', expected, { toolCalls: calls });

describe('toolNotCalledScorer', () => {
  it('passes when no call of that name is present', async () => {
    expect((await score({ type: 'tool-not-called', name: 'delete_account' }, withCalls([call('search')]))).pass).toBe(true);
    expect((await score({ type: 'tool-not-called', name: 'delete_account' }, withCalls([]))).pass).toBe(true);
  });

  it('fails when it was called, saying how often', async () => {
    const s = await score({ type: 'tool-not-called', name: 'refund' }, withCalls([call('refund'), call('refund')]));
    expect(s).toMatchObject({ pass: false, value: 0 });
    expect(s.reason).toBe('"refund" was called 2 times');
  });

  it('inverts with not: true', async () => {
    expect((await score({ type: 'tool-not-called', name: 'refund', not: true }, withCalls([]))).pass).toBe(false);
    expect((await score({ type: 'tool-not-called', name: 'refund', not: true }, withCalls([call('refund')]))).pass).toBe(true);
  });

  it('renders the name template and skips when it renders empty', async () => {
    const config: ScorerConfig = { type: 'tool-not-called', name: '{{metadata.forbidden}}' };
    const i = (calls: ToolCall[], forbidden?: string): ScoreInput => ({
      ...withCalls(calls),
      example: { id: 'e', input: {}, metadata: forbidden === undefined ? {} : { forbidden } },
    });
    expect((await score(config, i([call('refund')], 'refund'))).pass).toBe(false);
    expect((await score(config, i([call('refund')], 'wire'))).pass).toBe(true);
    expect((await score(config, i([call('refund')]))).status).toBe('skipped');
  });
});
