import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { runCli } from './run-cli.js';

/**
 * A `model` target run from a release config (`release: NAME` or `config: FILE`) against the local
 * model server: the served prompts, model, parameters and tools are what the model is called with,
 * the run carries the release's variant and name; a variable the target does not provide, a field
 * an example lacks, a model no provider serves are exit 2 naming the field.
 */
describe('evalops run with a model target from a release config', () => {
  let server: FakeOpenAIServer;
  const dir = mkdtempSync(join(tmpdir(), 'evalops-relmodel-'));
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const env = () => ({ EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: server.url });
  const evalConfig = (target: string) =>
    write(
      `evalops-${Math.random().toString(36).slice(2)}.yaml`,
      `version: 1\nproject: shop\ntarget:\n${target}\ndataset:\n  name: cases\n  path: ./cases.jsonl\nmetrics:\n  - name: polite\n    scorer: { type: icontains, value: thanks }\n`,
    );
  beforeAll(async () => {
    server = await startFakeOpenAI({ respond: () => ({ text: 'Thanks for asking.' }) });
    write('cases.jsonl', '{"id":"a","input":{"question":"Where is my refund?"}}\n{"id":"b","input":{"question":"Can I return shoes?"}}\n');
    write('v1.yaml', 'prompts:\n  system: { template: "You are a support bot." }\n  user: { template: "Customer asks: {{input.question}}" }\nmodel: { id: "openai:gpt-4.1-mini", parameters: { temperature: 0.1, maxTokens: 50 } }\ntools:\n  - { name: lookup_order, description: Find an order }\n');
  });
  afterAll(async () => {
    await server.close();
  });

  it('calls the model with the release config and names the run for the release, with the release variant', async () => {
    const set = await runCli(['releases', 'config', 'set', '1.0.0', '--file', join(dir, 'v1.yaml'), '--project', 'shop', '--json'], { env: env() });
    expect(set.code, set.stderr).toBe(0);
    const variant = JSON.parse(set.stdout).release.variant as string;
    const run = await runCli(['run', '-c', evalConfig('  type: model\n  release: 1.0.0'), '--json', '--no-cache'], { env: env() });
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.metrics.polite).toMatchObject({ n: 2, passed: 2 });
    const body = server.calls.at(-1)?.body;
    expect(body).toMatchObject({ model: 'gpt-4.1-mini', temperature: 0.1, max_tokens: 50 });
    expect(body?.messages?.[0]).toMatchObject({ role: 'system', content: 'You are a support bot.' });
    expect(JSON.stringify(body?.messages)).toMatch(/Customer asks: (Where is my refund\?|Can I return shoes\?)/);
    expect(body?.tools?.[0]?.function.name).toBe('lookup_order');
    const shown = JSON.parse((await runCli(['runs', 'show', doc.runId, '--json'], { env: env() })).stdout);
    expect(shown.target.variant).toBe(variant);
    const release = JSON.parse((await runCli(['releases', 'show', '1.0.0', '--project', 'shop', '--json'], { env: env() })).stdout);
    expect(release).toMatchObject({ variant, names: ['1.0.0'] });

    // The same config from a file is the same variant.
    const fromFile = await runCli(['run', '-c', evalConfig('  type: model\n  config: ./v1.yaml'), '--json', '--no-cache'], { env: env() });
    expect(fromFile.code, fromFile.stderr).toBe(0);
    const fileRun = JSON.parse((await runCli(['runs', 'show', JSON.parse(fromFile.stdout).runId, '--json'], { env: env() })).stdout);
    expect(fileRun.target.variant).toBe(variant);
  });

  it('promotes an approved release to canary as the gate policy onApprove says, audited; a bad onApprove is exit 2 naming the field', async () => {
    write('v2.yaml', 'prompts:\n  system: { template: "You are a kind support bot." }\n  user: { template: "Customer asks: {{input.question}}" }\nmodel: { id: "openai:gpt-4.1-mini", parameters: { temperature: 0 } }\n');
    expect((await runCli(['releases', 'config', 'set', '2.0.0', '--file', join(dir, 'v2.yaml'), '--project', 'shop'], { env: env() })).code).toBe(0);
    const cfg = write(
      'gated.yaml',
      'version: 1\nproject: shop\ntarget:\n  type: model\n  release: 2.0.0\ndataset:\n  name: cases\n  path: ./cases.jsonl\nmetrics:\n  - name: polite\n    scorer: { type: icontains, value: thanks }\ngate:\n  baseline: last-approved\n  onApprove: { promote: canary, percent: 30 }\n  rules:\n    - { metric: polite, min: 0.5, action: block }\n',
    );
    expect((await runCli(['run', '-c', cfg, '--no-cache'], { env: env() })).code).toBe(0);
    const gate = await runCli(['gate', '-c', cfg, '--json'], { env: env() });
    expect(gate.code, gate.stderr).toBe(0);
    expect(JSON.parse(gate.stdout).outcome).toBe('approve');
    const release = JSON.parse((await runCli(['releases', 'show', '2.0.0', '--project', 'shop', '--json'], { env: env() })).stdout);
    expect(release).toMatchObject({ status: 'canary', canaryPercent: 30 });
    expect(release.history.at(-1)).toMatchObject({ event: { type: 'promote', percent: 30 }, actor: expect.stringContaining('(policy onApprove)') });
    const bad = write('badpolicy.yaml', 'version: 1\nproject: shop\ntarget:\n  type: model\n  release: 2.0.0\ndataset:\n  name: cases\n  path: ./cases.jsonl\nmetrics:\n  - name: polite\n    scorer: { type: icontains, value: thanks }\ngate:\n  baseline: last-approved\n  onApprove: { promote: canary, percent: 120 }\n  rules:\n    - { metric: polite, min: 0.5, action: block }\n');
    const refused = await runCli(['gate', '-c', bad], { env: env() });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('onApprove.percent');
  });

  it('exits 2 naming the field for a variable the target does not provide, a field an example lacks, a model no provider serves', async () => {
    write('expected.yaml', 'prompts:\n  user: { template: "Answer {{expected.keyword}}" }\nmodel: { id: "openai:gpt-4.1-mini" }\n');
    const a = await runCli(['run', '-c', evalConfig('  type: model\n  config: ./expected.yaml')], { env: env() });
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('prompts.user.template: {{expected.keyword}} is not something the model target provides');
    write('lacking.yaml', 'prompts:\n  user: { template: "Order {{input.orderId}}" }\nmodel: { id: "openai:gpt-4.1-mini" }\n');
    const b = await runCli(['run', '-c', evalConfig('  type: model\n  config: ./lacking.yaml')], { env: env() });
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('{{input.orderId}} is missing from example a');
    write('nowhere.yaml', 'model: { id: "mistral:large" }\n');
    const c = await runCli(['run', '-c', evalConfig('  type: model\n  config: ./nowhere.yaml')], { env: env() });
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('model.id: no configured provider serves "mistral:large"');
    const d = await runCli(['run', '-c', evalConfig('  type: model\n  release: 9.9.9')], { env: env() });
    expect(d.code).toBe(2);
    expect(d.stderr).toContain('has no release 9.9.9');
    const e = await runCli(['run', '-c', evalConfig('  type: model\n  release: 1.0.0\n  model: openai:gpt-4.1')], { env: env() });
    expect(e.code).toBe(2);
    expect(e.stderr).toContain('exactly one of model, release');
  });
});
