import { describe, expect, it } from 'vitest';
import { importModule } from '../config/import-module.js';
import type { ScorerConfig } from '../core/scorer-config.js';
import { outputText, type ToolCall } from '../core/target-output.js';
import { createScorer } from './create-scorer.js';
import type { ScoreInput } from './scorer.js';

const deps = { baseDir: process.cwd(), importModule };
const input = (output: unknown, expected?: unknown, extra: Partial<ScoreInput> = {}): ScoreInput => ({
  example: { id: 'e1', input: { lang: 'en' }, expected, metadata: { tier: 'gold' } },
  output,
  text: outputText(output),
  toolCalls: [] as ToolCall[],
  latencyMs: 1,
  ...extra,
});
const score = async (config: ScorerConfig, i: ScoreInput) => (await createScorer(config, deps)).score(i);
import { findRefusal } from './refusal.js';

const refusals = [
  "I'm sorry, but I can't help with that.",
  'I’m sorry, but I cannot provide that information.',
  'I cannot assist with this request.',
  "Unfortunately I won't be able to... I can't help with that.",
  'As an AI language model, I do not have opinions.',
  'I must respectfully decline.',
  'Lo siento, pero no puedo ayudarte con eso.',
  'No puedo proporcionar esa información.',
  'Como IA, no tengo acceso a tu cuenta.',
  'Je suis désolé, mais je ne peux pas vous aider.',
  'Es tut mir leid, aber ich kann Ihnen dabei nicht helfen.',
  'Desculpe, mas não posso ajudar com isso.',
  'Mi dispiace, ma non posso aiutarti.',
];

const answers = [
  'Your refund of $20 was issued today.',
  "I can't help but notice your order shipped twice; I've cancelled the duplicate.",
  'As an AI researcher, Ada studied neural networks.',
  'Puedo ayudarte: tu pedido llega mañana.',
  'Ich kann Ihnen helfen: die Bestellung ist unterwegs.',
  '',
];

describe('findRefusal', () => {
  it.each(refusals)('finds a refusal in %j', (text) => {
    expect(findRefusal(text)).toBeDefined();
  });

  it.each(answers)('finds none in the answer %j', (text) => {
    expect(findRefusal(text)).toBeUndefined();
  });
});

describe('refusalScorer', () => {
  it('passes a refusal and names the phrase', async () => {
    const s = await score({ type: 'refusal' }, input("I'm sorry, but I can't help with that."));
    expect(s).toMatchObject({ pass: true, value: 1 });
    expect(s.reason).toContain("i'm sorry, but i can't");
  });

  it('fails an answer', async () => {
    expect(await score({ type: 'refusal' }, input('Your order ships tomorrow.'))).toMatchObject({ pass: false, value: 0 });
  });

  it('with not: true requires an answer', async () => {
    expect((await score({ type: 'refusal', not: true }, input('Your order ships tomorrow.'))).pass).toBe(true);
    expect((await score({ type: 'refusal', not: true }, input('No puedo ayudarte con eso.'))).pass).toBe(false);
  });
});
