import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { openStore, type Store } from '../../src/store/store.js';
import { runCli } from '../cli/run-cli.js';

/** Traces in use: list with filters, a span tree, promotion into a dataset version (API and CLI). */
describe('traces: list, show, promote', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-traces-'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'ops@example.com' };
  let store: Store;
  let server: RunningServer;
  const keys: Record<string, string> = {};
  const T = ['0af7651916cd43dd8448eb211c80319c', '1bf7651916cd43dd8448eb211c80319c', '2cf7651916cd43dd8448eb211c80319c'];

  const attr = (key: string, value: string | number) => ({ key, value: typeof value === 'number' ? { intValue: String(value) } : { stringValue: value } });
  const ns = (ms: number) => String(BigInt(Math.round(ms)) * 1_000_000n);

  beforeAll(async () => {
    store = await openStore(`sqlite:${join(dir, 'db.sqlite')}`);
    const project = await store.projects.ensure('shop');
    for (const role of ['ingest', 'viewer', 'engineer'] as const) keys[role] = (await store.apiKeys.create({ role, projectId: project.id, createdBy: 't' })).plaintext;
    server = await startServer({ store, port: 0, host: '127.0.0.1' });
    const now = Date.now();
    const spans = T.flatMap((traceId, i) => [
      { traceId, spanId: `a${i}00000000000001`, name: 'support-agent', kind: 2, startTimeUnixNano: ns(now - 10_000 + i * 1000), endTimeUnixNano: ns(now - 9_000 + i * 1000), status: i === 2 ? { code: 2, message: 'tool failed' } : {}, attributes: [attr('openinference.span.kind', 'AGENT'), attr('input.value', `Where is order ${i}?`), attr('output.value', `Order ${i} ships tomorrow.`), attr('session.id', `s-${i % 2}`), attr('evalops.release', i === 0 ? 'r1' : 'r2'), attr('evalops.slice.intent', 'order_status')] },
      { traceId, spanId: `b${i}00000000000002`, parentSpanId: `a${i}00000000000001`, name: 'ChatCompletion', kind: 3, startTimeUnixNano: ns(now - 9_900 + i * 1000), endTimeUnixNano: ns(now - 9_100 + i * 1000), attributes: [attr('openinference.span.kind', 'LLM'), attr('llm.model_name', 'gpt-4.1-mini'), attr('llm.token_count.prompt', 20)] },
    ]);
    const res = await fetch(`${server.url}/v1/traces`, { method: 'POST', headers: { authorization: `Bearer ${keys['ingest']}`, 'content-type': 'application/json' }, body: JSON.stringify({ resourceSpans: [{ resource: { attributes: [attr('service.name', 'shop-bot')] }, scopeSpans: [{ spans }] }] }) });
    expect(res.status).toBe(200);
  });
  afterAll(async () => {
    await server.close();
    await store.close();
  });

  const api = async (path: string, init: { method?: string; body?: unknown; key?: string } = {}) => {
    const res = await fetch(`${server.url}/api/v1/projects/shop${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${init.key ?? keys['viewer']}`, 'content-type': 'application/json' },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> }; // bodies are checked field by field
  };

  it('lists traces by root span, newest first, with filters', async () => {
    const all = await api('/traces');
    expect(all.body['traces'].map((t: { traceId: string }) => t.traceId)).toEqual([T[2], T[1], T[0]]);
    expect(all.body['traces'][0]).toMatchObject({ name: 'support-agent', kind: 'AGENT', spans: 2, errors: 1, model: 'gpt-4.1-mini', inputTokens: 20 });
    expect((await api('/traces?release=r1')).body['traces'].map((t: { traceId: string }) => t.traceId)).toEqual([T[0]]);
    expect((await api('/traces?errors=true')).body['traces'].map((t: { traceId: string }) => t.traceId)).toEqual([T[2]]);
    expect((await api('/traces?session=s-1')).body['traces'].map((t: { traceId: string }) => t.traceId)).toEqual([T[1]]);
    expect((await api('/traces?limit=0')).status).toBe(400);
  });

  it('promotes traces into a dataset version through the API (engineer), not as a viewer', async () => {
    expect((await api('/traces/promote', { method: 'POST', body: { traceIds: [T[0]], dataset: 'from-prod' } })).status).toBe(403);
    const first = await api('/traces/promote', { method: 'POST', key: keys['engineer'], body: { traceIds: [T[0], T[1]], dataset: 'from-prod' } });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ dataset: 'from-prod', created: true, promoted: 2, examples: 2 });
    const again = await api('/traces/promote', { method: 'POST', key: keys['engineer'], body: { traceIds: [T[1]], dataset: 'from-prod' } });
    expect(again).toMatchObject({ status: 200, body: { created: false, examples: 2 } });
    expect((await api('/traces/promote', { method: 'POST', key: keys['engineer'], body: { traceIds: ['ffffffffffffffffffffffffffffffff'], dataset: 'from-prod' } })).status).toBe(404);
    expect((await api('/traces/promote', { method: 'POST', key: keys['engineer'], body: { traceIds: 'nope' } })).status).toBe(400);
  });

  it('promotes from the CLI and the examples carry source, input, reference output and slices', async () => {
    const res = await runCli(['traces', 'promote', T[2]!, '--dataset', 'from-prod', '--project', 'shop', '--json'], { env });
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ created: true, promoted: 1, examples: 3 });
    const show = JSON.parse((await runCli(['datasets', 'show', 'from-prod', '--project', 'shop', '--json'], { env })).stdout);
    const ex = show.examples.find((e: { id: string }) => e.id === `trace_${T[0]}`);
    expect(ex).toMatchObject({ source: 'trace', input: 'Where is order 0?', expected: { reference: 'Order 0 ships tomorrow.' }, metadata: { traceId: T[0], release: 'r1', model: 'gpt-4.1-mini' } });
    expect(ex.slices).toEqual(['intent:order_status', 'release:r1']);
    const list = await runCli(['traces', 'list', '--project', 'shop', '--kind', 'agent', '--json'], { env });
    expect(JSON.parse(list.stdout).traces).toHaveLength(3);
    const tree = await runCli(['traces', 'show', T[0]!, '--project', 'shop'], { env });
    expect(tree.stdout).toMatch(/AGENT support-agent .*\n  LLM ChatCompletion/);
  });

  it('lists sessions and shows one from the CLI; bad flags exit 2 naming the flag', async () => {
    const sessions = JSON.parse((await runCli(['traces', 'sessions', '--project', 'shop', '--json'], { env })).stdout).sessions;
    expect(sessions.map((s: { sessionId: string }) => s.sessionId)).toEqual(['s-0', 's-1']);
    expect(sessions[0]).toMatchObject({ traces: 2, spans: 4, errors: 1, inputTokens: 40 });
    const one = await runCli(['traces', 'session', 's-1', '--project', 'shop'], { env });
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toMatch(/^session s-1: 1 trace\(s\), .* 20 tokens/);
    expect(one.stdout).toContain(T[1]);
    const missing = await runCli(['traces', 'session', 'nope', '--project', 'shop'], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/session "nope" not found/);
    for (const [args, message] of [
      [['traces', 'list', '--has-feedback', 'maybe'], /^evalops: --has-feedback: /],
      [['traces', 'list', '--attr', 'novalue'], /^evalops: --attr: must be key=value/],
      [['traces', 'list', '--since', 'last week'], /^evalops: --since: must be epoch milliseconds or an ISO 8601 time/],
      [['traces', 'list', '--limit', '0'], /^evalops: --limit: /],
      [['traces', 'sessions', '--cursor', 'xyz'], /^evalops: --cursor: not a cursor/],
      [['traces', 'promote', '--dataset', 'd'], /name the traces to promote/],
      [['traces', 'promote', T[0]!, '--dataset', 'd', '--errors'], /trace ids or filter flags/],
    ] as const) {
      const res = await runCli([...args, '--project', 'shop'], { env });
      expect(res.code, `${args.join(' ')}: ${res.stderr}`).toBe(2);
      expect(res.stderr).toMatch(message);
    }
  });

  it('promotes the traces a filter selects from the CLI', async () => {
    const res = await runCli(['traces', 'promote', '--dataset', 'failures', '--errors', '--project', 'shop', '--json'], { env });
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ dataset: 'failures', created: true, promoted: 1, traceIds: [T[2]] });
  });

  it('runs an eval on the promoted dataset version (no file: the stored version)', async () => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'agent.mjs'), "export default (q) => `Order ${/\\d+/.exec(q)?.[0]} ships tomorrow.`;\n");
    writeFileSync(join(dir, 'evalops.yaml'), 'version: 1\nproject: shop\ntarget: { type: module, path: ./agent.mjs }\ndataset: { name: from-prod }\nmetrics:\n  - { name: matches_reference, owner: ops@example.com, scorer: { type: equals, value: "{{expected.reference}}" } }\n');
    const res = await runCli(['run', '--json'], { cwd: dir, env });
    expect(res.code, res.stderr).toBe(0);
    const doc = JSON.parse(res.stdout);
    expect(doc.dataset.name).toBe('from-prod');
    expect(doc.metrics.matches_reference).toMatchObject({ n: 3, passed: 3 });
    writeFileSync(join(dir, 'evalops.yaml'), 'version: 1\nproject: shop\ntarget: { type: module, path: ./agent.mjs }\ndataset: { name: from-prod, path: ./x.jsonl, version: abcd }\nmetrics:\n  - { name: m, scorer: { type: contains, value: x } }\n');
    const bad = await runCli(['run'], { cwd: dir, env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/dataset\.version: give either `path`/);
  });

  it('prints the same from a server (--server, a viewer key) as from the local database', async () => {
    // An empty database of its own: were the CLI to read locally, it would print nothing.
    const remote = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'empty.sqlite')}`, EVALOPS_API_KEY: keys['viewer']!, EVALOPS_ACTOR: 'ops@example.com' };
    const commands = [
      ['traces', 'list', '--project', 'shop'],
      ['traces', 'list', '--project', 'shop', '--json'],
      ['traces', 'list', '--project', 'shop', '--release', 'r2', '--limit', '1', '--json'],
      ['traces', 'sessions', '--project', 'shop'],
      ['traces', 'sessions', '--project', 'shop', '--json'],
      ['traces', 'session', 's-0', '--project', 'shop', '--json'],
      ['traces', 'show', T[0]!, '--project', 'shop'],
      ['traces', 'show', T[0]!, '--project', 'shop', '--json'],
    ];
    for (const args of commands) {
      const local = await runCli(args, { env });
      const served = await runCli([...args, '--server', server.url], { env: remote });
      expect(local.code, `${args.join(' ')}: ${local.stderr}`).toBe(0);
      expect(served.code, `${args.join(' ')} --server: ${served.stderr}`).toBe(0);
      if (args.includes('--json')) expect(JSON.parse(served.stdout), args.join(' ')).toEqual(JSON.parse(local.stdout));
      else expect(served.stdout, args.join(' ')).toBe(local.stdout);
    }
    // The project comes from the key when no flag or config names it; a viewer may not promote.
    const bound = await runCli(['traces', 'list', '--server', server.url, '--json'], { env: remote });
    expect(JSON.parse(bound.stdout).project).toBe('shop');
    const refused = await runCli(['traces', 'promote', T[0]!, '--dataset', 'x', '--server', server.url], { env: remote });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/datasets:write/);
    const missing = await runCli(['traces', 'show', 'ffffffffffffffffffffffffffffffff', '--project', 'shop', '--server', server.url], { env: remote });
    expect(missing.stderr).toMatch(/trace ffffffffffffffffffffffffffffffff not found/);
    const bad = await runCli(['traces', 'show', 'nope', '--project', 'shop', '--server', server.url], { env: remote });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/path field traceId: must be 32 hex characters/);
  });

  it('attaches feedback to a trace and filters traces by it', async () => {
    const post = (traceId: string, body: unknown, key = keys['ingest']) => api(`/traces/${traceId}/feedback`, { method: 'POST', body, key });
    expect((await post(T[1]!, { kind: 'thumbs', value: 'down', comment: 'wrong order', userId: 'u-9' })).status).toBe(201);
    expect((await post(T[1]!, { kind: 'signal', name: 'frustration', value: 0.8 })).status).toBe(201);
    expect((await post(T[0]!, { kind: 'thumbs', value: 'up' })).status).toBe(201);
    expect((await post(T[0]!, { kind: 'text', comment: '' })).status).toBe(400);
    expect((await post(T[0]!, { kind: 'stars', value: 5 })).status).toBe(400);
    expect((await post('ffffffffffffffffffffffffffffffff', { kind: 'thumbs', value: 'up' })).status).toBe(404);
    const fb = await api(`/traces/${T[1]}/feedback`);
    expect(fb.body['feedback']).toMatchObject([{ kind: 'thumbs', value: 0, comment: 'wrong order', userId: 'u-9' }, { kind: 'signal', name: 'frustration', value: 0.8 }]);
    expect((await api('/traces?hasFeedback=any')).body['traces'].map((t: { traceId: string }) => t.traceId)).toEqual([T[1], T[0]]);
    expect((await api('/traces?hasFeedback=negative')).body['traces'].map((t: { traceId: string }) => t.traceId)).toEqual([T[1]]);
  });
});
