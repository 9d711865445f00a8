/**
 * The conversation agents of examples/support-bot, without the runner: each scripted conversation of
 * data/scenarios.yaml is replayed turn by turn with the agent's own earlier answers (and tool calls)
 * in the history, each scenario is played by the scripted user rules of evalops.conversations.yaml,
 * and the session metrics of that config score the transcripts with the real scorers. Version 1 must
 * pass the gated metrics everywhere; version 2 (reads only the last message) must fail them broadly.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { answer as answerV1 } from '../../examples/support-bot/conversation-agent.js';
import { answer as answerV2 } from '../../examples/support-bot/conversation-agent-v2.js';
import type { ChatMessage, ConversationReply } from '../../examples/support-bot/conversation-core.js';
import { resolved } from '../../examples/support-bot/scorers/session-outcome.js';
import { importModule } from '../../src/config/import-module.js';
import { ScorerConfigSchema } from '../../src/core/scorer-config.js';
import { TranscriptSchema, transcriptText, transcriptToolCalls, type Transcript } from '../../src/core/transcript.js';
import { createScorer } from '../../src/scorers/create-scorer.js';
import type { Scorer } from '../../src/scorers/scorer.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/support-bot/', import.meta.url));

interface Row {
  id: string;
  slices: string[];
  turns?: { user: string; expected?: { keyword: string } }[];
  scenario?: { goal: string; persona: string; facts: Record<string, string>; opening: string; maxTurns: number };
  expected: { action: string; orderId?: string; tools?: string[] };
}
interface Rule {
  when?: string;
  say?: string;
  done?: boolean;
  goalMet?: boolean;
}
type Agent = (messages: unknown) => Promise<ConversationReply>;

const rows = (parse(readFileSync(join(EXAMPLE, 'data/scenarios.yaml'), 'utf8')) as { examples: Row[] }).examples;
const config = parse(readFileSync(join(EXAMPLE, 'evalops.conversations.yaml'), 'utf8')) as {
  simulatedUser: { rules: Rule[]; otherwise: Rule };
  metrics: { name: string; scorer: unknown }[];
};

/** The scripted user's next move, as evalops.conversations.yaml's rules say (first match wins). */
function scriptedUser(answer: string, facts: Record<string, string>): Rule {
  const rule = config.simulatedUser.rules.find((r) => r.when === undefined || new RegExp(r.when, 'i').test(answer)) ?? config.simulatedUser.otherwise;
  return { ...rule, ...(rule.say === undefined ? {} : { say: rule.say.replace(/\{\{facts\.(\w+)\}\}/g, (_, k: string) => facts[k] ?? '') }) };
}

/** One conversation: the history grows with each user message and the agent's answer and tool calls. */
async function play(agent: Agent, row: Row): Promise<Transcript> {
  const messages: ChatMessage[] = [];
  const turns: unknown[] = [];
  let next: string | undefined = row.turns?.[0]?.user ?? row.scenario?.opening;
  let goalMet: boolean | null = null;
  let endedBy: Transcript['endedBy'] = 'script-end';
  for (let i = 0; next !== undefined; i++) {
    messages.push({ role: 'user', content: next });
    const reply = await agent(messages);
    messages.push({ role: 'assistant', content: reply.output, toolCalls: reply.toolCalls });
    turns.push({ index: i, user: next, output: reply.output, text: reply.output, toolCalls: reply.toolCalls, latencyMs: 1, ...(row.turns?.[i]?.expected ? { expected: row.turns[i]?.expected } : {}) });
    if (row.turns) {
      next = row.turns[i + 1]?.user;
      continue;
    }
    const scenario = row.scenario!;
    const move = scriptedUser(reply.output, scenario.facts);
    if (move.done === true) {
      goalMet = move.goalMet === true;
      endedBy = 'user-done';
      next = undefined;
    } else if (i + 1 >= scenario.maxTurns) {
      goalMet = false;
      endedBy = 'max-turns';
      next = undefined;
    } else next = move.say;
  }
  return TranscriptSchema.parse({ kind: 'transcript', turns, endedBy, goalMet, ...(row.scenario ? { goal: row.scenario.goal, persona: row.scenario.persona } : {}) });
}

const scorers = new Map<string, Scorer>();
beforeAll(async () => {
  for (const m of config.metrics) {
    if (m.name === 'resolved' || m.name === 'goal_completed') continue;
    scorers.set(m.name, await createScorer(ScorerConfigSchema.parse(m.scorer), { baseDir: EXAMPLE, importModule }));
  }
});

/** Per metric, per row: pass, fail or skipped. */
async function scoreAll(agent: Agent): Promise<Map<string, Map<string, boolean | null>>> {
  const out = new Map<string, Map<string, boolean | null>>();
  const put = (metric: string, id: string, v: boolean | null) => (out.get(metric) ?? out.set(metric, new Map()).get(metric)!).set(id, v);
  for (const row of rows) {
    const t = await play(agent, row);
    put('resolved', row.id, resolved({ expected: row.expected, transcript: t }).pass);
    for (const [name, scorer] of scorers) {
      const s = await scorer.score({ example: { id: row.id, input: null, expected: row.expected, metadata: {} }, output: t, text: transcriptText(t), toolCalls: transcriptToolCalls(t), latencyMs: 1, transcript: t });
      put(name, row.id, s.status === 'scored' ? s.pass : null);
    }
  }
  return out;
}

const failing = (m: Map<string, boolean | null> | undefined) => [...(m ?? new Map<string, boolean | null>())].filter(([, v]) => v === false).map(([id]) => id);
const passRate = (m: Map<string, boolean | null> | undefined) => {
  const scored = [...(m?.values() ?? [])].filter((v) => v !== null);
  return scored.filter((v) => v).length / scored.length;
};

describe('examples/support-bot conversations', () => {
  it('has about 20 conversations: scripted turns and scenarios, with the named twists', () => {
    expect(rows.length).toBe(20);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    expect(rows.filter((r) => r.scenario).length).toBe(6);
    for (const slice of ['twist:order-changed', 'mood:frustrated', 'tools:failure', 'intent:refund']) expect(rows.some((r) => r.slices.includes(slice))).toBe(true);
  });

  it('version 1 resolves every conversation, never repeats a question, and passes every scripted turn', async () => {
    const v1 = await scoreAll(answerV1);
    expect(failing(v1.get('resolved'))).toEqual([]);
    expect(failing(v1.get('no_repeated_question'))).toEqual([]);
    expect(failing(v1.get('per_turn'))).toEqual([]);
    expect(failing(v1.get('tool_flow'))).toEqual([]);
    expect(failing(v1.get('recovered'))).toEqual([]);
    expect(failing(v1.get('short'))).toEqual([]);
    // Recovery is exercised: the unknown order number and the payment timeout.
    expect([...(v1.get('recovered') ?? [])].filter(([, v]) => v === true).map(([id]) => id).sort()).toEqual(['change-order-midway-typo', 'refund-payment-timeout-recovered', 'scenario-refund-lamp-timeout']);
    // The frustrated customers are frustrated by script, whatever the agent does.
    expect(failing(v1.get('calm_customer')).sort()).toEqual(['frustrated-already-told-you', 'frustrated-processing-refund', 'frustrated-wants-human']);
  });

  it('version 2 forgets earlier turns: most conversations unresolved, repeated questions, the gate thresholds missed', async () => {
    const v2 = await scoreAll(answerV2);
    expect(passRate(v2.get('resolved'))).toBeLessThan(0.4);
    // Exactly those whose request fits in one message (or only needs a hand-over) are resolved.
    expect([...(v2.get('resolved') ?? [])].filter(([, v]) => v === true).map(([id]) => id).sort()).toEqual(['frustrated-already-told-you', 'frustrated-wants-human', 'refund-no-double-refund', 'refund-one-message']);
    expect(passRate(v2.get('no_repeated_question'))).toBeLessThan(0.9);
    // Single-message requests still work: the defect is memory, not the actions.
    expect(v2.get('resolved')?.get('refund-one-message')).toBe(true);
    expect(v2.get('resolved')?.get('change-order-midway-typo')).toBe(false);
    expect(v2.get('resolved')?.get('scenario-refund-kettle')).toBe(false);
  });

  it('version 2 asks again for the order number it was given, and loops a scenario to maxTurns', async () => {
    const row = rows.find((r) => r.id === 'scenario-refund-toaster-order-first')!;
    const t = await play(answerV2, row);
    expect(t.endedBy).toBe('max-turns');
    expect(t.goalMet).toBe(false);
    expect(t.turns.filter((x) => /what is your order number/i.test(x.text)).length).toBeGreaterThan(1);
    const v1 = await play(answerV1, row);
    expect(v1).toMatchObject({ endedBy: 'user-done', goalMet: true });
    expect(v1.turns).toHaveLength(2);
  });

  it('retries the flaky refund and keeps both calls, the failed one with its error', async () => {
    const reply = await answerV1([{ role: 'user', content: 'Refund order A1005 please' }]);
    expect(reply.toolCalls.map((c) => [c.name, c.error ?? 'ok'])).toEqual([
      ['lookup_order', 'ok'],
      ['issue_refund', 'payment provider timeout'],
      ['issue_refund', 'ok'],
    ]);
  });

  it('does not refund twice, reading its own earlier tool calls from the history', async () => {
    const first = await answerV1([{ role: 'user', content: 'Refund order A1001 please' }]);
    const again = await answerV1([
      { role: 'user', content: 'Refund order A1001 please' },
      { role: 'assistant', content: first.output, toolCalls: first.toolCalls },
      { role: 'user', content: 'Refund it again please' },
    ]);
    expect(again.output).toMatch(/already issued/);
    expect(again.toolCalls.some((c) => c.name === 'issue_refund')).toBe(false);
  });

  it('refuses a single-turn input with a clear message (it takes the messages array)', async () => {
    await expect(answerV1({ message: 'hi', lang: 'en' })).rejects.toThrow(/messages array/);
    await expect(answerV1([{ role: 'robot', content: 'x' }])).rejects.toThrow(/messages\[0\]\.role/);
  });

  it('resolved fails an errored or empty conversation and a refund of the wrong order', () => {
    const t = (turns: unknown[], extra: object = {}) => TranscriptSchema.parse({ kind: 'transcript', turns, endedBy: 'script-end', ...extra });
    const turn = (text: string, toolCalls: unknown[] = []) => ({ index: 0, user: 'u', output: text, text, toolCalls, latencyMs: 1 });
    expect(resolved({ expected: { action: 'refund', orderId: 'A1004' }, transcript: t([]) }).pass).toBe(false);
    expect(resolved({ expected: { action: 'refund', orderId: 'A1004' }, transcript: t([{ ...turn(''), error: 'HTTP 500' }], { endedBy: 'error' }) }).pass).toBe(false);
    const both = [{ name: 'issue_refund', arguments: { orderId: 'A1002' } }, { name: 'issue_refund', arguments: { orderId: 'A1004' } }];
    expect(resolved({ expected: { action: 'refund', orderId: 'A1004' }, transcript: t([turn('done', both)]) })).toMatchObject({ pass: false, reason: expect.stringContaining('wrong order: A1002') });
    const failedOnly = [{ name: 'issue_refund', arguments: { orderId: 'A1004' }, error: 'declined' }];
    expect(resolved({ expected: { action: 'refund', orderId: 'A1004' }, transcript: t([turn('Refund issued!', failedOnly)]) }).pass).toBe(false);
  });
});
