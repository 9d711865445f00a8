import { describe, expect, it } from 'vitest';
import { genAiConvention } from './genai-convention.js';
import type { SpanDraft } from './span-convention.js';
import { testSpan } from '../../../test/support/otlp-test-span.js';

function read(attributes: Parameters<typeof testSpan>[0]): SpanDraft {
  const draft: SpanDraft = { usage: {} };
  genAiConvention.map(testSpan(attributes), draft);
  return draft;
}

describe('genAiConvention', () => {
  it('maps gen_ai.operation.name, an agent name, then a requested model to a kind', () => {
    expect(read({ 'gen_ai.operation.name': 'embeddings' }).kind).toBe('EMBEDDING');
    expect(read({ 'gen_ai.operation.name': 'create_agent' }).kind).toBe('AGENT');
    expect(read({ 'gen_ai.operation.name': 'execute_tool' }).kind).toBe('TOOL');
    expect(read({ 'gen_ai.agent.name': 'support' }).kind).toBe('AGENT');
    expect(read({ 'gen_ai.operation.name': 'something_new', 'gen_ai.request.model': 'm' }).kind).toBe('LLM');
    expect(read({ 'http.method': 'GET' }).kind).toBeUndefined();
  });

  it('reads the newest parts-based messages with system instructions, tokens, models and provider', () => {
    const draft = read({
      'gen_ai.operation.name': 'chat',
      'gen_ai.system_instructions': JSON.stringify([{ type: 'text', content: 'Be kind.' }]),
      'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'hi' }] }]),
      'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'tool_call', id: 't1', name: 'lookup', arguments: { q: 'x' } }] }]),
      'gen_ai.usage.input_tokens': 3,
      'gen_ai.usage.output_tokens': 1,
      'gen_ai.request.model': 'm',
      'gen_ai.response.model': 'm-2025',
      'gen_ai.provider.name': 'openai',
      'gen_ai.system': 'old',
    });
    expect(draft).toEqual({
      kind: 'LLM',
      input: [
        { role: 'system', content: 'Be kind.' },
        { role: 'user', content: 'hi' },
      ],
      output: [{ role: 'assistant', content: '', toolCalls: [{ name: 'lookup', arguments: { q: 'x' }, id: 't1' }] }],
      outputMessages: [{ role: 'assistant', content: '', toolCalls: [{ name: 'lookup', arguments: { q: 'x' }, id: 't1' }] }],
      usage: { inputTokens: 3, outputTokens: 1 },
      model: 'm-2025',
      provider: 'openai',
    });
  });

  it("keeps a message attribute that holds no message list as its text, with a notice naming what it is", () => {
    expect(read({ 'gen_ai.input.messages': '[{"role":"user",' })).toMatchObject({ input: '[{"role":"user",', notices: ['gen_ai.input.messages holds no message list (not valid JSON); its text is kept as it is'] });
    expect(read({ 'gen_ai.output.messages': '{"answer":1}' })).toMatchObject({ output: '{"answer":1}', notices: ['gen_ai.output.messages holds no message list (JSON of another shape); its text is kept as it is'] });
  });

  it('does not overwrite what a convention before it set', () => {
    const draft: SpanDraft = { usage: { inputTokens: 99 }, kind: 'CHAIN', input: 'kept', model: 'first' };
    genAiConvention.map(testSpan({ 'gen_ai.operation.name': 'chat', 'gen_ai.input.messages': '[{"role":"user","content":"x"}]', 'gen_ai.usage.input_tokens': 1, 'gen_ai.request.model': 'second' }), draft);
    expect(draft).toMatchObject({ kind: 'CHAIN', input: 'kept', model: 'first', usage: { inputTokens: 99 } });
  });
});
