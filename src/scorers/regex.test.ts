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
import { EvalOpsError } from '../core/errors.js';
import { regexScorer } from './regex.js';

describe('regexScorer', () => {
  it('passes when the pattern matches somewhere and reports the match', async () => {
    const s = await score({ type: 'regex', pattern: 'order #\\d+' }, input('See order #123 please'));
    expect(s).toMatchObject({ pass: true, value: 1 });
    expect(s.reason).toContain('"order #123"');
  });

  it('fails when the pattern does not match', async () => {
    expect((await score({ type: 'regex', pattern: '^order #\\d+$' }, input('See order #123'))).pass).toBe(false);
  });

  it('applies flags', async () => {
    expect((await score({ type: 'regex', pattern: '^ORDER', flags: 'im' }, input('hi\norder 1'))).pass).toBe(true);
    expect((await score({ type: 'regex', pattern: '^ORDER' }, input('hi\norder 1'))).pass).toBe(false);
  });

  it('gives the same verdict on every call even with the g flag', async () => {
    const scorer = await createScorer({ type: 'regex', pattern: 'a', flags: 'g' }, deps);
    const results = [];
    for (let i = 0; i < 3; i++) results.push((await scorer.score(input('xa'))).pass);
    expect(results).toEqual([true, true, true]);
  });

  it('inverts with not: true', async () => {
    expect((await score({ type: 'regex', pattern: '\\d{16}', not: true }, input('card 4111111111111111'))).pass).toBe(false);
    expect((await score({ type: 'regex', pattern: '\\d{16}', not: true }, input('no card'))).pass).toBe(true);
  });

  it('renders templates into the pattern per example', async () => {
    const config: ScorerConfig = { type: 'regex', pattern: '#{{expected.id}}\\b' };
    expect((await score(config, input('order #12 ok', { id: 12 }))).pass).toBe(true);
    expect((await score(config, input('order #123 ok', { id: 12 }))).pass).toBe(false);
  });

  it('gives an errored score when a rendered pattern is invalid', async () => {
    const s = await score({ type: 'regex', pattern: '{{expected.p}}' }, input('x', { p: '(' }));
    expect(s).toMatchObject({ status: 'errored', pass: null });
    expect(s.reason).toContain('not a valid regex');
  });

  it('throws a config error at factory time for an invalid fixed pattern', () => {
    let caught: unknown;
    try {
      regexScorer({ type: 'regex', pattern: '(unclosed' }, deps);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(EvalOpsError);
    expect((caught as EvalOpsError).code).toBe('config');
  });
});
