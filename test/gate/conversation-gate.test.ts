/**
 * Compare and gate on conversation results, through the real runner, store, comparison and gate:
 * a module target returns a whole session (a Transcript as its output, as the conversation runner
 * stores it), scored by session scorers. Checks that pairing by scenario id and trial works, that
 * `--repeat 3` gives pass^k per scenario on a session metric, and that an errored conversation
 * (a transcript that ended in a target error, or a target that failed outright on every trial)
 * never counts as a pass — in the mean, in pass^k and in the paired comparison.
 *
 * Hand-computed, 10 scenarios × 3 trials, metric `no_repeat` (repeated-question):
 *   v1: every scenario passes every trial                      → pass^3 = 10/10
 *   v2: s0–s3 ask for the order number twice (fail ×3)
 *       s4 is flaky (trial 2 repeats itself)                   → not in pass^3
 *       s5 returns a transcript that ended in a target error   → fail ×3 (scored)
 *       s6 throws on every trial (result error, no scores)     → counted, never a pass
 *       s7–s9 pass                                             → pass^3 = 3/10
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { importModule } from '../../src/config/import-module.js';
import { compareRuns } from '../../src/gate/compare-runs.js';
import { runGate } from '../../src/gate/gate-service.js';
import { runEvaluation } from '../../src/runner/run-evaluation.js';
import { runWithSummary } from '../../src/runner/run-queries.js';
import { openStore, type Store } from '../../src/store/store.js';
import { Hono } from 'hono';
import { isEvalOpsError } from '../../src/core/errors.js';
import { HTTP_STATUS } from '../../src/server/http-status.js';
import { apiRoutes } from '../../src/server/routes/api-routes.js';
import { ServerMetrics } from '../../src/server/server-metrics.js';

const AGENT = `
const turn = (index, user, text, extra = {}) => ({ index, user, output: text, text, toolCalls: [], latencyMs: 5, ...extra });
const session = (turns, endedBy = 'user-done', goalMet = true) => ({ kind: 'transcript', turns, endedBy, goal: 'refund order 1234', goalMet });
const good = () => session([turn(0, 'I want a refund', 'Sure. What is your order number?'), turn(1, 'It is 1234', 'Refund issued for order 1234.')]);
const forgetful = () => session(
  [turn(0, 'I want a refund', 'Sure. What is your order number?'), turn(1, 'It is 1234', 'How can I help with order 1234?'), turn(2, 'Refund it', 'What is your order number?')],
  'max-turns', false);
export async function v1() { return { output: good() }; }
export async function v2(input, ctx) {
  const n = input.n;
  if (n <= 3) return { output: forgetful() };
  if (n === 4) return { output: ctx.trial === 2 ? forgetful() : good() };
  if (n === 5) return { output: session([turn(0, 'I want a refund', 'What is your order number?'), turn(1, 'It is 1234', '', { error: 'HTTP 500 from the agent' })], 'error', null) };
  if (n === 6) throw new Error('the agent crashed');
  return { output: good() };
}
`;

const config = (exportName: string) => `version: 1
project: conversations
target: { type: module, path: ./agent.mjs, export: ${exportName} }
dataset: { name: scenarios, path: ./scenarios.jsonl }
metrics:
  - { name: no_repeat, owner: support@example.com, scorer: { type: repeated-question } }
  - { name: short, owner: support@example.com, scorer: { type: turns, max: 2 } }
gate:
  rules:
    - { metric: no_repeat, aggregate: pass^k, min: 0.8, action: block }
    - { metric: short, noRegression: true, action: require_approval }
`;

describe('compare and gate on conversations', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evalops-conv-gate-'));
  writeFileSync(join(dir, 'agent.mjs'), AGENT);
  writeFileSync(join(dir, 'v1.yaml'), config('v1'));
  writeFileSync(join(dir, 'v2.yaml'), config('v2'));
  writeFileSync(join(dir, 'scenarios.jsonl'), Array.from({ length: 10 }, (_, n) => JSON.stringify({ id: `s${n}`, input: { n } })).join('\n'));
  let store: Store;
  let v1Id: string;
  let v2Id: string;

  const run = async (file: string): Promise<string> => {
    const result = await runEvaluation(await loadConfig(join(dir, file)), { repeat: 3, cache: false, concurrency: 2 }, { store, env: {}, importModule });
    return result.summary.runId;
  };

  beforeAll(async () => {
    store = await openStore(':memory:');
    v1Id = await run('v1.yaml');
    v2Id = await run('v2.yaml');
  });

  it('scores the stored transcripts with the session scorers: pass^3 per scenario, the errored ones never passing', async () => {
    const v1 = (await runWithSummary(store, v1Id)).summary.metrics['no_repeat'];
    expect(v1?.repeats).toMatchObject({ k: 3, examples: 10, passAll: 10, passAllRate: 1 });
    const v2 = (await runWithSummary(store, v2Id)).summary.metrics['no_repeat'];
    // Scored trials: s0–s3 and s5 fail all 3 (15), s4 passes 2 and fails 1, s7–s9 pass all 3 (9): 11 of 27.
    // s6's 3 trials are target errors: no scores, yet counted in pass^3 below.
    expect(v2).toMatchObject({ n: 27, passed: 11, failed: 16 });
    expect(v2?.repeats).toMatchObject({ k: 3, examples: 10, passAll: 3, passAny: 4, passAllRate: 0.3, passAnyRate: 0.4, flaky: 1 });
    expect(v2?.repeats?.flakyExamples).toEqual([{ exampleId: 's4', passRate: 2 / 3, passed: 2, scored: 3 }]);
  });

  it('pairs the conversations by scenario id and trial, imputing the crashed scenario as a fail', async () => {
    const c = await compareRuns(store, v1Id, v2Id);
    expect(c.pairing).toEqual({ paired: 10, baselineOnly: [], candidateOnly: [] });
    const overall = c.comparisons.find((m) => m.metric === 'no_repeat' && m.slice === null);
    // One pair (s6) imputed on the candidate side: all its trials count as 0.
    expect(overall?.imputed).toEqual({ baseline: 0, candidate: 1 });
    // 30 trials: v1 passes all, v2 passes s4 ×2 and s7–s9 ×3 = 11 → mean 11/30.
    expect(overall?.baseline).toBeCloseTo(1, 12);
    expect(overall?.candidate).toBeCloseTo(11 / 30, 12);
    expect(overall?.verdict).toBe('regressed');
  });

  it('blocks the forgetful agent on the session metric and names pass^3', async () => {
    const loaded = await loadConfig(join(dir, 'v2.yaml'));
    const decision = await runGate(store, { project: 'conversations', gate: loaded.config.gate! }, { candidate: v2Id, baseline: v1Id, actor: 'ci@example.com' });
    expect(decision.outcome).toBe('block');
    const passK = decision.findings.find((f) => f.metric === 'no_repeat');
    expect(passK).toMatchObject({ status: 'failed', action: 'block' });
    expect(passK?.message).toContain('no_repeat pass^3 30.0% (3/10 examples; 1 flaky example(s)) violates min 80.0%');
    const short = decision.findings.find((f) => f.metric === 'short' && f.slice === null && f.condition === 'noRegression');
    expect(short).toMatchObject({ status: 'failed', action: 'require_approval' });
  });

  it('approves the same agent against itself: a rerun of the conversations is no regression', async () => {
    const rerun = await run('v1.yaml');
    const loaded = await loadConfig(join(dir, 'v1.yaml'));
    const decision = await runGate(store, { project: 'conversations', gate: loaded.config.gate! }, { candidate: rerun, baseline: v1Id, actor: 'ci@example.com' });
    expect(decision.outcome).toBe('approve');
  });

  it('answers the worst transcripts side by side over the API: lost metrics first, the crashed one included, tenancy kept', async () => {
    const project = await store.projects.ensure('conversations');
    const other = await store.projects.ensure('elsewhere');
    const viewer = (await store.apiKeys.create({ role: 'viewer', projectId: project.id, name: 'v@example.com', createdBy: 'test' })).plaintext;
    const stranger = (await store.apiKeys.create({ role: 'viewer', projectId: other.id, name: 's@example.com', createdBy: 'test' })).plaintext;
    const app = new Hono();
    app.route('/api/v1', apiRoutes({ store, metrics: new ServerMetrics(), log: () => undefined }));
    app.onError((e, c) => (isEvalOpsError(e) ? c.json({ error: { code: e.code, message: e.message } }, HTTP_STATUS[e.code]) : c.json({ error: { code: 'internal', message: String(e) } }, 500)));
    const get = (path: string, key = viewer) => app.request(`/api/v1${path}`, { headers: { authorization: `Bearer ${key}` } });

    const res = await get(`/runs/${v1Id}/compare/${v2Id}/transcripts?limit=20`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { exampleId: string; trial: number; lost: string[]; candidateMean: number | null; baseline: { transcript: { endedBy: string; turns: unknown[] } | null }; candidate: { transcript: { endedBy: string } | null; error: string | null } }[] };
    // 19 pairs lost both metrics (s0–s3 ×3, s4 trial 2, s5 ×3, s6 ×3), by scenario and trial; the
    // candidate's full-marks conversations (s4 trials 0–1, s7–s9) are not "worst" and are left out.
    expect(body.items).toHaveLength(19);
    expect(body.items.every((i) => i.lost.length === 2)).toBe(true);
    expect(body.items.slice(0, 3).map((i) => `${i.exampleId}#${i.trial}`)).toEqual(['s0#0', 's0#1', 's0#2']);
    expect(body.items.find((i) => i.exampleId === 's4')).toMatchObject({ trial: 2 });
    const crashed = body.items.find((i) => i.exampleId === 's6')!;
    expect(crashed).toMatchObject({ candidateMean: 0, candidate: { transcript: null, error: 'the agent crashed' } });
    expect(crashed.baseline.transcript?.turns).toHaveLength(2);
    expect(body.items.find((i) => i.exampleId === 's5')?.candidate.transcript?.endedBy).toBe('error');

    expect((await get(`/runs/${v1Id}/compare/${v2Id}/transcripts?limit=0`)).status).toBe(400);
    expect((await get(`/runs/${v1Id}/compare/${v2Id}/transcripts`, stranger)).status).toBe(404);
  });
});
