import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plantedFailures } from '../../bench/triage/planted-failures.mjs';
import { datasetVersionHash } from '../../src/datasets/dataset-hash.js';
import { createModelPort } from '../../src/models/ai-sdk-model-port.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { openStore, type Store } from '../../src/store/store.js';
import { startFakeOpenAI, type FakeOpenAIServer } from '../support/fake-openai-server.js';

/**
 * Cluster names from a model over the API: a server whose operator configured providers names each
 * cluster with the scripted local model (the label becomes the cluster slice); a server without
 * them answers 400 naming nameModel; the offline names stay the default.
 */
describe('triage with nameModel (scripted local model)', () => {
  let store: Store;
  let named: RunningServer;
  let plain: RunningServer;
  let fake: FakeOpenAIServer;
  let key = '';
  let runId = '';

  beforeAll(async () => {
    store = await openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'evalops-triage-name-')), 'db.sqlite')}`);
    const { items } = plantedFailures(240, 4);
    const project = await store.projects.ensure('shop');
    const examples = items.map((it) => ({ id: it.exampleId, input: it.input, metadata: {}, slices: it.slices, source: 'manual' as const }));
    const { version } = await store.datasets.saveVersion(project.id, 'planted', datasetVersionHash(examples), examples);
    const run = await store.runs.create({ projectId: project.id, datasetVersionId: version.id, targetType: 'module', targetVariant: 'v', metrics: [{ name: 'cites_policy', scorerType: 'function', scorerVersion: '1' }], labels: {}, repeat: 1 });
    await store.runs.appendResults(run.id, items.map((it) => ({ exampleId: it.exampleId, trial: 0, output: it.output, toolCalls: [], latencyMs: 1, cached: false, attempts: 1, scores: { [it.failingMetrics[0] as string]: { status: 'scored' as const, value: 0, pass: false, reason: it.reason, scorerVersion: '1' } } })));
    await store.runs.finish(run.id, 'completed', null);
    runId = run.id;
    key = (await store.apiKeys.create({ role: 'viewer', projectId: project.id, createdBy: 'test' })).plaintext;
    let n = 0;
    fake = await startFakeOpenAI({ respond: () => ({ json: { name: `Failure mode ${++n}` } }) });
    const models = createModelPort({ providers: { local: { kind: 'openai-compatible', baseURL: fake.url } }, env: {} });
    named = await startServer({ store, port: 0, host: '127.0.0.1', playground: { models } });
    plain = await startServer({ store, port: 0, host: '127.0.0.1', playground: { models: undefined } });
  }, 60_000);
  afterAll(async () => {
    await named?.close();
    await plain?.close();
    await fake?.close();
    await store?.close();
  });

  const get = async (server: RunningServer, path: string) => {
    const res = await fetch(`${server.url}/api/v1${path}`, { headers: { authorization: `Bearer ${key}` } });
    return { status: res.status, body: (await res.json()) as any };
  };

  it("names every cluster with the model's label, and the slice follows the name", async () => {
    const res = await get(named, `/runs/${runId}/triage?nameModel=local:namer`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const clusters = res.body.clusters.filter((c: any) => c.id !== 'noise');
    expect(clusters.length).toBeGreaterThanOrEqual(5);
    expect(clusters.map((c: any) => c.name)).toEqual(clusters.map((_: unknown, i: number) => `Failure mode ${i + 1}`));
    expect(clusters[0].slice).toBe('cluster:failure-mode-1');
    expect(fake.calls).toHaveLength(clusters.length);
  });

  it('keeps the terms as names without nameModel, and refuses nameModel where no model is configured', async () => {
    const offline = await get(plain, `/runs/${runId}/triage`);
    expect(offline.status).toBe(200);
    expect(offline.body.clusters[0].name).not.toMatch(/Failure mode/);
    const refused = await get(plain, `/runs/${runId}/triage?nameModel=local:namer`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/nameModel local:namer: no model is configured here/);
  });
});
