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

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EvalOpsError } from '../core/errors.js';
import { toolArgsScorer } from './tool-args.js';

const refundSchema = {
  type: 'object',
  properties: { orderId: { type: 'string', pattern: '^A\\d+$' }, amount: { type: 'number', maximum: 100 } },
  required: ['orderId', 'amount'],
};

describe('toolArgsScorer', () => {
  it('passes when a call has every expected argument, extra keys allowed', async () => {
    const config: ScorerConfig = { type: 'tool-args', name: 'refund', arguments: { orderId: 'A1', amount: 20 } };
    const s = await score(config, withCalls([call('refund', { orderId: 'A1', amount: 20, note: 'x' })]));
    expect(s).toMatchObject({ pass: true, value: 1 });
  });

  it('fails on a wrong or missing argument and says which', async () => {
    const config: ScorerConfig = { type: 'tool-args', name: 'refund', arguments: { orderId: 'A1', amount: 20 } };
    const s = await score(config, withCalls([call('refund', { orderId: 'A2' })]));
    expect(s.pass).toBe(false);
    expect(s.reason).toContain('orderId: expected "A1", got "A2"');
    expect(s.reason).toContain('amount: missing');
  });

  it('compares nested values deeply', async () => {
    const config: ScorerConfig = { type: 'tool-args', name: 'search', arguments: { filter: { tags: ['a', 'b'], open: true } } };
    expect((await score(config, withCalls([call('search', { filter: { open: true, tags: ['a', 'b'] } })]))).pass).toBe(true);
    expect((await score(config, withCalls([call('search', { filter: { open: true, tags: ['b', 'a'] } })]))).pass).toBe(false);
  });

  it('passes when any one of several calls matches', async () => {
    const config: ScorerConfig = { type: 'tool-args', name: 'refund', arguments: { orderId: 'A1' } };
    expect((await score(config, withCalls([call('refund', { orderId: 'A9' }), call('refund', { orderId: 'A1' })]))).pass).toBe(true);
    const none = await score(config, withCalls([call('refund', { orderId: 'A9' }), call('refund', { orderId: 'A8' })]));
    expect(none.pass).toBe(false);
    expect(none.reason).toContain('none of 2');
  });

  it('fails when the tool was not called at all', async () => {
    const s = await score({ type: 'tool-args', name: 'refund', arguments: { orderId: 'A1' } }, withCalls([call('search', { orderId: 'A1' })]));
    expect(s.pass).toBe(false);
    expect(s.reason).toContain('was not called');
  });

  it('parses arguments recorded as a JSON string, and fails ones that are not JSON', async () => {
    const config: ScorerConfig = { type: 'tool-args', name: 'refund', arguments: { orderId: 'A1' } };
    expect((await score(config, withCalls([call('refund', '{"orderId":"A1"}')]))).pass).toBe(true);
    const bad = await score(config, withCalls([call('refund', '{orderId: A1')]));
    expect(bad.pass).toBe(false);
    expect(bad.reason).toContain('not JSON');
  });

  it('validates against a schema', async () => {
    const config: ScorerConfig = { type: 'tool-args', name: 'refund', schema: refundSchema };
    expect((await score(config, withCalls([call('refund', { orderId: 'A1', amount: 5 })]))).pass).toBe(true);
    const s = await score(config, withCalls([call('refund', { orderId: 'B1', amount: 500 })]));
    expect(s.pass).toBe(false);
    expect(s.reason).toContain('/orderId must match pattern');
    expect(s.reason).toContain('/amount must be <= 100');
  });

  it('requires both schema and arguments when both are given', async () => {
    const config: ScorerConfig = { type: 'tool-args', name: 'refund', schema: refundSchema, arguments: { orderId: 'A1' } };
    expect((await score(config, withCalls([call('refund', { orderId: 'A1', amount: 5 })]))).pass).toBe(true);
    expect((await score(config, withCalls([call('refund', { orderId: 'A1' })]))).pass).toBe(false);
    expect((await score(config, withCalls([call('refund', { orderId: 'A2', amount: 5 })]))).pass).toBe(false);
  });

  it('loads the schema from a file relative to baseDir', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evalops-tool-args-'));
    try {
      await writeFile(join(dir, 'refund.json'), JSON.stringify(refundSchema));
      const scorer = await createScorer({ type: 'tool-args', name: 'refund', schema: 'refund.json' }, { ...deps, baseDir: dir });
      expect((await scorer.score(withCalls([call('refund', { orderId: 'A1', amount: 5 })]))).pass).toBe(true);
      expect((await scorer.score(withCalls([call('refund', { orderId: 'A1' })]))).pass).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('inverts with not: true', async () => {
    const config: ScorerConfig = { type: 'tool-args', name: 'refund', arguments: { amount: 20 }, not: true };
    expect((await score(config, withCalls([call('refund', { amount: 20 })]))).pass).toBe(false);
    expect((await score(config, withCalls([call('refund', { amount: 21 })]))).pass).toBe(true);
  });

  it('renders templates in name and arguments, a whole placeholder keeping its type', async () => {
    const config: ScorerConfig = { type: 'tool-args', name: '{{expected.tool}}', arguments: { orderId: '{{expected.id}}', note: 'order {{expected.id}}' } };
    const expected = { tool: 'refund', id: 42 };
    expect((await score(config, withCalls([call('refund', { orderId: 42, note: 'order 42' })], expected))).pass).toBe(true);
    expect((await score(config, withCalls([call('refund', { orderId: '42', note: 'order 42' })], expected))).pass).toBe(false);
  });

  it('refuses a config with neither schema nor arguments, and an invalid schema', async () => {
    await expect(toolArgsScorer({ type: 'tool-args', name: 'refund' }, deps)).rejects.toBeInstanceOf(EvalOpsError);
    await expect(toolArgsScorer({ type: 'tool-args', name: 'refund', schema: { type: 'bogus' } }, deps)).rejects.toMatchObject({ code: 'config' });
  });
});
