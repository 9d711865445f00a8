import { afterEach, describe, expect, it } from 'vitest';
import { plantedFailures } from '../../bench/triage/planted-failures.mjs';
import { findFailureClusters } from '../core/triage/find-failure-clusters.js';
import type { FailureCluster } from '../core/triage/triage-cluster.js';
import { createModelPort } from '../models/ai-sdk-model-port.js';
import { startFakeOpenAI, type FakeOpenAIServer, type FakeReply } from '../../test/support/fake-openai-server.js';
import { modelClusterNamer } from './model-cluster-namer.js';

let server: FakeOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function namerWith(replies: FakeReply[], problems: string[] = []) {
  let i = 0;
  server = await startFakeOpenAI({ respond: () => replies[Math.min(i++, replies.length - 1)] });
  const models = createModelPort({ providers: { local: { kind: 'openai-compatible', baseURL: server.url } }, env: {} });
  return modelClusterNamer(models, 'local:namer', (_c, p) => problems.push(p));
}

const cluster = (): FailureCluster => findFailureClusters(plantedFailures(120, 3).items)[0] as FailureCluster;

describe('modelClusterNamer (scripted local model)', () => {
  it("names a cluster with the model's label, asked with its terms and representative items", async () => {
    const name = await (await namerWith([{ json: { name: 'Missing refund policy citation' } }]))(cluster());
    expect(name).toBe('Missing refund policy citation');
    const body = server!.calls[0]!.body!;
    expect(body.response_format?.json_schema?.name).toBe('cluster_label');
    const user = JSON.stringify(body.messages);
    expect(user).toMatch(/Distinguishing terms: /);
    expect(user).toMatch(/why it failed: /);
  });

  it('asks once more after an answer that breaks the schema, and uses the second answer', async () => {
    const name = await (await namerWith([{ json: { label: 'wrong field' } }, { json: { name: 'Wrong tool for order status' } }]))(cluster());
    expect(name).toBe('Wrong tool for order status');
    expect(server!.calls).toHaveLength(2);
  });

  it('keeps the terms (undefined) and reports it after two bad answers, never a half-made name', async () => {
    const problems: string[] = [];
    const name = await (await namerWith([{ text: 'I would call it the refund thing.' }], problems))(cluster());
    expect(name).toBeUndefined();
    expect(server!.calls).toHaveLength(2);
    expect(problems[0]).toMatch(/answered outside the label schema twice/);
  });
});
