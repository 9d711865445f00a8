/**
 * Conversation examples through the real engine (executeRun) with a real SQLite store: scripted
 * replay, a simulated user played by the scripted local OpenAI-compatible server, cache replay,
 * repeats, a failing turn and a malformed simulated-user answer.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importModule } from '../../src/config/import-module.js';
import { createSimulatedUser } from '../../src/conversation/create-simulated-user.js';
import type { SimulatedUser } from '../../src/conversation/simulated-user.js';
import type { Example } from '../../src/core/example.js';
import { asTranscript } from '../../src/core/transcript.js';
import { createModelPort } from '../../src/models/ai-sdk-model-port.js';
import { executeRun, type MetricScorer } from '../../src/runner/execute-run.js';
import { createScorer } from '../../src/scorers/create-scorer.js';
import { openStore, type Store } from '../../src/store/store.js';
import { createTarget } from '../../src/targets/create-target.js';
import type { Target } from '../../src/targets/target.js';
import { startFakeOpenAI, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { tempFiles, type TempFiles } from '../support/temp-files.js';

/** A support agent that remembers: it answers with what it knows from the whole history. */
const AGENT = `
let calls = 0;
export function count() { return calls; }
export default async (messages, ctx) => {
  calls++;
  const users = messages.filter((m) => m.role === 'user').map((m) => m.content);
  const last = users.at(-1);
  if (last.includes('explode')) throw new Error('agent crashed');
  const order = users.join(' ').match(/order (\\d+)/);
  if (!order) return { output: 'Which order number?', costUsd: 0.01 };
  const looked = messages.some((m) => m.role === 'tool' && m.name === 'lookup_order');
  if (!looked) return { output: 'Looking up order ' + order[1], toolCalls: [{ name: 'lookup_order', arguments: { id: order[1] }, result: { refundable: true } }], costUsd: 0.01 };
  return { output: 'Refund issued for order ' + order[1] + ' (turn ' + ctx.conversation.turn + ')', toolCalls: [{ name: 'refund', arguments: { id: order[1] } }], costUsd: 0.01 };
};
`;

const base = { metadata: {}, slices: [], source: 'manual' as const };
const scripted: Example = {
  ...base,
  id: 'scripted',
  input: 'My kettle broke',
  conversation: { kind: 'turns', turns: [{ user: 'My kettle broke' }, { user: 'It is order 1234' }, { user: 'Thanks' }] },
};
const scenario = (id: string, maxTurns = 5): Example => ({
  ...base,
  id,
  input: 'get a refund for order 1234',
  conversation: { kind: 'scenario', scenario: { persona: 'a tired customer', goal: 'get a refund for order 1234', facts: { order: '1234' }, maxTurns } },
});

describe('conversations in a run', () => {
  let store: Store;
  let files: TempFiles;
  let server: FakeOpenAIServer | undefined;
  let target: Target;
  const deps = { baseDir: '/', importModule };

  beforeEach(async () => {
    store = await openStore(':memory:');
    files = await tempFiles({ 'package.json': '{"type":"module"}', 'agent.mjs': AGENT });
    target = await createTarget({ type: 'module', path: './agent.mjs', export: 'default' }, { baseDir: files.dir, importModule });
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await files.remove();
    await store.close();
  });

  async function run(examples: Example[], options: { simulatedUser?: SimulatedUser; repeat?: number; cache?: boolean; metrics?: MetricScorer[] } = {}) {
    const project = await store.projects.ensure('p');
    const { version } = await store.datasets.saveVersion(project.id, 'd', `h${Math.random()}`, examples);
    const repeat = options.repeat ?? 1;
    const created = await store.runs.create({ projectId: project.id, datasetVersionId: version.id, targetType: target.type, targetVariant: target.variant, metrics: [], labels: {}, repeat });
    const metrics = options.metrics ?? [
      { name: 'refunded', scorer: await createScorer({ type: 'contains', value: 'Refund issued' }, deps) },
      { name: 'tools', scorer: await createScorer({ type: 'tool-sequence', names: ['lookup_order', 'refund'] }, deps) },
    ];
    const outcome = await executeRun(
      { runId: created.id, examples, target, metrics, concurrency: 4, repeat, retries: 0, cache: options.cache ?? true, ...(options.simulatedUser ? { simulatedUser: options.simulatedUser } : {}) },
      { runs: store.runs, cache: store.cache },
    );
    return { outcome, results: await store.runs.results(created.id) };
  }

  /** The simulated user of the fake server: reads what the agent said (as its "user" messages) and answers. */
  async function modelUser(answer?: (agentSaid: string, seen: Array<{ role: string; content: unknown }>) => unknown): Promise<SimulatedUser> {
    server = await startFakeOpenAI({
      respond: (request) => {
        const seen = request.body?.messages ?? [];
        const agentSaid = String(seen.filter((m) => m.role === 'user').at(-1)?.content ?? '');
        const custom = answer?.(agentSaid, [...seen]);
        if (custom !== undefined) return custom as never;
        if (agentSaid.startsWith('[The conversation starts')) return { json: { message: 'My kettle broke, I want a refund', done: false, goalMet: false } };
        if (agentSaid.includes('Which order')) return { json: { message: 'It is order 1234', done: false, goalMet: false } };
        if (agentSaid.includes('Refund issued')) return { json: { message: 'Thanks!', done: true, goalMet: true } };
        return { json: { message: 'ok, go on', done: false, goalMet: false } };
      },
    });
    const models = createModelPort({ providers: { fake: { kind: 'openai-compatible', baseURL: server.url } }, env: {} });
    return createSimulatedUser({ type: 'model', model: 'fake:user-sim', seed: 0 }, models);
  }

  it('replays scripted turns with the target\'s own earlier answers and tool results in the history', async () => {
    const { results } = await run([scripted]);
    const [result] = results;
    const transcript = asTranscript(result?.output);
    expect(transcript?.endedBy).toBe('script-end');
    expect(transcript?.goalMet).toBeNull();
    expect(transcript?.turns.map((t) => [t.user, t.text])).toEqual([
      ['My kettle broke', 'Which order number?'],
      ['It is order 1234', 'Looking up order 1234'],
      ['Thanks', 'Refund issued for order 1234 (turn 2)'],
    ]);
    // Scorers saw the whole session: its text and every tool call in order.
    expect(result?.scores['refunded']?.pass).toBe(true);
    expect(result?.scores['tools']?.pass).toBe(true);
    expect(result?.toolCalls.map((c) => c.name)).toEqual(['lookup_order', 'refund']);
    expect(result?.costUsd).toBeCloseTo(0.03, 10);
    expect(result?.latencyMs).toBe(transcript?.turns.reduce((s, t) => s + t.latencyMs, 0));
  });

  it('drives a scenario with a model simulated user that sees only user and assistant text', async () => {
    const user = await modelUser();
    const { results } = await run([scenario('s1')], { simulatedUser: user });
    const transcript = asTranscript(results[0]?.output);
    expect(transcript).toMatchObject({ endedBy: 'user-done', goalMet: true, goal: 'get a refund for order 1234', persona: 'a tired customer' });
    expect(transcript?.turns.map((t) => t.user)).toEqual(['My kettle broke, I want a refund', 'It is order 1234', 'ok, go on']);
    expect(transcript?.turns.at(-1)?.verdict).toEqual({ message: 'Thanks!', done: true, goalMet: true });
    expect(results[0]?.scores['refunded']?.pass).toBe(true);
    // The simulated user's prompt holds persona, goal and facts; it never saw the tool result.
    const calls = server?.calls ?? [];
    expect(calls).toHaveLength(4);
    const system = String(calls[0]?.body?.messages?.[0]?.content);
    expect(system).toContain('Persona: a tired customer');
    expect(system).toContain('Your goal: get a refund for order 1234');
    expect(system).toContain('- order: 1234');
    expect(calls[0]?.body?.response_format?.type).toBe('json_schema');
    for (const call of calls) expect(JSON.stringify(call.body?.messages)).not.toContain('refundable');
  });

  it('stops at maxTurns with the last verdict, and counts a turn limit as no goal met', async () => {
    const user = await modelUser((said) => (said.startsWith('[The conversation starts') ? undefined : { json: { message: 'hmm, and?', done: false, goalMet: false } }));
    const { results } = await run([scenario('s2', 2)], { simulatedUser: user });
    const transcript = asTranscript(results[0]?.output);
    expect(transcript?.endedBy).toBe('max-turns');
    expect(transcript?.goalMet).toBe(false);
    expect(transcript?.turns).toHaveLength(2);
  });

  it('replays a rerun of the same target from the cache: same simulated user, same answers, no call made', async () => {
    const user = await modelUser();
    const first = await run([scenario('s1'), scripted], { simulatedUser: user });
    const userCalls = server?.calls.length ?? 0;
    const { count } = (await importModule(`${files.dir}/agent.mjs`)) as { count: () => number };
    const agentCalls = count();
    expect(agentCalls).toBeGreaterThanOrEqual(6); // the same module instance the target calls
    expect(userCalls).toBe(4);
    const second = await run([scenario('s1'), scripted], { simulatedUser: user });
    expect(server?.calls.length).toBe(userCalls);
    expect(count()).toBe(agentCalls);
    expect(second.results.map((r) => r.output)).toEqual(first.results.map((r) => r.output));
    expect(second.results.every((r) => r.cached)).toBe(true);
    // A cached conversation cost nothing this time.
    expect(second.results.every((r) => r.costUsd === undefined)).toBe(true);
  });

  it('gives repeat trials their own seed and their own cache entries', async () => {
    const user = await modelUser();
    await run([scenario('s1')], { simulatedUser: user, repeat: 2 });
    const seeds = (server?.calls ?? []).map((c) => c.body?.seed);
    expect(new Set(seeds)).toEqual(new Set([0, 1]));
    expect(seeds.filter((s) => s === 0)).toHaveLength(4);
    expect(seeds.filter((s) => s === 1)).toHaveLength(4);
  });

  it('ends the conversation as errored on a failing turn and counts it as the result\'s error, unscored', async () => {
    const exploding: Example = { ...base, id: 'boom', input: 'hi', conversation: { kind: 'turns', turns: [{ user: 'hi' }, { user: 'now explode' }, { user: 'never sent' }] } };
    const { results } = await run([exploding]);
    const [result] = results;
    expect(result?.error).toBe('turn 2: agent crashed');
    expect(result?.scores).toEqual({});
    const transcript = asTranscript(result?.output);
    expect(transcript?.endedBy).toBe('error');
    expect(transcript?.turns.map((t) => t.error)).toEqual([undefined, 'agent crashed']);
  });

  it('keeps the raw text of a malformed simulated-user answer as a turn error', async () => {
    const user = await modelUser((said) => (said.includes('Which order') ? { text: 'sure! {not json' } : undefined));
    const { results } = await run([scenario('s3')], { simulatedUser: user });
    const transcript = asTranscript(results[0]?.output);
    expect(results[0]?.error).toMatch(/^turn 1: simulated user: .*invalid structured output/);
    expect(transcript?.endedBy).toBe('error');
    expect(transcript?.turns[0]?.rawUserAnswer).toBe('sure! {not json');
    expect(transcript?.turns[0]?.text).toBe('Which order number?');
    expect(results[0]?.scores).toEqual({});
  });

  it('drives a scenario with a scripted simulated user taking fixed branches', async () => {
    const user = createSimulatedUser(
      {
        type: 'scripted',
        opening: 'Hello, I am {{persona}}',
        rules: [
          { when: 'which order', say: 'order {{facts.order}}', done: false, goalMet: false },
          { when: 'refund issued', done: true, goalMet: true },
          { when: 'looking up', say: 'ok', done: false, goalMet: false },
        ],
        otherwise: { done: true, goalMet: false },
      },
      undefined,
    );
    const { results } = await run([scenario('s4')], { simulatedUser: user });
    const transcript = asTranscript(results[0]?.output);
    expect(transcript?.turns.map((t) => t.user)).toEqual(['Hello, I am a tired customer', 'order 1234', 'ok']);
    expect(transcript).toMatchObject({ endedBy: 'user-done', goalMet: true });
  });
});
