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

const calls = (...names: string[]) => withCalls(names.map((n) => call(n)));

describe('toolSequenceScorer', () => {
  it('passes when the names occur in order, other calls between allowed', async () => {
    expect((await score({ type: 'tool-sequence', names: ['lookup', 'refund'] }, calls('auth', 'lookup', 'log', 'refund', 'notify'))).pass).toBe(true);
  });

  it('fails when the order is wrong or a name is missing', async () => {
    const s = await score({ type: 'tool-sequence', names: ['lookup', 'refund'] }, calls('refund', 'lookup'));
    expect(s).toMatchObject({ pass: false, value: 0 });
    expect(s.reason).toContain('called: ["refund","lookup"]');
    expect((await score({ type: 'tool-sequence', names: ['lookup', 'refund'] }, calls('lookup'))).pass).toBe(false);
    expect((await score({ type: 'tool-sequence', names: ['a', 'a'] }, calls('a'))).pass).toBe(false);
  });

  it('with strict: true requires the names to be contiguous', async () => {
    const config: ScorerConfig = { type: 'tool-sequence', names: ['lookup', 'refund'], strict: true };
    expect((await score(config, calls('auth', 'lookup', 'refund', 'notify'))).pass).toBe(true);
    expect((await score(config, calls('lookup', 'log', 'refund'))).pass).toBe(false);
    expect((await score(config, calls('lookup', 'log', 'lookup', 'refund'))).pass).toBe(true);
  });

  it('inverts with not: true', async () => {
    expect((await score({ type: 'tool-sequence', names: ['a', 'b'], not: true }, calls('a', 'b'))).pass).toBe(false);
    expect((await score({ type: 'tool-sequence', names: ['a', 'b'], not: true }, calls('b', 'a'))).pass).toBe(true);
  });

  it('renders templates, expands a placeholder pointing at an array, and skips when nothing is left', async () => {
    const config: ScorerConfig = { type: 'tool-sequence', names: ['auth', '{{expected.tools}}'] };
    const i = (expected: unknown, ...names: string[]) => ({ ...calls(...names), example: { id: 'e', input: {}, expected, metadata: {} } });
    expect((await score(config, i({ tools: ['lookup', 'refund'] }, 'auth', 'lookup', 'refund'))).pass).toBe(true);
    expect((await score(config, i({ tools: ['lookup', 'refund'] }, 'auth', 'refund', 'lookup'))).pass).toBe(false);
    expect((await score({ type: 'tool-sequence', names: ['{{expected.tools}}'] }, i({}, 'auth'))).status).toBe('skipped');
  });
});

describe('toolSequenceScorer across a conversation', () => {
  it('checks the order over every call of the session, across turns', async () => {
    const { sessionInput, transcriptOf } = await import('../../test/support/transcript-fixtures.js');
    const t = transcriptOf([
      { user: 'refund order 1234', assistant: 'Let me look.', toolCalls: [call('lookup_order')] },
      { user: 'yes, refund it', assistant: 'Refund issued.', toolCalls: [call('issue_refund')] },
    ]);
    expect((await score({ type: 'tool-sequence', names: ['lookup_order', 'issue_refund'], strict: true }, sessionInput(t))).pass).toBe(true);
    expect((await score({ type: 'tool-sequence', names: ['issue_refund', 'lookup_order'] }, sessionInput(t))).pass).toBe(false);
  });
});
