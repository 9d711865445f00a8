import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAIOptions, type FakeOpenAIServer, type FakeRequest } from '../../test/support/fake-openai-server.js';
import { importModule } from '../config/import-module.js';
import type { ScorerConfigOf } from '../core/scorer-config.js';
import { createModelPort } from '../models/ai-sdk-model-port.js';
import { judgeScorer } from './judge.js';
import type { ScoreInput, ScorerDeps } from './scorer.js';

let dir: string;
let server: FakeOpenAIServer | undefined;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evalops-judge-'));
  await writeFile(join(dir, 'helpfulness.md'), '# Helpfulness\nExcellent answers cite the refund policy.');
});
afterAll(() => rm(dir, { recursive: true, force: true }));
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const config = (over: Partial<ScorerConfigOf<'judge'>> = {}): ScorerConfigOf<'judge'> => ({
  type: 'judge',
  model: 'fake:judge-1',
  rubric: 'Is the answer helpful and polite?',
  labels: ['poor', 'adequate', 'excellent'],
  pass: ['adequate', 'excellent'],
  ...over,
});

const input = (over: Partial<ScoreInput> = {}): ScoreInput => ({
  example: { id: 'ex-1', input: { question: 'Can I get a refund?' }, expected: 'Yes, within 30 days.', metadata: {} },
  output: 'Yes, within 30 days of purchase.',
  text: 'Yes, within 30 days of purchase.',
  toolCalls: [{ name: 'lookup_policy', arguments: { topic: 'refund' } }],
  latencyMs: 10,
  ...over,
});

async function depsFor(options: FakeOpenAIOptions): Promise<ScorerDeps> {
  server = await startFakeOpenAI(options);
  return { baseDir: dir, importModule, models: createModelPort({ providers: { fake: { kind: 'openai-compatible', baseURL: server.url } }, env: {} }) };
}

const userPrompt = (call: FakeRequest): string => String(call.body?.messages?.find((m) => m.role === 'user')?.content);

describe('judgeScorer', () => {
  it('passes a pass label, with the ordered rank as value and the judge reason', async () => {
    const deps = await depsFor({ respond: () => ({ json: { label: 'excellent', reason: 'Cites the 30-day window.' } }) });
    const score = await (await judgeScorer(config(), deps)).score(input());

    expect(score).toMatchObject({ status: 'scored', pass: true, value: 1, label: 'excellent', reason: 'Cites the 30-day window.' });
  });

  it('gives the middle label of three the value 0.5', async () => {
    const deps = await depsFor({ respond: () => ({ json: { label: 'adequate', reason: 'ok' } }) });
    const score = await (await judgeScorer(config(), deps)).score(input());
    expect(score).toMatchObject({ status: 'scored', pass: true, value: 0.5, label: 'adequate' });
  });

  it('fails a label outside the pass set', async () => {
    const deps = await depsFor({ respond: () => ({ json: { label: 'poor', reason: 'Wrong policy.' } }) });
    const score = await (await judgeScorer(config(), deps)).score(input());

    expect(score).toMatchObject({ status: 'scored', pass: false, value: 0, label: 'poor', reason: 'Wrong policy.' });
  });

  it('scores 1/0 when the pass labels are not the top of the list', async () => {
    const deps = await depsFor({ respond: () => ({ json: { label: 'no', reason: 'r' } }) });
    const scorer = await judgeScorer(config({ labels: ['yes', 'no', 'unclear'], pass: ['yes'] }), deps);
    expect(await scorer.score(input())).toMatchObject({ pass: false, value: 0, label: 'no' });
  });

  it('shows rubric, labels, input, expected, output and tool calls to the model and asks for a schema-checked verdict', async () => {
    const deps = await depsFor({ respond: () => ({ json: { label: 'excellent', reason: 'r' } }) });
    await (await judgeScorer(config(), deps)).score(input());

    const call = server!.calls[0]!;
    const prompt = userPrompt(call);
    expect(prompt).toContain('Is the answer helpful and polite?');
    expect(prompt).toContain('poor, adequate, excellent (from worst to best)');
    expect(prompt).toContain('{"question":"Can I get a refund?"}');
    expect(prompt).toContain('<expected>\nYes, within 30 days.\n</expected>');
    expect(prompt).toContain('<output>\nYes, within 30 days of purchase.\n</output>');
    expect(prompt).toContain('1. lookup_policy {"topic":"refund"}');
    expect(call.body?.temperature).toBe(0);
    expect(call.body?.response_format?.json_schema?.schema).toMatchObject({
      properties: { label: { enum: ['poor', 'adequate', 'excellent'] }, reason: { type: 'string' } },
      required: ['label', 'reason'],
    });
  });

  it('leaves out the expected section when the example has none, and renders rubric templates', async () => {
    const deps = await depsFor({ respond: () => ({ json: { label: 'excellent', reason: 'r' } }) });
    const scorer = await judgeScorer(config({ rubric: 'The answer must mention {{metadata.topic}}.' }), deps);
    await scorer.score(input({ example: { id: 'e', input: 'q', metadata: { topic: 'refunds' } }, toolCalls: [] }));

    const prompt = userPrompt(server!.calls[0]!);
    expect(prompt).not.toContain('<expected>');
    expect(prompt).toContain('The answer must mention refunds.');
    expect(prompt).toContain('<tool_calls>\n(none)\n</tool_calls>');
  });

  it('reads the rubric from a file relative to baseDir', async () => {
    const deps = await depsFor({ respond: () => ({ json: { label: 'excellent', reason: 'r' } }) });
    await (await judgeScorer(config({ rubric: './helpfulness.md' }), deps)).score(input());
    expect(userPrompt(server!.calls[0]!)).toContain('Excellent answers cite the refund policy.');
  });

  it('refuses a rubric path that does not exist', async () => {
    const deps = await depsFor({});
    await expect(judgeScorer(config({ rubric: 'rubrics/missing.md' }), deps)).rejects.toMatchObject({ code: 'config', location: 'scorer.rubric' });
  });

  it('refuses pass labels that are not among the labels', async () => {
    const deps = await depsFor({});
    await expect(judgeScorer(config({ pass: ['great'] }), deps)).rejects.toMatchObject({ code: 'config' });
  });

  describe('threshold', () => {
    it('asks for confidence and keeps a confident verdict', async () => {
      const deps = await depsFor({ respond: () => ({ json: { label: 'poor', reason: 'r', confidence: 0.9 } }) });
      const score = await (await judgeScorer(config({ threshold: 0.7 }), deps)).score(input());

      expect(score).toMatchObject({ status: 'scored', pass: false, label: 'poor' });
      expect(server!.calls[0]!.body?.response_format?.json_schema?.schema).toMatchObject({ required: ['label', 'reason', 'confidence'] });
    });

    it('errors a verdict below the confidence threshold as unsure', async () => {
      const deps = await depsFor({ respond: () => ({ json: { label: 'excellent', reason: 'r', confidence: 0.4 } }) });
      const score = await (await judgeScorer(config({ threshold: 0.7 }), deps)).score(input());

      expect(score.status).toBe('errored');
      expect(score.pass).toBeNull();
      expect(score.reason).toContain('judge unsure');
    });

    it('errors a verdict without the confidence it was asked for', async () => {
      const deps = await depsFor({ respond: () => ({ json: { label: 'excellent', reason: 'r' } }) });
      const score = await (await judgeScorer(config({ threshold: 0.7 }), deps)).score(input());
      expect(score.status).toBe('errored');
    });
  });

  describe('failures', () => {
    it('errors when the server is unreachable (closed port)', async () => {
      const closed = await startFakeOpenAI();
      await closed.close();
      const deps: ScorerDeps = {
        baseDir: dir,
        importModule,
        models: createModelPort({ providers: { fake: { kind: 'openai-compatible', baseURL: closed.url } }, env: {} }),
      };
      const score = await (await judgeScorer(config(), deps)).score(input());

      expect(score.status).toBe('errored');
      expect(score.reason).toMatch(/^judge call failed: /);
    });

    it('errors after 3 attempts when the server keeps failing with 5xx', async () => {
      const deps = await depsFor({ respond: () => ({ status: 503, message: 'overloaded', retryAfter: 0 }) });
      const score = await (await judgeScorer(config(), deps)).score(input());

      expect(score.status).toBe('errored');
      expect(score.reason).toContain('HTTP 503');
      expect(server!.calls).toHaveLength(3);
    });

    it('errors after 3 attempts when the connection drops every time', async () => {
      const deps = await depsFor({ respond: () => ({ hangUp: true }) });
      const score = await (await judgeScorer(config(), deps)).score(input());

      expect(score.status).toBe('errored');
      expect(server!.calls).toHaveLength(3);
    });

    it('retries a retryable failure and then scores', async () => {
      const deps = await depsFor({
        respond: (req) => (req.index === 0 ? { status: 429, retryAfter: 0 } : { json: { label: 'excellent', reason: 'r' } }),
      });
      const score = await (await judgeScorer(config(), deps)).score(input());

      expect(score).toMatchObject({ status: 'scored', pass: true });
      expect(server!.calls).toHaveLength(2);
    });

    it('errors without retrying when the answer is not valid JSON', async () => {
      const deps = await depsFor({ respond: () => ({ text: '{"label": "excellent", "reason": ' }) });
      const score = await (await judgeScorer(config(), deps)).score(input());

      expect(score.status).toBe('errored');
      expect(score.reason).toContain('invalid structured output');
      expect(server!.calls).toHaveLength(1);
    });

    it('errors when the label is not one of the labels', async () => {
      const deps = await depsFor({ respond: () => ({ json: { label: 'superb', reason: 'r' } }) });
      const score = await (await judgeScorer(config(), deps)).score(input());
      expect(score.status).toBe('errored');
    });

    it('errors on a non-retryable HTTP error after one call', async () => {
      const deps = await depsFor({ respond: () => ({ status: 401, message: 'bad key' }) });
      const score = await (await judgeScorer(config(), deps)).score(input());

      expect(score.status).toBe('errored');
      expect(score.reason).toContain('bad key');
      expect(server!.calls).toHaveLength(1);
    });
  });

  describe('not configured', () => {
    it('skips every score when there is no model port', async () => {
      const scorer = await judgeScorer(config(), { baseDir: dir, importModule });
      expect(await scorer.score(input())).toMatchObject({ status: 'skipped', reason: 'no model configured for judge (fake:judge-1)' });
    });

    it('skips every score when the provider key is missing, naming the variable', async () => {
      const deps: ScorerDeps = { baseDir: dir, importModule, models: createModelPort({ providers: {}, env: {} }) };
      const scorer = await judgeScorer(config({ model: 'openai:gpt-4.1-mini' }), deps);
      const score = await scorer.score(input());
      expect(score).toMatchObject({ status: 'skipped' });
      expect(score.reason).toContain('judge cannot call openai:gpt-4.1-mini');
      expect(score.reason).toContain('OPENAI_API_KEY is not set');
    });

    it('skips every score when the judge names no model', async () => {
      const deps = await depsFor({});
      const scorer = await judgeScorer(config({ model: undefined }), deps);
      expect((await scorer.score(input())).status).toBe('skipped');
      expect(server!.calls).toHaveLength(0);
    });
  });

  describe('version', () => {
    it('is stable for the same config and changes with rubric, model, labels, pass and threshold', async () => {
      const deps: ScorerDeps = { baseDir: dir, importModule };
      const v = async (c: ScorerConfigOf<'judge'>) => (await judgeScorer(c, deps)).version;
      const base = await v(config());

      expect(await v(config())).toBe(base);
      expect(await v(config({ rubric: 'Is the answer correct?' }))).not.toBe(base);
      expect(await v(config({ model: 'fake:judge-2' }))).not.toBe(base);
      expect(await v(config({ labels: ['poor', 'adequate', 'excellent', 'perfect'] }))).not.toBe(base);
      expect(await v(config({ pass: ['excellent'] }))).not.toBe(base);
      expect(await v(config({ threshold: 0.5 }))).not.toBe(base);
    });

    it('changes when the rubric file content changes', async () => {
      const deps: ScorerDeps = { baseDir: dir, importModule };
      await writeFile(join(dir, 'changing.md'), 'version one');
      const before = (await judgeScorer(config({ rubric: 'changing.md' }), deps)).version;
      await writeFile(join(dir, 'changing.md'), 'version two');
      const after = (await judgeScorer(config({ rubric: 'changing.md' }), deps)).version;
      expect(after).not.toBe(before);
    });
  });
});
