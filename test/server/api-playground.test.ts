/**
 * The playground's API (`POST /projects/{project}/playground/run`) on a real server over SQLite, the
 * real AI SDK client pointed at the local scripted model server: a draft config runs on chosen
 * examples or a stored trace's input, scored by the operator's deterministic metrics, with tokens,
 * cost and latency; and every refusal — role, another project's ids, too many examples, a template
 * variable the input lacks, a model no provider serves — answers 4xx naming the field, before any
 * model call.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModelPort } from '../../src/models/ai-sdk-model-port.js';
import { RunSlots } from '../../src/playground/run-slots.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { openStore, type Store } from '../../src/store/store.js';
import { startFakeOpenAI, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { apiClient } from '../support/serve-process.js';

const PROJECT = 'support';
const DRAFT = {
  prompts: { system: { template: 'You are a support agent. Answer in {{metadata.lang}}.' }, user: { template: 'Customer: {{input.message}}' } },
  model: { id: 'fake:support-1', parameters: { temperature: 0 } },
};

function otlpTrace(traceId: string, input: string) {
  const ns = (ms: number): string => String(BigInt(ms) * 1_000_000n);
  const now = Date.now() - 60_000;
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'support-bot' } }] },
        scopeSpans: [{ spans: [{ traceId, spanId: '1200000000000001', name: 'answer', kind: 2, startTimeUnixNano: ns(now), endTimeUnixNano: ns(now + 200), attributes: [{ key: 'openinference.span.kind', value: { stringValue: 'AGENT' } }, { key: 'input.value', value: { stringValue: input } }, { key: 'output.value', value: { stringValue: 'old answer' } }] }] }],
      },
    ],
  };
}

describe('POST /projects/{project}/playground/run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-playground-api-'));
  let store: Store;
  let server: RunningServer;
  let model: FakeOpenAIServer;
  let api: ReturnType<typeof apiClient>;
  const keys: Record<string, string> = {};
  const traceId = 'ab'.repeat(16);
  const otherTraceId = 'cd'.repeat(16);
  const run = (key: string, body: unknown, project = PROJECT) => api(key, 'POST', `/projects/${project}/playground/run`, body);

  beforeAll(async () => {
    model = await startFakeOpenAI({
      respond: (req) => {
        const user = String(req.body?.messages?.find((m) => m.role === 'user')?.content ?? '');
        if (user.includes('long please')) return { text: 'x'.repeat(25_000), usage: { promptTokens: 10, completionTokens: 9000 } };
        if (user.includes('hang')) return { text: 'late', delayMs: 120_000 };
        if (user.includes('refund')) return { text: 'Under our refund policy I have issued your refund.', usage: { promptTokens: 40, completionTokens: 12 } };
        return { text: 'Your order has shipped.', usage: { promptTokens: 30, completionTokens: 6 } };
      },
    });
    store = await openStore(`sqlite:${join(dir, 'db.sqlite')}`);
    const project = await store.projects.ensure(PROJECT);
    const other = await store.projects.ensure('elsewhere');
    const examples = [
      { id: 'refund-en', input: { message: 'I want a refund for A1001' }, expected: { keyword: 'refund policy' }, metadata: { lang: 'en' }, slices: [], source: 'manual' as const },
      { id: 'status-en', input: { message: 'Where is A1002?' }, expected: { keyword: 'shipping policy' }, metadata: { lang: 'en' }, slices: [], source: 'manual' as const },
      { id: 'no-lang', input: { message: 'hello' }, expected: { keyword: 'policy' }, metadata: {}, slices: [], source: 'manual' as const },
      { id: 'long', input: { message: 'long please' }, metadata: { lang: 'en' }, slices: [], source: 'manual' as const },
      { id: 'hang', input: { message: 'hang' }, metadata: { lang: 'en' }, slices: [], source: 'manual' as const },
    ];
    await store.datasets.saveVersion(project.id, 'cases', 'pghash01', examples);
    await store.datasets.saveVersion(other.id, 'their-cases', 'pghash02', [{ id: 'secret-1', input: { message: 'refund' }, metadata: { lang: 'en' }, slices: [], source: 'manual' }]);
    for (const [name, role, projectId] of [['engineer', 'engineer', project.id], ['viewer', 'viewer', project.id], ['ingest', 'ingest', project.id], ['otherIngest', 'ingest', other.id]] as const) {
      keys[name] = (await store.apiKeys.create({ role, projectId, name: `${name}@example.com`, createdBy: 'test' })).plaintext;
    }
    const models = createModelPort({ providers: { fake: { kind: 'openai-compatible', baseURL: model.url, pricing: { 'support-1': { inputPerMTok: 1, outputPerMTok: 4 } } } }, env: {} });
    server = await startServer({
      store,
      port: 0,
      host: '127.0.0.1',
      playground: {
        models,
        metrics: {
          project: PROJECT,
          dataset: 'cases',
          baseDir: dir,
          metrics: [
            { name: 'cites_policy', lifecycle: 'regression', scorer: { type: 'icontains', value: '{{expected.keyword}}' } },
            { name: 'concise', lifecycle: 'regression', scorer: { type: 'length', maxWords: 20 } },
            { name: 'helpfulness', lifecycle: 'capability', scorer: { type: 'judge', model: 'fake:judge', rubric: 'Is it helpful?', labels: ['no', 'yes'], pass: ['yes'] } },
          ],
        },
        limits: { callTimeoutMs: 500 },
        slots: new RunSlots(1),
      },
    });
    api = apiClient(server.url);
    for (const [key, id] of [[keys['ingest']!, traceId], [keys['otherIngest']!, otherTraceId]] as const) {
      const res = await fetch(`${server.url}/v1/traces`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(otlpTrace(id, JSON.stringify({ message: 'please refund order A1003' }))) });
      expect(res.status, await res.text()).toBe(200);
    }
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await store?.close();
    await model?.close();
  });

  it('runs the draft on chosen examples: outputs, deterministic scores, tokens, cost and latency', async () => {
    const before = model.calls.length;
    const res = await run(keys['engineer']!, { config: DRAFT, dataset: 'cases', exampleIds: ['status-en', 'refund-en'] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.metrics).toEqual(['cites_policy', 'concise']);
    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual(['status-en', 'refund-en']);
    const [status, refund] = res.body.items;
    expect(refund).toMatchObject({ output: 'Under our refund policy I have issued your refund.', error: null, inputTokens: 40, outputTokens: 12, truncated: false });
    expect(refund.costUsd).toBeCloseTo((40 * 1 + 12 * 4) / 1e6, 12);
    expect(refund.scores.find((s: { metric: string }) => s.metric === 'cites_policy')).toMatchObject({ status: 'scored', pass: true });
    expect(status.scores.find((s: { metric: string }) => s.metric === 'cites_policy')).toMatchObject({ status: 'scored', pass: false });
    expect(res.body.totals).toMatchObject({ inputTokens: 70, outputTokens: 18, errors: 0 });
    expect(res.body.totals.costUsd).toBeCloseTo((70 + 18 * 4) / 1e6, 12);
    // The prompts reached the model rendered, with the config's model and parameters.
    const sent = model.calls.slice(before).map((c) => c.body!);
    expect(sent).toHaveLength(2);
    const refundCall = sent.find((b) => JSON.stringify(b.messages).includes('A1001'))!;
    expect(refundCall.model).toBe('support-1');
    expect(refundCall.temperature).toBe(0);
    expect(refundCall.messages).toEqual([
      { role: 'system', content: 'You are a support agent. Answer in en.' },
      { role: 'user', content: 'Customer: I want a refund for A1001' },
    ]);
    // Nothing is stored: no run.
    expect(await store.runs.list((await store.projects.findByName(PROJECT))!.id, { limit: 10 })).toHaveLength(0);
  });

  it("runs a stored trace's input", async () => {
    const res = await run(keys['engineer']!, { config: { ...DRAFT, prompts: { user: DRAFT.prompts.user } }, traceId });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({ id: `trace_${traceId}`, input: { message: 'please refund order A1003' }, output: 'Under our refund policy I have issued your refund.' });
    expect(res.body.datasetVersion).toBeNull();
  });

  it('cuts a long output and reports it; a model call past the timeout is that example\'s error, not the request\'s', async () => {
    const res = await run(keys['engineer']!, { config: DRAFT, dataset: 'cases', exampleIds: ['long', 'hang'] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [long, hang] = res.body.items;
    expect(long.truncated).toBe(true);
    expect(long.output).toHaveLength(20_000);
    expect(hang.output).toBeNull();
    expect(hang.error).toMatch(/timed out|timeout/i);
    expect(res.body.totals.errors).toBe(1);
  });

  it('holds one run at a time here: a run while another is in flight is refused (503) and calls no model', async () => {
    const before = model.calls.length;
    const first = run(keys['engineer']!, { config: DRAFT, dataset: 'cases', exampleIds: ['hang'] });
    // The first run holds the slot until its model call times out; wait until that call has arrived.
    const deadline = Date.now() + 10_000;
    while (!model.calls.some((c, i) => i >= before && JSON.stringify(c.body?.messages).includes('hang')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const calls = model.calls.length;
    const second = await run(keys['engineer']!, { config: DRAFT, dataset: 'cases', exampleIds: ['refund-en'] });
    expect(second.status).toBe(503);
    expect(second.body.error.message).toMatch(/running 1 playground runs already/);
    expect(model.calls.length).toBe(calls);
    expect((await first).status).toBe(200);
    // The slot is given back: the next run goes through.
    expect((await run(keys['engineer']!, { config: DRAFT, dataset: 'cases', exampleIds: ['refund-en'] })).status).toBe(200);
  });

  it('refuses a viewer key and an ingest key (403), and a key of another project (403)', async () => {
    const body = { config: DRAFT, dataset: 'cases', exampleIds: ['refund-en'] };
    expect((await run(keys['viewer']!, body)).status).toBe(403);
    expect((await run(keys['ingest']!, body)).status).toBe(403);
    expect((await run(keys['engineer']!, body, 'elsewhere')).status).toBe(403);
  });

  it("answers another project's dataset, example and trace exactly as unknown ones (404), calling no model", async () => {
    const before = model.calls.length;
    const theirDataset = await run(keys['engineer']!, { config: DRAFT, dataset: 'their-cases', exampleIds: ['secret-1'] });
    const unknownDataset = await run(keys['engineer']!, { config: DRAFT, dataset: 'nothing-here', exampleIds: ['secret-1'] });
    expect(theirDataset.status).toBe(404);
    expect(unknownDataset.status).toBe(404);
    expect(theirDataset.body.error.message.replace('their-cases', '<d>')).toBe(unknownDataset.body.error.message.replace('nothing-here', '<d>'));
    const theirExample = await run(keys['engineer']!, { config: DRAFT, dataset: 'cases', exampleIds: ['refund-en', 'secret-1'] });
    expect(theirExample.status).toBe(404);
    expect(theirExample.body.error.message).toMatch(/example secret-1 not found in dataset "cases"/);
    const theirTrace = await run(keys['engineer']!, { config: DRAFT, traceId: otherTraceId });
    const unknownTrace = await run(keys['engineer']!, { config: DRAFT, traceId: 'ef'.repeat(16) });
    expect(theirTrace.status).toBe(404);
    expect(theirTrace.body.error.message.replace(otherTraceId, '<t>')).toBe(unknownTrace.body.error.message.replace('ef'.repeat(16), '<t>'));
    expect(model.calls.length).toBe(before);
  });

  it('refuses more examples than the bound, naming the field (400)', async () => {
    const res = await run(keys['engineer']!, { config: DRAFT, dataset: 'cases', exampleIds: Array.from({ length: 21 }, (_, i) => `e${i}`) });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^body field exampleIds: at most 20 examples per playground run/);
  });

  it('refuses a template variable the input does not provide, naming the field and the variable (400), calling no model', async () => {
    const before = model.calls.length;
    const res = await run(keys['engineer']!, { config: DRAFT, dataset: 'cases', exampleIds: ['refund-en', 'no-lang'] });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('body field config: prompts.system.template: {{metadata.lang}} is missing from example no-lang of the dataset, so the prompt would render without it');
    const expected = await run(keys['engineer']!, { config: { ...DRAFT, prompts: { user: { template: 'Say {{expected.keyword}}' } } }, dataset: 'cases', exampleIds: ['refund-en'] });
    expect(expected.status).toBe(400);
    expect(expected.body.error.message).toMatch(/^body field config: prompts\.user\.template: \{\{expected\.keyword\}\} is not something the model target provides/);
    expect(model.calls.length).toBe(before);
  });

  it('refuses a model no provider serves, a config without a model, and a bad config, naming the field (400)', async () => {
    const unserved = await run(keys['engineer']!, { config: { ...DRAFT, model: { id: 'nobody:model-x' } }, dataset: 'cases', exampleIds: ['refund-en'] });
    expect(unserved.status).toBe(400);
    expect(unserved.body.error.message).toMatch(/^body field config\.model\.id: model "nobody:model-x" is not served by any provider of this server/);
    const noModel = await run(keys['engineer']!, { config: { prompts: DRAFT.prompts }, dataset: 'cases', exampleIds: ['refund-en'] });
    expect(noModel.status).toBe(400);
    expect(noModel.body.error.message).toBe('body field config: model.id: the release config names no model');
    const dropped = await run(keys['engineer']!, { config: { ...DRAFT, model: { id: 'fake:support-1', parameters: { topP: 0.9 } } }, dataset: 'cases', exampleIds: ['refund-en'] });
    expect(dropped.status).toBe(400);
    expect(dropped.body.error.message).toMatch(/^body field config: model\.parameters\.topP: the model target passes only temperature and maxTokens/);
    const bad = await run(keys['engineer']!, { config: { ...DRAFT, model: { id: 'fake:support-1', parameters: { temprature: 1 } } }, dataset: 'cases', exampleIds: ['refund-en'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^body field config\.model\.parameters/);
    const both = await run(keys['engineer']!, { config: DRAFT, dataset: 'cases', exampleIds: ['refund-en'], traceId });
    expect(both.status).toBe(400);
    expect(both.body.error.message).toMatch(/^body field exampleIds: give either exampleIds \(with dataset\) or traceId/);
  });
});
