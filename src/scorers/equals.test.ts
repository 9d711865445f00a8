import { describe, expect, it } from 'vitest';
import { importModule } from '../config/import-module.js';
import { EvalOpsError } from '../core/errors.js';
import type { ScorerConfig } from '../core/scorer-config.js';
import { outputText } from '../core/target-output.js';
import { createScorer } from './create-scorer.js';
import { equalsScorer } from './equals.js';
import type { ScoreInput } from './scorer.js';

const deps = { baseDir: process.cwd(), importModule };
const input = (output: unknown, expected?: unknown): ScoreInput => ({
  example: { id: 'e1', input: {}, expected, metadata: {} },
  output,
  text: outputText(output),
  toolCalls: [],
  latencyMs: 1,
});
const score = async (config: ScorerConfig, i: ScoreInput) => (await createScorer(config, deps)).score(i);

describe('equalsScorer', () => {
  it('passes when the output text equals a string value exactly', async () => {
    const s = await score({ type: 'equals', value: 'Paris' }, input('Paris'));
    expect(s).toMatchObject({ status: 'scored', pass: true, value: 1 });
  });

  it('fails on a case or whitespace difference and says what it got', async () => {
    expect((await score({ type: 'equals', value: 'Paris' }, input('paris'))).pass).toBe(false);
    const s = await score({ type: 'equals', value: 'Paris' }, input('Paris\n'));
    expect(s).toMatchObject({ pass: false, value: 0 });
    expect(s.reason).toContain('expected "Paris"');
  });

  it('compares objects deeply, ignoring key order', async () => {
    const value = { a: 1, b: [1, { c: 2 }] };
    expect((await score({ type: 'equals', value }, input({ b: [1, { c: 2 }], a: 1 }))).pass).toBe(true);
    expect((await score({ type: 'equals', value }, input({ a: 1, b: [1, { c: 3 }] }))).pass).toBe(false);
  });

  it('parses a string output as JSON when the value is not a string', async () => {
    expect((await score({ type: 'equals', value: { a: 1 } }, input('{"a": 1}'))).pass).toBe(true);
    expect((await score({ type: 'equals', value: 42 }, input('42'))).pass).toBe(true);
    expect((await score({ type: 'equals', value: { a: 1 } }, input('not json'))).pass).toBe(false);
    expect((await score({ type: 'equals', value: 42 }, input('43'))).pass).toBe(false);
  });

  it('inverts with not: true', async () => {
    const s = await score({ type: 'equals', value: 'yes', not: true }, input('yes'));
    expect(s).toMatchObject({ pass: false, value: 0 });
    expect((await score({ type: 'equals', value: 'yes', not: true }, input('no'))).pass).toBe(true);
  });

  it('renders templates, and a whole-value template keeps the type it points at', async () => {
    expect((await score({ type: 'equals', value: 'order {{expected.id}}' }, input('order 7', { id: 7 }))).pass).toBe(true);
    expect((await score({ type: 'equals', value: '{{expected}}' }, input({ x: [1] }, { x: [1] }))).pass).toBe(true);
    expect((await score({ type: 'equals', value: '{{expected}}' }, input({ x: [2] }, { x: [1] }))).pass).toBe(false);
  });

  it('skips an example whose template renders empty', async () => {
    const s = await score({ type: 'equals', value: '{{expected.answer}}' }, input('', {}));
    expect(s).toMatchObject({ status: 'skipped', pass: null });
  });

  it('refuses a config without a value', () => {
    expect(() => equalsScorer({ type: 'equals', value: undefined }, deps)).toThrow(EvalOpsError);
  });

  it('has a version that changes with the value', () => {
    const a = equalsScorer({ type: 'equals', value: 'a' }, deps);
    const b = equalsScorer({ type: 'equals', value: 'b' }, deps);
    const a2 = equalsScorer({ type: 'equals', value: 'a' }, deps);
    expect(a).not.toBeInstanceOf(Promise);
    expect((a as { version: string }).version).toBe((a2 as { version: string }).version);
    expect((a as { version: string }).version).not.toBe((b as { version: string }).version);
  });
});
