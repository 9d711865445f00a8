import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAIServer } from '../../test/support/fake-openai-server.js';
import { transcriptOf } from '../../test/support/transcript-fixtures.js';
import { EvalOpsConfigSchema } from '../config/config-schema.js';
import { importModule } from '../config/import-module.js';
import { ReviewPayloadSchema } from '../core/review/review-item.js';
import { createModelPort } from '../models/ai-sdk-model-port.js';
import { judgeItems } from './judge-items.js';

let server: FakeOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('judgeItems', () => {
  it('calibrates a goal-completed judge like any judge: it reads the stored transcript of each gold item', async () => {
    server = await startFakeOpenAI({ respond: (req) => ({ json: { label: String(req.body?.messages?.at(-1)?.content).includes('refund issued') ? 'met' : 'not_met', reason: 'read the transcript' } }) });
    const config = EvalOpsConfigSchema.parse({
      version: 1,
      project: 'p',
      target: { type: 'module', path: './a.ts' },
      dataset: { name: 'd', path: './d.jsonl' },
      providers: { fake: { kind: 'openai-compatible', baseURL: server.url } },
      metrics: [{ name: 'goal', scorer: { type: 'goal-completed', model: 'fake:judge' } }],
    });
    const payload = (assistant: string) => ReviewPayloadSchema.parse({ input: 'refund order 1', output: transcriptOf([{ user: 'refund order 1', assistant }], { goal: 'refund order 1' }) });
    const { judgeVersion, answers } = await judgeItems(config, 'goal', [{ key: 'a', payload: payload('refund issued for order 1') }, { key: 'b', payload: payload('sorry, I cannot') }], {
      baseDir: process.cwd(),
      importModule,
      models: createModelPort({ providers: { fake: { kind: 'openai-compatible', baseURL: server.url } }, env: {} }),
    });
    expect(judgeVersion).toMatch(/^[0-9a-f]{16}$/);
    expect(answers).toEqual([
      { key: 'a', status: 'scored', label: 'met', reason: 'read the transcript' },
      { key: 'b', status: 'scored', label: 'not_met', reason: 'read the transcript' },
    ]);
  });
});
