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

describe('toolCalledScorer', () => {
  it('passes when a call of that name is present', async () => {
    expect((await score({ type: 'tool-called', name: 'refund' }, withCalls([call('search'), call('refund')]))).pass).toBe(true);
  });

  it('fails when it is absent, naming what was called', async () => {
    const s = await score({ type: 'tool-called', name: 'refund' }, withCalls([call('search'), call('Refund')]));
    expect(s).toMatchObject({ pass: false, value: 0 });
    expect(s.reason).toContain('["search","Refund"]');
    expect((await score({ type: 'tool-called', name: 'refund' }, withCalls([]))).reason).toContain('no tools were called');
  });

  it('inverts with not: true', async () => {
    expect((await score({ type: 'tool-called', name: 'refund', not: true }, withCalls([call('refund')]))).pass).toBe(false);
  });

  it('renders the name template and skips when it renders empty', async () => {
    const config: ScorerConfig = { type: 'tool-called', name: '{{expected.tool}}' };
    expect((await score(config, withCalls([call('lookup')], { tool: 'lookup' }))).pass).toBe(true);
    expect((await score(config, withCalls([call('lookup')], { tool: 'refund' }))).pass).toBe(false);
    expect((await score(config, withCalls([call('lookup')], {}))).status).toBe('skipped');
  });
});
