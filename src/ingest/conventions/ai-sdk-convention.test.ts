import { describe, expect, it } from 'vitest';
import { aiSdkConvention } from './ai-sdk-convention.js';
import type { SpanDraft } from './span-convention.js';
import { testSpan } from '../../../test/support/otlp-test-span.js';

function read(attributes: Parameters<typeof testSpan>[0], name = 'span'): SpanDraft {
  const draft: SpanDraft = { usage: {} };
  aiSdkConvention.map(testSpan(attributes, { name, scope: { name: 'ai', version: '' } }), draft);
  return draft;
}

describe('aiSdkConvention', () => {
  it('applies to the tracer named ai or a span with ai.operationId, and not otherwise', () => {
    expect(aiSdkConvention.applies(testSpan({}, { scope: { name: 'ai', version: '' } }))).toBe(true);
    expect(aiSdkConvention.applies(testSpan({ 'ai.operationId': 'ai.toolCall' }))).toBe(true);
    expect(aiSdkConvention.applies(testSpan({ 'ai.custom': 1 }, { scope: { name: 'aiohttp', version: '' } }))).toBe(false);
  });

  it('reads an outer generateText: AGENT, the prompt as messages, the answer as text, no tokens of its own', () => {
    const draft = read({ 'ai.operationId': 'ai.generateText', 'ai.prompt': JSON.stringify({ system: 'Be brief.', prompt: 'Hi' }), 'ai.response.text': 'Hello', 'ai.usage.inputTokens': 9, 'ai.model.id': 'gpt-x', 'ai.model.provider': 'openai.chat' });
    expect(draft).toEqual({
      kind: 'AGENT',
      input: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      output: 'Hello',
      model: 'gpt-x',
      provider: 'openai.chat',
      usage: {},
    });
  });

  it('reads a model call: messages with tool calls and tool results, the answer, tools offered, tokens (old names too)', () => {
    const prompt = [
      { role: 'system', content: 'sys' },
      { role: 'user', content: [{ type: 'text', text: 'weather?' }] },
      { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'weather', input: { city: 'Paris' } }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c1', toolName: 'weather', output: { type: 'json', value: { t: 21 } } }] },
    ];
    const draft = read(
      {
        'ai.operationId': 'ai.generateText.doGenerate',
        'ai.prompt.messages': JSON.stringify(prompt),
        'ai.response.text': '',
        'ai.response.toolCalls': JSON.stringify([{ toolCallId: 'c2', toolName: 'weather', input: '{"city":"Lyon"}' }]),
        'ai.prompt.tools': [JSON.stringify({ type: 'function', name: 'weather', description: 'd', inputSchema: { type: 'object' } })],
        'ai.usage.promptTokens': 10,
        'ai.usage.completionTokens': 2,
        'ai.response.model': 'gpt-x-2025',
        'ai.model.id': 'gpt-x',
      },
    );
    expect(draft.kind).toBe('LLM');
    expect(draft.input).toEqual([
      { role: 'system', content: 'sys' },
      { role: 'user', content: 'weather?' },
      { role: 'assistant', content: '', toolCalls: [{ name: 'weather', arguments: { city: 'Paris' }, id: 'c1' }] },
      { role: 'tool', content: '{"t":21}', toolCallId: 'c1', name: 'weather' },
    ]);
    expect(draft.output).toEqual([{ role: 'assistant', content: '', toolCalls: [{ name: 'weather', arguments: { city: 'Lyon' }, id: 'c2' }] }]);
    expect(draft.outputMessages).toEqual(draft.output);
    expect(draft.availableTools).toEqual([{ name: 'weather', description: 'd', parameters: { type: 'object' } }]);
    expect(draft.usage).toEqual({ inputTokens: 10, outputTokens: 2 });
    expect(draft.model).toBe('gpt-x-2025');
  });

  it('reads a tool call: TOOL, name, parsed arguments and result, the texts as input and output', () => {
    const draft = read({ 'ai.operationId': 'ai.toolCall', 'ai.toolCall.name': 'weather', 'ai.toolCall.id': 'c1', 'ai.toolCall.args': '{"city":"Paris"}', 'ai.toolCall.result': '{"t":21}' });
    expect(draft).toMatchObject({ kind: 'TOOL', tool: { name: 'weather', arguments: { city: 'Paris' }, result: { t: 21 } }, input: '{"city":"Paris"}', output: '{"t":21}' });
  });

  it('reads generateObject (CHAIN, the object as output) and embeddings (tokens on the provider call only)', () => {
    expect(read({ 'ai.operationId': 'ai.generateObject', 'ai.prompt': '{"prompt":"A city"}', 'ai.response.object': '{"city":"Lyon"}' })).toMatchObject({ kind: 'CHAIN', output: '{"city":"Lyon"}' });
    expect(read({ 'ai.operationId': 'ai.embedMany', 'ai.values': ['"a b"', '"c"'], 'ai.usage.tokens': 3 })).toEqual({ kind: 'EMBEDDING', input: 'a b\nc', usage: {} });
    expect(read({ 'ai.operationId': 'ai.embed.doEmbed', 'ai.values': ['"a b"'], 'ai.usage.tokens': 3 })).toMatchObject({ usage: { inputTokens: 3, totalTokens: 3 } });
  });

  it('keeps malformed JSON as text with a notice, and maps the rest of the span', () => {
    const draft = read({ 'ai.operationId': 'ai.streamText.doStream', 'ai.prompt.messages': '[{"role":"user"', 'ai.response.text': 'Fine.', 'ai.usage.inputTokens': 4 });
    expect(draft).toMatchObject({ kind: 'LLM', input: '[{"role":"user"', output: [{ role: 'assistant', content: 'Fine.' }], usage: { inputTokens: 4 } });
    expect(draft.notices).toEqual(['ai.prompt.messages is not valid JSON; its text is kept as it is']);
    const other = read({ 'ai.operationId': 'ai.generateText', 'ai.prompt': '"just text"' });
    expect(other).toMatchObject({ input: '"just text"', notices: ['ai.prompt holds JSON that is not a prompt this version reads; its text is kept as it is'] });
  });

  it('names the span by its name when ai.operationId is missing, and leaves unknown operations without a kind', () => {
    expect(read({}, 'ai.toolCall').kind).toBe('TOOL');
    expect(read({ 'ai.operationId': 'ai.somethingNew' }).kind).toBeUndefined();
  });

  it('records one notice for a list with many malformed items, however long the list', () => {
    const draft = read({ 'ai.operationId': 'ai.generateText.doGenerate', 'ai.prompt.tools': Array.from({ length: 1000 }, () => '{bad'), 'ai.prompt.messages': '[]' });
    expect(draft.notices).toEqual(['ai.prompt.tools is not valid JSON; its text is kept as it is']);
    expect(draft.availableTools).toBeUndefined();
  });

  it('reads a tool call in the newer naming, or rewritten into gen_ai.* by a span processor', () => {
    expect(read({ 'ai.operationId': 'ai.toolCall', 'ai.toolCall.name': 'w', 'ai.toolCall.input': '{"a":1}', 'ai.toolCall.output': '2' }).tool).toEqual({ name: 'w', arguments: { a: 1 }, result: '2' });
    expect(read({ 'ai.operationId': 'ai.toolCall', 'gen_ai.tool.name': 'w', 'gen_ai.tool.call.arguments': '{"a":1}', 'gen_ai.tool.call.result': '{"b":2}' }).tool).toEqual({ name: 'w', arguments: { a: 1 }, result: { b: 2 } });
  });
});
