import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Example } from '../../src/core/example.js';
import { commitAccepted } from '../../src/generate/commit-accepted.js';
import { generateCandidates } from '../../src/generate/generate-candidates.js';
import { queueCandidates } from '../../src/generate/queue-candidates.js';
import { createModelPort } from '../../src/models/ai-sdk-model-port.js';
import { openStore, type Store } from '../../src/store/store.js';
import { REPO, runCli } from '../cli/run-cli.js';
import { startFakeOpenAI, type FakeOpenAIServer, type FakeReply } from '../support/fake-openai-server.js';

/**
 * `evalops generate` against the scripted local OpenAI-compatible server: near-duplicates of the
 * dataset and of each other removed (and topped up), a schema-breaking answer retried once and on the
 * second reported with nothing stored, spending metered and capped, accepted items only into a
 * dataset version, and the CLI's refusals (no model, no provider key, a budget of 0) exiting 2.
 */
describe('evalops generate (scripted model server)', () => {
  const dataset: Example[] = [
    { id: 'r1', input: { message: 'Can I get a refund for my order?' }, expected: { keyword: 'refund' }, metadata: {}, slices: ['intent:refund'], source: 'manual' },
    { id: 's1', input: { message: 'Where is my parcel?' }, expected: { keyword: 'tracking' }, metadata: {}, slices: ['intent:shipping'], source: 'manual' },
  ];
  const item = (message: string) => ({ input: { message }, expected: { keyword: 'refund' }, rationale: `probes: ${message}` });
  let script: FakeReply[] = [];
  let server: FakeOpenAIServer;
  // 1,000 prompt + 500 completion tokens at $1 / $2 per thousand… per million tokens ×1000: $2 a call.
  const usage = { promptTokens: 1000, completionTokens: 500 };
  const pricing = { 'gen-model': { inputPerMTok: 1000, outputPerMTok: 2000 } };
  const dir = mkdtempSync(join(tmpdir(), 'evalops-generate-'));
  let store: Store;

  const models = () => createModelPort({ providers: { fake: { kind: 'openai-compatible', baseURL: server.url, pricing } }, env: {} });
  const base = { model: 'fake:gen-model', focus: { kind: 'slice', slice: 'intent:refund' } as const, seeds: dataset.slice(0, 1), existing: dataset, threshold: 0.8, batchSize: 4 };

  beforeAll(async () => {
    server = await startFakeOpenAI({ respond: () => script.shift() ?? { status: 500, message: 'script exhausted' } });
    store = await openStore(`sqlite:${join(dir, 'db.sqlite')}`);
  });
  afterAll(async () => {
    await server.close();
    await store.close();
  });

  it('removes near-duplicates of the dataset and of each other, and asks again to top up', async () => {
    const before = server.calls.length;
    script = [
      {
        json: {
          items: [
            item('can I get a refund for my order'), // the dataset's r1, reworded: dropped
            item('The blender arrived broken, I want my money back'),
            item('the blender arrived broken and I want my money back!'), // the one before, again: dropped
            item('I was charged twice for one order, refund one please'),
          ],
        },
        usage,
      },
      { json: { items: [item('Refund to a card that has since expired?')] }, usage },
    ];
    const report = await generateCandidates(models(), { ...base, count: 3, maxUsd: 100 });
    expect(report.candidates.map((c) => (c.input as { message: string }).message)).toEqual([
      'The blender arrived broken, I want my money back',
      'I was charged twice for one order, refund one please',
      'Refund to a card that has since expired?',
    ]);
    expect(report.dropped.map((d) => ({ of: d.of, similarTo: d.similarTo }))).toEqual([
      { of: 'dataset', similarTo: 'r1' },
      { of: 'batch', similarTo: 'The blender arrived broken, I want my money back' },
    ]);
    expect(report).toMatchObject({ calls: 2, invalidAnswers: 0, stoppedBy: 'count', costKnown: true });
    expect(report.costUsd).toBeCloseTo(4, 9); // 2 calls × (1000 × 1000 + 500 × 2000) / 1e6
    // structured output: the provider was sent the schema, shaped like the dataset's inputs
    const sent = server.calls[before]!.body!.response_format!;
    expect(sent.type).toBe('json_schema');
    expect(JSON.stringify(sent.json_schema!.schema)).toContain('"message"');
    expect(JSON.stringify(server.calls[before]!.body!.messages)).toContain('intent:refund');
  });

  it('retries an answer that breaks the schema once', async () => {
    script = [{ json: { items: [{ text: 'no input field' }] }, usage }, { json: { items: [item('Can I return a gift without the receipt?')] }, usage }];
    const report = await generateCandidates(models(), { ...base, count: 1, maxUsd: 100 });
    expect(report).toMatchObject({ calls: 2, invalidAnswers: 1, stoppedBy: 'count' });
    expect(report.costUsd).toBeCloseTo(4, 9); // the broken answer was paid for too
  });

  it('reports a second broken answer in a row and stores nothing', async () => {
    script = [{ json: { items: [item('A fine first one about refunds of gift cards')] }, usage }, { text: 'not json at all', usage }, { json: { wrong: true }, usage }];
    const run = async () => {
      const report = await generateCandidates(models(), { ...base, count: 2, batchSize: 1, maxUsd: 100 });
      await queueCandidates(store, 'shop', 'never', report.candidates, { model: 'fake:gen-model', around: 'x', slice: 'intent:refund' }, 'ana');
    };
    await expect(run()).rejects.toThrow(/broke the schema twice in a row; nothing was stored/);
    const project = await store.projects.findByName('shop');
    expect(project === undefined ? [] : await store.reviews.listQueues(project.id)).toEqual([]);
  });

  it('stops before a call that could pass the budget', async () => {
    script = [{ json: { items: [item('Refund for a pre-order that never shipped')] }, usage }, { json: { items: [item('never asked')] }, usage }];
    const report = await generateCandidates(models(), { ...base, count: 2, batchSize: 1, maxUsd: 3 });
    // the first call cost $2; a second at that price would reach $4 > $3
    expect(report).toMatchObject({ calls: 1, stoppedBy: 'budget' });
    expect(report.candidates).toHaveLength(1);
    expect(script).toHaveLength(1);
    await expect(generateCandidates(models(), { ...base, count: 1, maxUsd: 0 })).rejects.toThrow(/--max-usd must be more than 0/);
  });

  it('queues candidates for review, and commits only the accepted ones, source synthetic', async () => {
    const candidates = [item('Refund after 40 days?'), item('Partial refund for a damaged item'), item('Refund in store credit instead?')];
    const queued = await queueCandidates(store, 'shop', 'gen-refunds', candidates, { model: 'fake:gen-model', around: 'slice intent:refund', slice: 'intent:refund' }, 'ana');
    expect(queued).toMatchObject({ added: 3, skipped: 0 });
    expect((await queueCandidates(store, 'shop', 'gen-refunds', candidates.slice(0, 1), { model: 'm', around: 'a', slice: 'intent:refund' }, 'ana')).skipped).toBe(1);
    await expect(commitAccepted(store, 'shop', 'gen-refunds', 'refunds')).rejects.toThrow(/no accepted generated items yet \(3 pending, 0 rejected\)/);
    const labels = ['accept', 'reject'];
    for (const label of labels) {
      const next = (await store.reviews.next(queued.queue, 'rev@example.com'))!;
      await store.reviews.label(queued.queue, next.id, 'rev@example.com', { label });
    }
    const outcome = await commitAccepted(store, 'shop', 'gen-refunds', 'refunds');
    expect(outcome).toMatchObject({ committed: 1, rejected: 1, pending: 1, examples: 1, created: true });
    const project = (await store.projects.findByName('shop'))!;
    const examples = await store.datasets.examples((await store.datasets.getVersion(project.id, 'refunds')).id);
    expect(examples).toHaveLength(1);
    expect(examples[0]).toMatchObject({ input: { message: 'Refund after 40 days?' }, expected: { keyword: 'refund' }, source: 'synthetic', slices: ['intent:refund'] });
    expect(examples[0]!.metadata).toMatchObject({ generatedBy: 'fake:gen-model', reviewQueue: 'gen-refunds', acceptedBy: ['rev@example.com'], rationale: 'probes: Refund after 40 days?' });
    // committing again replaces rather than duplicates
    expect((await commitAccepted(store, 'shop', 'gen-refunds', 'refunds')).examples).toBe(1);
  });

  describe('the CLI', () => {
    const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'cli.sqlite')}`, EVALOPS_ACTOR: 'ana@example.com' };
    const config = (extra: string): string => {
      const path = join(dir, `evalops-${Math.random().toString(36).slice(2)}.yaml`);
      const text = readFileSync(join(REPO, 'examples/support-bot/evalops.yaml'), 'utf8').replace(/\.\/(agent|data|scorers|schemas|rubrics)/g, `${REPO}/examples/support-bot/$1`);
      writeFileSync(path, `${text}\n${extra}\n`);
      return path;
    };

    it('generates around a slice into a review queue', async () => {
      script = [{ json: { items: [{ input: { message: 'Refund for a cancelled subscription renewal?', lang: 'en', customerId: 'C-9001' }, rationale: 'renewals' }] }, usage }];
      const cfg = config(`providers:\n  fake: { kind: openai-compatible, baseURL: "${server.url}", pricing: { gen-model: { inputPerMTok: 1, outputPerMTok: 2 } } }\nmodels: { generate: "fake:gen-model" }`);
      const res = await runCli(['generate', '-c', cfg, '--slice', 'intent:refund', '-n', '1', '--json'], { env });
      expect(res.code, res.stderr).toBe(0);
      const doc = JSON.parse(res.stdout);
      expect(doc).toMatchObject({ queued: 1, calls: 1, stoppedBy: 'count', costKnown: true, queue: 'generated-support-cases' });
      expect(doc.costUsd).toBeCloseTo(0.002, 9);
    }, 120_000);

    it('exits 2 without a model, without the provider key, and with a budget of 0', async () => {
      const noModel = await runCli(['generate', '-c', config(''), '--persona', 'an angry customer'], { env });
      expect(noModel.code).toBe(2);
      expect(noModel.stderr).toContain('needs a model: pass --model provider:model');
      const noKey = await runCli(['generate', '-c', config(''), '--persona', 'an angry customer', '--model', 'openai:gpt-4.1-mini'], { env: { ...env, OPENAI_API_KEY: '' } });
      expect(noKey.code).toBe(2);
      expect(noKey.stderr).toContain('OPENAI_API_KEY is not set');
      const zero = await runCli(['generate', '-c', config(''), '--persona', 'an angry customer', '--model', 'openai:gpt-4.1-mini', '--max-usd', '0'], { env });
      expect(zero.code).toBe(2);
      expect(zero.stderr).toContain('a budget of 0');
      const badCluster = join(dir, 'cluster.json');
      writeFileSync(badCluster, JSON.stringify({ name: 'late', items: [{ output: 'no input' }] }));
      const cluster = await runCli(['generate', '-c', config(''), '--cluster-file', badCluster, '--model', 'openai:gpt-4.1-mini'], { env });
      expect(cluster.code).toBe(2);
      expect(cluster.stderr).toContain(`${badCluster}: field items.0.input`);
    }, 120_000);
  });
});
