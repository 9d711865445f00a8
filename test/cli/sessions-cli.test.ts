/**
 * `evalops sessions transcript|promote` on the local database (the built CLI as a child process):
 * the session's turns with its failed tool call, promotion into a conversation example, and the exit
 * codes of a user's mistakes (an unknown session, a bad dataset name, a missing --dataset).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SpanSchema, type Span } from '../../src/core/span.js';
import { openStore } from '../../src/store/store.js';
import { runCli } from './run-cli.js';

describe('evalops sessions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-sessions-cli-'));
  const env = { EVALOPS_DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, EVALOPS_ACTOR: 'ops@example.com' };
  const users = ['My order A1001 is late.', 'Still waiting, I already told you the number!'];

  beforeAll(async () => {
    const store = await openStore(env.EVALOPS_DATABASE_URL);
    try {
      const project = await store.projects.ensure('shop');
      const t = Date.now() - 60_000;
      const spans: Span[] = users.flatMap((user, i) => {
        const traceId = `e${i}`.padEnd(32, 'f');
        const root = SpanSchema.parse({ traceId, spanId: `${i}1`.padEnd(16, 'c'), name: 'agent', kind: 'AGENT', otelKind: 'server', startTimeMs: t + i * 1000, endTimeMs: t + i * 1000 + 500, durationMs: 500, status: 'ok', input: user, output: `reply ${i + 1}`, toolCalls: [], usage: {}, attributes: {}, resource: {}, events: [], sessionId: 'chat-9' });
        const tool = SpanSchema.parse({ traceId, spanId: `${i}2`.padEnd(16, 'c'), parentSpanId: root.spanId, name: 'track', kind: 'TOOL', otelKind: 'internal', startTimeMs: t + i * 1000 + 10, endTimeMs: t + i * 1000 + 100, durationMs: 90, status: i === 1 ? 'error' : 'ok', ...(i === 1 ? { statusMessage: 'carrier API down' } : {}), toolCalls: [], tool: { name: 'track_parcel', arguments: { order: 'A1001' } }, usage: {}, attributes: {}, resource: {}, events: [] });
        return [root, tool];
      });
      await store.spans.insertBatch(spans.map((span) => ({ projectId: project.id, span })));
    } finally {
      await store.close();
    }
  });

  it('prints the session turn by turn, with the failed tool call', async () => {
    const res = await runCli(['sessions', 'transcript', 'chat-9', '--project', 'shop'], { env });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toBe(['[1] user: My order A1001 is late.', '    tool track_parcel', '    assistant: reply 1', '[2] user: Still waiting, I already told you the number!', '    tool track_parcel FAILED: carrier API down', '    assistant: reply 2', ''].join('\n'));
  });

  it('promotes the session into a conversation example of its user turns', async () => {
    const res = await runCli(['sessions', 'promote', 'chat-9', '--dataset', 'conversations', '--project', 'shop', '--json'], { env });
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ sessionId: 'chat-9', dataset: 'conversations', exampleId: 'session_chat-9', turns: 2, examples: 1, created: true });
    const store = await openStore(env.EVALOPS_DATABASE_URL);
    try {
      const project = (await store.projects.findByName('shop'))!;
      const [example] = await store.datasets.examples((await store.datasets.getVersion(project.id, 'conversations')).id);
      expect(example).toMatchObject({ id: 'session_chat-9', input: users[0], source: 'trace', metadata: { session: { id: 'chat-9', userTurns: users } } });
    } finally {
      await store.close();
    }
  });

  it('exits 2 naming the session when it is unknown, and for a bad dataset name or a missing --dataset', async () => {
    const unknown = await runCli(['sessions', 'promote', 'nope', '--dataset', 'conversations', '--project', 'shop'], { env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('session "nope" not found');
    const bad = await runCli(['sessions', 'promote', 'chat-9', '--dataset', '../etc', '--project', 'shop'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('dataset');
    const missing = await runCli(['sessions', 'promote', 'chat-9', '--project', 'shop'], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--dataset');
  });
});
