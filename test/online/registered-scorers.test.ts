/**
 * No file or code from the API: over the real HTTP API on loopback, a rule naming a file anywhere
 * (a function module, a JSON Schema, a rubric) is refused 400 naming the field, with nothing stored;
 * a scorer the operator registered (`--scorers DIR`, here the fixture directory) is listed to a
 * viewer and runs end to end through the worker; and a rule stored by an earlier version with a path
 * is not loaded: its scores are errored, naming the field, without the file's content.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importModule } from '../../src/config/import-module.js';
import { OnlineRuleSpecSchema } from '../../src/core/online/online-rule.js';
import { SpanSchema } from '../../src/core/span.js';
import { startOnlineWorker, type RunningWorker } from '../../src/online/online-worker.js';
import { loadRegisteredScorers } from '../../src/scorers/registered-scorers.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import { openStore, type Store } from '../../src/store/store.js';

const SECRET = 'hunter2-do-not-leak';

describe('online rules over the API: registered scorers only, no file or code from a request', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-registered-'));
  // What an attacker would name: a file with a secret, and a module whose import leaves a marker.
  const secretFile = join(dir, 'secret.json');
  const marker = join(dir, 'imported.marker');
  const evilModule = join(dir, 'evil.mjs');
  let store: Store;
  let server: RunningServer;
  let worker: RunningWorker | undefined;
  let owner = '';
  let viewer = '';
  let projectId = '';
  const api = async (method: string, path: string, body?: unknown, key = owner): Promise<{ status: number; json: any }> => {
    const res = await fetch(`${server.url}/api/v1${path}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: res.status, json: await res.json() };
  };
  const rule = (scorer: unknown) => ({ rule: { name: 'probe', sampleRate: 1, settleSeconds: 1, flags: [], metrics: [{ name: 'probe', scorer }] }, backfill: true });

  beforeAll(async () => {
    writeFileSync(secretFile, `root:x:0:0:${SECRET}\n`);
    writeFileSync(evilModule, `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'imported');\nexport default () => true;\n`);
    store = await openStore(`sqlite:${join(dir, 'db.sqlite')}`);
    const project = await store.projects.ensure('shop');
    projectId = project.id;
    owner = (await store.apiKeys.create({ role: 'owner', projectId, createdBy: 'test' })).plaintext;
    viewer = (await store.apiKeys.create({ role: 'viewer', projectId, createdBy: 'test' })).plaintext;
    const scorers = await loadRegisteredScorers(resolve('test/fixtures/scorers/registered'), importModule);
    server = await startServer({ store, port: 0, host: '127.0.0.1', scorers });
  });

  afterAll(async () => {
    await worker?.stop();
    await server?.close();
    await store?.close();
  });

  it('refuses a path as a JSON Schema, a function module or a rubric: 400 naming the field, nothing stored', async () => {
    const cases: [unknown, string][] = [
      [{ type: 'json-schema', schema: '/etc/passwd' }, 'rule.metrics.0.scorer.schema'],
      [{ type: 'json-schema', schema: secretFile }, 'rule.metrics.0.scorer.schema'],
      [{ type: 'tool-args', name: 'refund', schema: '/etc/passwd' }, 'rule.metrics.0.scorer.schema'],
      [{ type: 'function', path: '/etc/passwd' }, 'rule.metrics.0.scorer.path'],
      [{ type: 'function', path: evilModule }, 'rule.metrics.0.scorer.path'],
      [{ type: 'judge', rubric: '/etc/passwd', labels: ['no', 'yes'], pass: ['yes'] }, 'rule.metrics.0.scorer.rubric'],
      [{ type: 'function', name: 'not_registered' }, 'rule.metrics.0.scorer.name'],
      [{ type: 'function', name: '../../etc/passwd' }, 'rule.metrics.0.scorer.name'],
      [{ type: 'command', command: ['sh', '-c', `touch ${marker}`] }, 'rule.metrics.0.scorer.type'],
    ];
    for (const [scorer, field] of cases) {
      const r = await api('PUT', '/projects/shop/online/rules', rule(scorer));
      expect(r.status, JSON.stringify(scorer)).toBe(400);
      expect(r.json.error.code).toBe('input');
      expect(r.json.error.message).toContain(`body field ${field}`);
      expect(r.json.error.message).not.toContain(SECRET);
      expect(r.json.error.message).not.toContain('root:');
    }
    expect(await store.onlineRules.list(projectId)).toEqual([]);
    expect((await store.audit.list(projectId, {})).filter((e: { action: string }) => e.action === 'online.rule')).toEqual([]);
    expect(existsSync(marker)).toBe(false);
  });

  it('lists the registered scorers to a viewer, without their files', async () => {
    const r = await api('GET', '/scorers', undefined, viewer);
    expect(r.status).toBe(200);
    expect(r.json.configured).toBe(true);
    expect(r.json.scorers.map((s: { name: string }) => s.name)).toEqual(['cites_policy', 'short-enough']);
    expect(JSON.stringify(r.json)).not.toContain('fixtures');
  });

  it('scores through the worker with a registered scorer and an inline schema; a legacy rule with paths is skipped as errored, leaking nothing', async () => {
    const saved = await api('PUT', '/projects/shop/online/rules', {
      rule: {
        name: 'registered',
        sampleRate: 1,
        settleSeconds: 1,
        flags: [],
        metrics: [
          { name: 'cites', scorer: { type: 'function', name: 'cites_policy' } },
          { name: 'shape', scorer: { type: 'json-schema', schema: { type: 'object', required: ['answer'] } } },
        ],
      },
      backfill: true,
    });
    expect(saved.status).toBe(200);
    // As an earlier version could have stored it: straight into the store, paths and all.
    await store.onlineRules.save(
      projectId,
      OnlineRuleSpecSchema.parse({
        name: 'legacy',
        sampleRate: 1,
        settleSeconds: 1,
        flags: [],
        metrics: [
          { name: 'schema_file', scorer: { type: 'json-schema', schema: secretFile } },
          { name: 'module_file', scorer: { type: 'function', path: evilModule } },
          { name: 'rubric_file', scorer: { type: 'judge', model: 'none:none', rubric: secretFile.replace(/\.json$/, '.md'), labels: ['no', 'yes'], pass: ['yes'] } },
        ],
      }),
      { backfill: true },
    );
    const outputs = ['{"answer":"Per our refund policy, 5 days."}', 'Soon.'];
    await store.spans.insertBatch(
      outputs.map((output, i) => {
        const t = Date.now() - 60_000 + i;
        return { projectId, span: SpanSchema.parse({ traceId: (i + 1).toString(16).padStart(32, '0'), spanId: (i + 1).toString(16).padStart(16, '0'), name: 'agent', kind: 'AGENT', otelKind: 'server', startTimeMs: t, endTimeMs: t + 10, durationMs: 10, status: 'ok', input: 'Where is my refund?', output, toolCalls: [], usage: {}, attributes: {}, resource: {}, events: [] }) };
      }),
    );
    const scorers = await loadRegisteredScorers(resolve('test/fixtures/scorers/registered'), importModule);
    worker = await startOnlineWorker({ store, registered: scorers, sweepMs: 200, monitorMs: 60_000, webhookMs: 60_000 });
    const rules = await store.onlineRules.list(projectId);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const counts = await Promise.all(rules.map((r) => store.onlineScores.scoreCount(r.id)));
      if (counts.every((c) => c.traces >= 2)) break;
      if (Date.now() > deadline) throw new Error(`timed out: ${JSON.stringify(counts)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const first = await api('GET', `/projects/shop/traces/${'1'.padStart(32, '0')}/online-scores`, undefined, viewer);
    const second = await api('GET', `/projects/shop/traces/${'2'.padStart(32, '0')}/online-scores`, undefined, viewer);
    const byRule = (view: any, name: string) => [...view.json.rules.find((r: { rule: string }) => r.rule === name).scores].sort((a: { metric: string }, b: { metric: string }) => (a.metric === 'cites' ? -1 : b.metric === 'cites' ? 1 : 0));
    expect(byRule(first, 'registered')).toEqual([
      expect.objectContaining({ metric: 'cites', status: 'scored', pass: true, reason: 'cites the policy' }),
      expect.objectContaining({ metric: 'shape', status: 'scored', pass: true }),
    ]);
    expect(byRule(second, 'registered')).toEqual([
      expect.objectContaining({ metric: 'cites', status: 'scored', pass: false }),
      expect.objectContaining({ metric: 'shape', status: 'scored', pass: false }),
    ]);
    const legacy = byRule(first, 'legacy') as { metric: string; status: string; reason: string }[];
    const reasonOf = (metric: string) => legacy.find((s) => s.metric === metric)?.reason;
    expect(legacy.map((s) => s.status)).toEqual(['errored', 'errored', 'errored']);
    expect(reasonOf('schema_file')).toContain('scorer.schema names a file');
    expect(reasonOf('module_file')).toContain('scorer.path names a file');
    expect(reasonOf('rubric_file')).toContain('scorer.rubric names a file');
    for (const s of legacy) {
      expect(s.reason).not.toContain(SECRET);
      expect(s.reason).not.toContain(dir);
    }
    expect(existsSync(marker)).toBe(false); // the module named by the stored rule was never imported
  });
});
