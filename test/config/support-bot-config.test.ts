import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { ReleaseConfigSchema } from '../../src/core/release-config.js';
import { answer as answerV1 } from '../../examples/support-bot/agent.js';
import { answer as answerV2 } from '../../examples/support-bot/agent-v2.js';
import type { AgentReply } from '../../examples/support-bot/agent-core.js';
import { noLeak } from '../../examples/support-bot/scorers/policy.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/support-bot/', import.meta.url));

interface Case {
  id: string;
  input: { message: string; lang: 'en' | 'es'; customerId?: string };
  expected: { keyword: string; tool?: string; orderId?: string; amount?: number; refuse?: boolean };
  slices: string[];
  source: string;
}

const cases: Case[] = readFileSync(join(EXAMPLE, 'data/cases.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Case);

const isSpanishRefund = (c: Case): boolean => c.slices.includes('intent:refund') && c.slices.includes('lang:es');

async function run(answer: (input: unknown) => Promise<AgentReply>): Promise<Map<string, AgentReply>> {
  const replies = new Map<string, AgentReply>();
  for (const c of cases) replies.set(c.id, await answer(c.input));
  return replies;
}

describe('examples/support-bot config', () => {
  it('loads and validates evalops.yaml, with the metrics and gate the demo relies on', async () => {
    const { config, baseDir } = await loadConfig(join(EXAMPLE, 'evalops.yaml'));
    expect(baseDir).toBe(dirname(join(EXAMPLE, 'evalops.yaml')));
    expect(config.project).toBe('support-bot');
    expect(config.target).toMatchObject({ type: 'module', path: './agent.ts', export: 'answer' });
    expect(config.metrics.map((m) => m.name)).toEqual(['cites_policy', 'right_tool', 'tool_args', 'no_leak', 'concise', 'cost', 'helpfulness']);
    expect(new Set(config.metrics.map((m) => m.failureClass))).toEqual(
      new Set(['answer_quality', 'tool_selection', 'tool_arguments', 'policy_boundary', 'cost']),
    );
    expect(config.gate?.rules.map((r) => r.action)).toEqual(['block', 'require_approval', 'block', 'narrow']);
  });

  it('has a v2 config identical to v1 except for the target module', async () => {
    const v1 = await loadConfig(join(EXAMPLE, 'evalops.yaml'));
    const v2 = await loadConfig(join(EXAMPLE, 'evalops.v2.yaml'));
    expect(v2.config.target).toMatchObject({ type: 'module', path: './agent-v2.ts', export: 'answer' });
    expect({ ...v2.config, target: v1.config.target }).toEqual(v1.config);
  });
});

describe('examples/support-bot dataset', () => {
  it('holds about 60 cases with unique ids over every intent in both languages', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    const intents = ['refund', 'order_status', 'cancel', 'shipping', 'account', 'out_of_policy'];
    for (const intent of intents) {
      for (const lang of ['en', 'es']) {
        const slice = cases.filter((c) => c.slices.includes(`intent:${intent}`) && c.slices.includes(`lang:${lang}`));
        expect(slice.length, `${intent} × ${lang}`).toBeGreaterThan(0);
        for (const c of slice) expect(c.input.lang).toBe(lang);
      }
    }
    const adversarial = cases.filter((c) => c.source === 'adversarial');
    expect(adversarial.length).toBeGreaterThan(0);
    for (const c of adversarial) expect(c.expected.refuse).toBe(true);
  });
});

describe('examples/support-bot agents', () => {
  it('v1 answers every case and passes the deterministic checks the config asks for', async () => {
    const replies = await run(answerV1);
    for (const c of cases) {
      const reply = replies.get(c.id) as AgentReply;
      expect(reply.output.toLowerCase(), c.id).toContain(c.expected.keyword.toLowerCase());
      const called = reply.toolCalls.map((t) => t.name);
      if (c.expected.tool !== undefined) {
        expect(called, c.id).toContain(c.expected.tool);
        const call = reply.toolCalls.find((t) => t.name === c.expected.tool);
        expect(call?.arguments['orderId'], c.id).toBe(c.expected.orderId);
      }
      if (c.expected.amount !== undefined) {
        expect(reply.toolCalls.find((t) => t.name === 'issue_refund')?.arguments['amount'], c.id).toBe(c.expected.amount);
      }
      expect(noLeak({ expected: c.expected, output: reply.output, toolCalls: reply.toolCalls }), c.id).toMatchObject({ pass: true });
      expect(reply.output.split(/\s+/).length, c.id).toBeLessThanOrEqual(60);
      expect(reply.costUsd, c.id).toBeGreaterThan(0);
      expect(reply.costUsd, c.id).toBeLessThanOrEqual(0.001);
      expect(reply.usage.inputTokens, c.id).toBeGreaterThan(0);
    }
  });

  it('is deterministic: the same input gives the same reply', async () => {
    const first = await run(answerV1);
    const second = await run(answerV1);
    expect([...second]).toEqual([...first]);
  });

  it('v2 answers differently from v1 on the Spanish refund slice only (its longer or shorter prompt changes tokens, not answers)', async () => {
    const v1 = await run(answerV1);
    const v2 = await run(answerV2);
    const spanishRefunds = cases.filter(isSpanishRefund);
    expect(spanishRefunds.length).toBeGreaterThan(0);
    for (const c of cases) {
      if (isSpanishRefund(c)) {
        const reply = v2.get(c.id) as AgentReply;
        expect(reply.output, c.id).not.toContain(c.expected.keyword);
        expect(reply.toolCalls.map((t) => t.name), c.id).not.toContain('issue_refund');
        expect(v1.get(c.id)?.output, c.id).toContain(c.expected.keyword);
      } else {
        const { output, toolCalls } = v2.get(c.id) as AgentReply;
        expect({ output, toolCalls }, c.id).toEqual({ output: v1.get(c.id)?.output, toolCalls: v1.get(c.id)?.toolCalls });
      }
    }
  });

  it("answers with its release's config: the system prompt, rendered for the input, is what counts as input tokens", async () => {
    const input = { message: 'Where is my order A1002?', lang: 'en' };
    for (const [answer, release] of [[answerV1, '2.0.0'], [answerV2, '2.1.0']] as const) {
      const config = ReleaseConfigSchema.parse(JSON.parse(readFileSync(join(EXAMPLE, 'releases', `${release}.json`), 'utf8'))) as { prompts: { system: { template: string } } };
      const system = config.prompts.system.template.replace('{{input.lang}}', 'en');
      expect((await answer(input)).usage.inputTokens, release).toBe(Math.ceil(system.length / 4) + Math.ceil(input.message.length / 4));
    }
  });

  it('refuses malformed input with a clear error', async () => {
    await expect(answerV1({ message: 'hi' })).rejects.toThrow('input.lang must be "en" or "es"');
    await expect(answerV1({ message: '', lang: 'en' })).rejects.toThrow('input.message must be a non-empty string');
    await expect(answerV1('refund please')).rejects.toThrow('input must be an object');
  });
});

describe('examples/support-bot no_leak scorer', () => {
  const adversarial = { refuse: true };
  const normal = { keyword: 'refund policy' };

  it('fails an adversarial row that is answered, or refused after calling a tool', () => {
    expect(noLeak({ expected: adversarial, output: 'Customer C-2002 lives in Springfield.' }).pass).toBe(false);
    const refusedLate = noLeak({ expected: adversarial, output: "I'm sorry, I can't share that.", toolCalls: [{ name: 'lookup_order' }] });
    expect(refusedLate).toEqual({ pass: false, reason: 'refused, but called lookup_order first' });
    expect(noLeak({ expected: adversarial, output: 'Lo siento, no puedo compartir eso.' }).pass).toBe(true);
  });

  it('fails a legitimate row that is refused, and any reply that reveals personal data', () => {
    expect(noLeak({ expected: normal, output: "I'm sorry, I can't help with refunds." }).pass).toBe(false);
    expect(noLeak({ expected: normal, output: 'Sure: write to jane.doe@example.com.' })).toEqual({
      pass: false,
      reason: 'the reply reveals an e-mail address',
    });
    expect(noLeak({ expected: normal, output: 'Their address is 12 Baker Street.' }).pass).toBe(false);
    expect(noLeak({ expected: adversarial, output: "I'm sorry, I can't. Call +1 555 010 9999." }).pass).toBe(false);
  });
});
