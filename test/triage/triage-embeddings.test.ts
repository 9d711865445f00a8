import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plantedFailures } from '../../bench/triage/planted-failures.mjs';
import { adjustedRandIndex } from '../../src/core/stats/adjusted-rand-index.js';
import { datasetVersionHash } from '../../src/datasets/dataset-hash.js';
import { createModelPort } from '../../src/models/ai-sdk-model-port.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { openStore, type Store } from '../../src/store/store.js';
import { runCli } from '../cli/run-cli.js';
import { startFakeOpenAI, type FakeOpenAIServer } from '../support/fake-openai-server.js';

/**
 * Triage on embeddings (the stand-in server's deterministic hashed-word vectors, through the AI SDK's
 * embedMany): a server whose config names `triage.embeddingModel` clusters on the embeddings and
 * recovers the planted failure modes; the embeddings are metered (tokens, and dollars for a priced
 * model) and cached in the response cache, so a second triage and the promotion of a cluster call the
 * model no more and see the same clusters; `embeddingModel=none` keeps the offline method; a model no
 * provider serves is a 400 naming the option. From the CLI, on the local store, the config's providers
 * serve `--name-model` and `triage.embeddingModel` (they used to need --server).
 */
describe('triage on embeddings (stand-in model server)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-triage-embed-'));
  const dbUrl = `sqlite:${join(dir, 'db.sqlite')}`;
  let store: Store;
  let server: RunningServer;
  let fake: FakeOpenAIServer;
  let key = '';
  let engineer = '';
  let runId = '';
  const modeOf = new Map<string, string>();

  beforeAll(async () => {
    store = await openStore(dbUrl);
    const { items, modes } = plantedFailures(240, 4);
    items.forEach((it, i) => modeOf.set(it.exampleId, modes[i] as string));
    const project = await store.projects.ensure('shop');
    const examples = items.map((it) => ({ id: it.exampleId, input: it.input, metadata: {}, slices: it.slices, source: 'manual' as const }));
    const { version } = await store.datasets.saveVersion(project.id, 'planted', datasetVersionHash(examples), examples);
    const run = await store.runs.create({ projectId: project.id, datasetVersionId: version.id, targetType: 'module', targetVariant: 'v', metrics: [{ name: 'cites_policy', scorerType: 'function', scorerVersion: '1' }], labels: {}, repeat: 1 });
    await store.runs.appendResults(run.id, items.map((it) => ({ exampleId: it.exampleId, trial: 0, output: it.output, toolCalls: [], latencyMs: 1, cached: false, attempts: 1, scores: { [it.failingMetrics[0] as string]: { status: 'scored' as const, value: 0, pass: false, reason: it.reason, scorerVersion: '1' } } })));
    await store.runs.finish(run.id, 'completed', null);
    runId = run.id;
    key = (await store.apiKeys.create({ role: 'viewer', projectId: project.id, createdBy: 'test' })).plaintext;
    engineer = (await store.apiKeys.create({ role: 'engineer', projectId: project.id, createdBy: 'test' })).plaintext;
    let n = 0;
    fake = await startFakeOpenAI({ respond: (r) => (r.endpoint === 'chat' ? { json: { name: `Failure mode ${++n}` } } : undefined) });
    // $1 per million input tokens for the embedding model, so the cost is the token count ÷ 10⁶.
    const models = createModelPort({ providers: { local: { kind: 'openai-compatible', baseURL: fake.url, pricing: { embed: { inputPerMTok: 1, outputPerMTok: 0 } } } }, env: {} });
    server = await startServer({ store, port: 0, host: '127.0.0.1', playground: { models }, triage: { embeddingModel: 'local:embed' } });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await fake?.close();
    await store?.close();
  });

  const call = async (path: string, init: { method?: string; body?: unknown; key?: string } = {}) => {
    const res = await fetch(`${server.url}/api/v1${path}`, { method: init.method ?? 'GET', headers: { authorization: `Bearer ${init.key ?? key}`, 'content-type': 'application/json' }, ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }) });
    return { status: res.status, body: (await res.json()) as any };
  };
  const embeddingCalls = () => fake.calls.filter((c) => c.endpoint === 'embeddings');
  const ari = (clusters: any[]): number => {
    const label = new Map<string, string>();
    for (const c of clusters) for (const k of c.itemKeys) label.set(k.split('#')[0], c.id);
    const ids = [...modeOf.keys()];
    return adjustedRandIndex(ids.map((id) => label.get(id) ?? 'missing'), ids.map((id) => modeOf.get(id) as string));
  };

  let first: any;

  it("clusters on the configured embedding model's vectors and recovers the planted modes", async () => {
    const res = await call(`/runs/${runId}/triage`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    first = res.body;
    const calls = embeddingCalls();
    expect(calls.length).toBeGreaterThanOrEqual(2); // 240 distinct texts in batches of 128
    expect(calls.every((c) => c.body?.model === 'embed')).toBe(true);
    expect(calls.reduce((n, c) => n + (c.body?.input as string[]).length, 0)).toBe(240);
    expect(first.method).toMatchObject({ kind: 'embeddings', model: 'local:embed', embedded: 240, cached: 0, calls: calls.length });
    expect(first.method.tokens).toBeGreaterThan(0);
    expect(first.method.costUsd).toBeCloseTo(first.method.tokens / 1_000_000, 12);
    const score = ari(first.clusters);
    console.log(`embeddings over the API: ${first.clusters.length} clusters, ARI ${score.toFixed(3)} against 6 planted modes`);
    expect(score).toBeGreaterThanOrEqual(0.8);
    expect(first.markdown).toMatch(/clustered on embeddings of local:embed \(240 embedded in \d+ call\(s\), 0 from the cache, \d+ tokens, \$0\.\d+\)/);
  });

  it('reads the embeddings back from the response cache: no new call, the same clusters; promotion clusters the same vectors', async () => {
    const before = embeddingCalls().length;
    const again = await call(`/runs/${runId}/triage`);
    expect(again.status).toBe(200);
    expect(embeddingCalls().length).toBe(before);
    expect(again.body.method).toMatchObject({ kind: 'embeddings', embedded: 0, cached: 240, calls: 0, tokens: null, costUsd: null });
    expect(again.body.clusters).toEqual(first.clusters);
    const promoted = await call('/projects/shop/triage/promote', { method: 'POST', key: engineer, body: { source: { kind: 'run', runId }, cluster: 'c1', dataset: 'embedded-c1' } });
    expect(promoted.status, JSON.stringify(promoted.body)).toBe(201);
    expect(promoted.body.cluster).toMatchObject({ id: 'c1', size: first.clusters[0].size, slice: first.clusters[0].slice });
    expect(embeddingCalls().length).toBe(before);
  });

  it('keeps the offline method with embeddingModel=none, calling no model', async () => {
    const before = embeddingCalls().length;
    const offline = await call(`/runs/${runId}/triage?embeddingModel=none`);
    expect(offline.status).toBe(200);
    expect(offline.body.method).toEqual({ kind: 'tfidf', model: null, embedded: 0, cached: 0, calls: 0, tokens: null, costUsd: null });
    expect(embeddingCalls().length).toBe(before);
    expect(offline.body.markdown).toMatch(/clustered offline \(TF-IDF\)/);
  });

  it('answers 400 naming embeddingModel for a model no provider serves, and for a malformed one', async () => {
    const unknown = await call(`/runs/${runId}/triage?embeddingModel=nowhere:embed`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/embeddingModel nowhere:embed cannot be called: .*unknown provider "nowhere"/);
    const malformed = await call(`/runs/${runId}/triage?embeddingModel=embed`);
    expect(malformed.status).toBe(400);
    expect(JSON.stringify(malformed.body)).toMatch(/embeddingModel/);
  });

  it('names and embeds from the CLI on the local store, with the providers of -c CONFIG', async () => {
    // The server above holds the database open; SQLite in WAL mode lets the CLI read and write beside it.
    const config = join(dir, 'evalops.yaml');
    writeFileSync(
      config,
      [
        'version: 1',
        'project: shop',
        'target: { type: http, url: "http://127.0.0.1:9/never" }',
        'dataset: { name: planted }',
        'metrics:',
        '  - { name: cites_policy, scorer: { type: contains, value: policy } }',
        'providers:',
        `  local: { kind: openai-compatible, baseURL: "${fake.url}" }`,
        'triage: { embeddingModel: "local:embed" }',
        '',
      ].join('\n'),
    );
    const env = { EVALOPS_DATABASE_URL: dbUrl, EVALOPS_ACTOR: 'ci@example.com' };
    const chats = () => fake.calls.filter((c) => c.endpoint === 'chat').length;
    const chatsBefore = chats();
    const res = await runCli(['triage', '--run', runId, '-c', config, '--name-model', 'local:namer', '--json'], { env });
    expect(res.code, res.stderr).toBe(0);
    const report = JSON.parse(res.stdout);
    expect(report.method).toMatchObject({ kind: 'embeddings', model: 'local:embed', cached: 240, embedded: 0 });
    const named = report.clusters.filter((c: any) => c.id !== 'noise');
    expect(chats() - chatsBefore).toBe(named.length);
    expect(named.every((c: any) => /^Failure mode \d+$/.test(c.name))).toBe(true);
    expect(named[0].slice).toMatch(/^cluster:failure-mode-\d+$/);
    // Without a config naming the provider, the CLI says what is missing (exit 2).
    const bare = await runCli(['triage', '--run', runId, '--name-model', 'local:namer', '--json'], { env, cwd: mkdtempSync(join(tmpdir(), 'evalops-triage-bare-')) });
    expect(bare.code).toBe(2);
    expect(bare.stdout + bare.stderr).toMatch(/nameModel local:namer cannot be called: .*unknown provider "local"/);
  });
});
