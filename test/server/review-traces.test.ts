import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { openStore, type Store } from '../../src/store/store.js';
import { REPO, runCli } from '../cli/run-cli.js';
import { startFakeOpenAI, type FakeOpenAIServer } from '../support/fake-openai-server.js';

/**
 * Production traces in review, and judge drift: traces flagged by a thumbs down enter a queue (once),
 * a reviewer labels them over HTTP, `evalops review judge` attaches the judge's verdicts (the items came
 * in without one), and the judge–human disagreement on production items crosses the threshold and
 * raises the drift alert. The judge says `excellent` on the first 12 of the 24 flagged traces and
 * `poor` on the rest; the reviewer says `poor` on all, so the disagreement rate is 12/24 = 0.5.
 */
describe('review of production traces and judge drift', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-review-traces-'));
  const url = `sqlite:${join(dir, 'db.sqlite')}`;
  let store: Store;
  let server: RunningServer;
  let judge: FakeOpenAIServer;
  let reviewerKey: string;
  const ids = Array.from({ length: 30 }, (_, i) => `${i.toString(16).padStart(2, '0')}f7651916cd43dd8448eb211c80319c`);
  const attr = (key: string, value: string) => ({ key, value: { stringValue: value } });
  const ns = (ms: number) => String(BigInt(Math.round(ms)) * 1_000_000n);
  const env = () => ({ EVALOPS_DATABASE_URL: url, EVALOPS_ACTOR: 'lead@example.com', OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: judge.url });
  const cli = (args: string[]) => runCli([...args, '-c', join(dir, 'bot/evalops.yaml'), '--json'], { env: env(), cwd: dir });

  beforeAll(async () => {
    cpSync(join(REPO, 'examples/support-bot'), join(dir, 'bot'), { recursive: true });
    judge = await startFakeOpenAI({
      respond: (req) => {
        const m = /question (\d+)\b/.exec(String(req.body?.messages?.at(-1)?.content ?? ''));
        return { json: { label: m && Number(m[1]) < 12 ? 'excellent' : 'poor', reason: 'scripted' } };
      },
    });
    store = await openStore(url);
    const project = await store.projects.ensure('support-bot');
    const ingest = (await store.apiKeys.create({ role: 'ingest', projectId: project.id, createdBy: 't' })).plaintext;
    reviewerKey = (await store.apiKeys.create({ role: 'reviewer', projectId: project.id, createdBy: 't', name: 'rita@example.com' })).plaintext;
    server = await startServer({ store, port: 0, host: '127.0.0.1' });
    const now = Date.now();
    const spans = ids.map((traceId, i) => ({
      traceId,
      spanId: `a${i.toString(16).padStart(2, '0')}0000000000001`,
      name: 'support-agent',
      kind: 2,
      startTimeUnixNano: ns(now - 60_000 + i * 1000),
      endTimeUnixNano: ns(now - 59_500 + i * 1000),
      attributes: [attr('openinference.span.kind', 'AGENT'), attr('input.value', `customer question ${i} about a refund`), attr('output.value', `Answer ${i}.`)],
    }));
    const res = await fetch(`${server.url}/v1/traces`, { method: 'POST', headers: { authorization: `Bearer ${ingest}`, 'content-type': 'application/json' }, body: JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] }) });
    expect(res.status).toBe(200);
    // A thumbs down on the first 24 traces (ordered so that trace i is "question i").
    for (const traceId of ids.slice(0, 24)) await store.feedback.add(project.id, traceId, { kind: 'thumbs', value: 'down' });
  });
  afterAll(async () => {
    await server?.close();
    await store?.close();
    await judge?.close();
  });

  it('routes the traces with negative feedback into a queue, once', async () => {
    expect((await cli(['review', 'queues', 'create', 'prod', '--metric', 'helpfulness'])).code).toBe(0);
    const added = JSON.parse((await cli(['review', 'add', 'prod', '--negative-feedback'])).stdout);
    expect(added).toMatchObject({ added: 24, skipped: 0, byReason: { feedback: 24 } });
    const again = JSON.parse((await cli(['review', 'add', 'prod', '--trace', ids[0]!, '--trace', ids[29]!])).stdout);
    expect(again).toMatchObject({ added: 1, skipped: 1, byReason: { manual: 2 } });
  });

  it('shows a reviewer the trace input and output, and takes their labels', async () => {
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${server.url}/api/v1/projects/support-bot/review/queues/prod${path}`, { method, headers: { authorization: `Bearer ${reviewerKey}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
      return { status: res.status, body: (await res.json()) as any }; // checked field by field
    };
    let n = 0;
    for (;;) {
      const next = await call('POST', '/next');
      if (next.body.item === null) break;
      expect(next.body.item).toMatchObject({ source: 'trace', input: expect.stringMatching(/^customer question \d+ about a refund$/), output: expect.stringMatching(/^Answer \d+\.$/), judge: null });
      expect((await call('POST', `/items/${next.body.item.id}/labels`, { label: 'poor', seconds: 15 })).status).toBe(201);
      n++;
    }
    expect(n).toBe(25);
  });

  it("attaches the judge's verdicts to the production items and raises the drift alert", async () => {
    const judged = JSON.parse((await cli(['review', 'judge', 'prod'])).stdout);
    expect(judged).toEqual({ queue: 'prod', judged: 25, attached: 25 });
    expect(JSON.parse((await cli(['review', 'judge', 'prod'])).stdout)).toEqual({ queue: 'prod', judged: 0, attached: 0 });
    const drift = JSON.parse((await cli(['judges', '--drift', 'helpfulness'])).stdout);
    expect(drift.buckets.reduce((s: number, b: { n: number }) => s + b.n, 0)).toBe(25);
    expect(drift.buckets.reduce((s: number, b: { disagreements: number }) => s + b.disagreements, 0)).toBe(12);
    expect(drift.alert).toMatchObject({ rate: 12 / 25, n: 25 });
    expect(drift.alert.message).toMatch(/judge helpfulness disagrees with reviewers on 48.0% of 25 items/);
  });
});
