import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { runCli } from './run-cli.js';

/**
 * The example's judge metric against a local OpenAI-compatible server: the real provider client
 * (OPENAI_BASE_URL) and structured output. Alternate requests get `adequate` and `excellent`.
 */
describe('evalops run with a judge (end to end)', () => {
  let server: FakeOpenAIServer;
  const dir = mkdtempSync(join(tmpdir(), 'evalops-cli-judge-'));
  beforeAll(async () => {
    server = await startFakeOpenAI({
      respond: (req) => ({ json: { label: req.index % 2 === 0 ? 'adequate' : 'excellent', reason: 'scripted verdict' } }),
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('scores every result with the judge, keeping label, reason and version', async () => {
    const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: server.url };
    const res = await runCli(['run', '-c', 'examples/support-bot/evalops.yaml', '--json', '--no-cache'], { env });
    expect(res.code, res.stderr).toBe(0);
    const doc = JSON.parse(res.stdout);
    expect(doc.notices).toEqual([]);
    expect(doc.metrics.helpfulness).toMatchObject({ n: 90, passed: 90, errored: 0, skipped: 0 });
    expect(server.calls.filter((c) => c.endpoint === 'chat')).toHaveLength(90);
    expect(server.calls[0]?.body?.response_format?.type).toBe('json_schema');
    const show = JSON.parse((await runCli(['runs', 'show', doc.runId, '--results', '--limit', '100', '--json'], { env })).stdout);
    const labels = new Set(show.items.map((r: { scores: { helpfulness: { label: string } } }) => r.scores.helpfulness.label));
    expect(labels).toEqual(new Set(['adequate', 'excellent']));
    expect(show.items[0].scores.helpfulness).toMatchObject({ status: 'scored', reason: 'scripted verdict', scorerVersion: expect.any(String) });
  });

  it('leaves judge scores errored, visible, when the judge cannot be reached', async () => {
    const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db2.sqlite')}`, OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' };
    const res = await runCli(['run', '-c', 'examples/support-bot/evalops.yaml', '--json', '--concurrency', '16'], { env });
    expect(res.code, res.stderr).toBe(0);
    const doc = JSON.parse(res.stdout);
    expect(doc.metrics.helpfulness).toMatchObject({ n: 0, errored: 90 });
    expect(doc.metrics.cites_policy).toMatchObject({ n: 90, passed: 90 });
  });
});
