import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Example } from '../../src/core/example.js';
import type { Rubric } from '../../src/core/review/rubric.js';
import { datasetVersionHash } from '../../src/datasets/dataset-hash.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { openStore, type Store } from '../../src/store/store.js';
import { runCli } from '../cli/run-cli.js';
import { startFakeOpenAI, type FakeOpenAIServer } from '../support/fake-openai-server.js';

/**
 * `evalops generate` and `evalops rubric draft` with `--server`: the model is called from the CLI
 * (the stand-in server, through the config's providers), while the dataset read, the generation
 * queue, the committed version and the gold set are the EvalOps server's, through its API — the local
 * database stays untouched. A viewer's key may not queue (exit 2 naming the permission).
 */
describe('generate and rubric draft against a server (stand-in model server)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-generate-server-'));
  const localDb = join(dir, 'local.sqlite');
  const rubric: Rubric = { labels: [{ label: 'poor' }, { label: 'good' }], pass: ['good'], ordinal: false };
  let store: Store;
  let server: RunningServer;
  let fake: FakeOpenAIServer;
  let engineer = '';
  let viewer = '';
  let config = '';
  let generated = 0;

  beforeAll(async () => {
    fake = await startFakeOpenAI({
      respond: (req) => {
        const model = req.body?.model;
        if (model === 'gen-model') {
          generated++;
          return { json: { items: [{ input: { message: `Refund for a gift card bought in shop number ${generated}?` }, rationale: 'gift cards' }, { input: { message: `Can I get refunded twice for duplicate charge ${generated}?` }, rationale: 'double charges' }] }, usage: { promptTokens: 100, completionTokens: 50 } };
        }
        if (model === 'writer') return { json: { rubric: '# helpful\n\n- good: the answer says GOOD\n- poor: anything else' } };
        return { json: { label: /a GOOD answer/.test(JSON.stringify(req.body?.messages)) ? 'good' : 'poor', reason: 'scripted' } };
      },
    });
    store = await openStore(`sqlite:${join(dir, 'server.sqlite')}`);
    const project = await store.projects.ensure('shop');
    const examples: Example[] = [
      { id: 'r1', input: { message: 'Can I get a refund for my order?' }, metadata: {}, slices: ['intent:refund'], source: 'manual' },
      { id: 's1', input: { message: 'Where is my parcel?' }, metadata: {}, slices: ['intent:shipping'], source: 'manual' },
    ];
    await store.datasets.saveVersion(project.id, 'cases', datasetVersionHash(examples), examples);
    const gold = Array.from({ length: 24 }, (_, i) => ({ key: `item-${i}`, label: i % 2 === 0 ? 'good' : 'poor', payload: { input: { q: `question ${i}` }, output: i % 2 === 0 ? `a GOOD answer #${i}` : `a bad answer #${i}`, toolCalls: [], slices: [], judge: null, checks: {}, latencyMs: null, costUsd: null } }));
    await store.goldSets.freeze(project.id, 'helpful', rubric, gold, 'ana@example.com');
    engineer = (await store.apiKeys.create({ role: 'engineer', projectId: project.id, createdBy: 'test', name: 'gen-bot' })).plaintext;
    viewer = (await store.apiKeys.create({ role: 'viewer', projectId: project.id, createdBy: 'test' })).plaintext;
    server = await startServer({ store, port: 0, host: '127.0.0.1' });
    mkdirSync(join(dir, 'rubrics'), { recursive: true });
    writeFileSync(join(dir, 'rubrics', 'helpful.md'), 'the old rubric\n');
    config = join(dir, 'evalops.yaml');
    writeFileSync(
      config,
      [
        'version: 1',
        'project: shop',
        'target: { type: model, model: "fake:agent" }',
        'dataset: { name: cases }',
        'providers:',
        `  fake: { kind: openai-compatible, baseURL: "${fake.url}", pricing: { gen-model: { inputPerMTok: 1, outputPerMTok: 2 } } }`,
        'models: { generate: "fake:gen-model" }',
        'metrics:',
        '  - name: helpful',
        '    scorer: { type: judge, model: "fake:judge", rubric: ./rubrics/helpful.md, labels: [poor, good], pass: [good] }',
        '',
      ].join('\n'),
    );
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await fake?.close();
    await store?.close();
  });

  const cli = (args: string[], key = engineer) => runCli([...args, '--server', server.url], { env: { EVALOPS_DATABASE_URL: `sqlite:${localDb}`, EVALOPS_API_KEY: key } });

  it("generates around a slice of the server's dataset into the server's review queue, and commits the accepted items there", async () => {
    const res = await cli(['generate', '-c', config, '--slice', 'intent:refund', '-n', '2', '--json']);
    expect(res.code, res.stderr).toBe(0);
    const doc = JSON.parse(res.stdout);
    expect(doc).toMatchObject({ project: 'shop', queue: 'generated-cases', queued: 2, alreadyQueued: 0, calls: 1, costKnown: true });
    expect(doc.costUsd).toBeCloseTo((100 * 1 + 50 * 2) / 1e6, 12);
    expect(doc.next).toContain(`--server ${server.url}`);
    // The seeds the model was shown came from the server's stored version.
    expect(JSON.stringify(fake.calls.find((c) => c.body?.model === 'gen-model')?.body?.messages)).toContain('Can I get a refund for my order?');
    const project = (await store.projects.findByName('shop'))!;
    const queue = await store.reviews.getQueue(project.id, 'generated-cases');
    const items = await store.reviews.items(queue.id, { reviewersPerItem: 1 });
    expect(items.map((i) => i.source)).toEqual(['synthetic', 'synthetic']);
    expect(queue.createdBy).toBe('gen-bot');
    expect(existsSync(localDb)).toBe(false);

    const next = (await store.reviews.next(queue, 'rev@example.com'))!;
    await store.reviews.label(queue, next.id, 'rev@example.com', { label: 'accept' });
    const committed = await cli(['generate', '-c', config, '--commit', 'generated-cases', '--dataset', 'cases', '--json']);
    expect(committed.code, committed.stderr).toBe(0);
    expect(JSON.parse(committed.stdout)).toMatchObject({ project: 'shop', queue: 'generated-cases', dataset: 'cases', committed: 1, pending: 1, examples: 3, created: true });
    const latest = await store.datasets.examples((await store.datasets.getVersion(project.id, 'cases')).id);
    expect(latest.filter((e) => e.source === 'synthetic')).toHaveLength(1);
    expect(existsSync(localDb)).toBe(false);
  }, 120_000);

  it("refuses a viewer's key (exit 2 naming the permission), and a queue that is not a generation queue (exit 2)", async () => {
    const before = generated;
    const refused = await cli(['generate', '-c', config, '--slice', 'intent:refund', '-n', '1', '--json'], viewer);
    expect(refused.code).toBe(2);
    expect(refused.stdout + refused.stderr).toMatch(/reviews:manage/);
    expect(generated).toBe(before + 1); // the model was asked first; nothing was stored
    const project = (await store.projects.findByName('shop'))!;
    await store.reviews.createQueue({ projectId: project.id, name: 'plain', metric: 'helpful', rubric, reviewers: [], reviewersPerItem: 1, createdBy: 'ana' });
    const wrong = await cli(['generate', '-c', config, '--slice', 'intent:refund', '-n', '1', '--queue', 'plain', '--json']);
    expect(wrong.code).toBe(2);
    expect(wrong.stdout + wrong.stderr).toMatch(/review queue "plain" is not a generation queue/);
  }, 120_000);

  it("drafts a rubric from the server's gold set, calibrated on its held-out part", async () => {
    const res = await cli(['rubric', 'draft', 'helpful', '-c', config, '--model', 'fake:writer', '--json']);
    expect(res.code, res.stderr).toBe(3); // kappa 1, but on fewer held-out items than the default minimum (100)
    const doc = JSON.parse(res.stdout);
    expect(doc).toMatchObject({ project: 'shop', metric: 'helpful', goldSet: { version: 1, items: 24 }, kappa: { value: 1 }, accepted: false });
    expect(doc.heldOut + doc.draftedFrom).toBe(24);
    expect(readFileSync(join(dir, 'rubrics', 'helpful.md'), 'utf8')).toBe('the old rubric\n');
    expect(existsSync(localDb)).toBe(false);
  }, 120_000);
});
