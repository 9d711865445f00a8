import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../core/json.js';
import { isLangChainMessage, langChainMessages, langChainToolResult } from './langchain-messages.js';

/** A message as LangChain serialises it (`toJSON()`), the shape OpenInference writes into `input.value`. */
const lc = (className: string, kwargs: Record<string, JsonValue>): JsonValue => ({ lc: 1, type: 'constructor', id: ['langchain_core', 'messages', className], kwargs });

describe('langChainMessages', () => {
  it('reads a LangGraph state: roles from the classes, content, tool calls with arguments and ids, tool results', () => {
    const state = {
      messages: [
        lc('SystemMessage', { content: 'You are the support agent.', additional_kwargs: {} }),
        lc('HumanMessage', { content: [{ type: 'text', text: 'Where is D-5?' }] }),
        lc('AIMessage', { content: '', tool_calls: [{ name: 'lookup_order', args: { orderId: 'D-5' }, id: 'call_1', type: 'tool_call' }], additional_kwargs: { tool_calls: [] } }),
        lc('ToolMessage', { content: '{"status":"shipped"}', tool_call_id: 'call_1', name: 'lookup_order' }),
        lc('AIMessageChunk', { content: 'It has shipped.' }),
        { role: 'user', content: 'a plain message among them' },
      ],
    };
    expect(langChainMessages(state)).toEqual([
      { role: 'system', content: 'You are the support agent.' },
      { role: 'user', content: 'Where is D-5?' },
      { role: 'assistant', content: '', toolCalls: [{ name: 'lookup_order', arguments: { orderId: 'D-5' }, id: 'call_1' }] },
      { role: 'tool', content: '{"status":"shipped"}', toolCallId: 'call_1', name: 'lookup_order' },
      { role: 'assistant', content: 'It has shipped.' },
      { role: 'user', content: 'a plain message among them' },
    ]);
  });

  it("falls back to OpenAI's additional_kwargs.tool_calls, and to a ChatMessage's own role", () => {
    const ai = lc('AIMessage', { content: '', additional_kwargs: { tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] } });
    expect(langChainMessages([ai, lc('ChatMessage', { content: 'x', role: 'critic' })])).toEqual([
      { role: 'assistant', content: '', toolCalls: [{ name: 'f', arguments: { a: 1 }, id: 'c' }] },
      { role: 'critic', content: 'x' },
    ]);
  });

  it('reads a batch of lists (an LLM run), one message alone, and one under a single key (a tool run)', () => {
    const human = lc('HumanMessage', { content: 'hi' });
    expect(langChainMessages({ messages: [[human]] })).toEqual([{ role: 'user', content: 'hi' }]);
    expect(langChainMessages(human)).toEqual([{ role: 'user', content: 'hi' }]);
    expect(langChainMessages({ output: human })).toEqual([{ role: 'user', content: 'hi' }]);
  });

  it('gives undefined for values that hold no LangChain message', () => {
    expect(langChainMessages({ messages: [{ role: 'user', content: 'hi' }] })).toBeUndefined();
    expect(langChainMessages({ output: 'tools', other: lc('HumanMessage', { content: 'x' }) })).toBeUndefined();
    expect(langChainMessages('text')).toBeUndefined();
    expect(langChainMessages([])).toBeUndefined();
    expect(isLangChainMessage({ lc: 1, type: 'constructor', id: ['langchain_core', 'prompts', 'PromptTemplate'], kwargs: {} })).toBe(false);
  });
});

describe('langChainToolResult', () => {
  it("is the content of the tool's ToolMessage, parsed when it is JSON", () => {
    const output = JSON.stringify({ output: lc('ToolMessage', { content: '{"status":"shipped"}', tool_call_id: 'call_1' }) });
    expect(langChainToolResult(output)).toEqual({ status: 'shipped' });
    expect(langChainToolResult(JSON.stringify({ output: lc('ToolMessage', { content: 'sunny' }) }))).toBe('sunny');
  });

  it('is undefined for any other output', () => {
    expect(langChainToolResult('{"status":"shipped"}')).toBeUndefined();
    expect(langChainToolResult(JSON.stringify({ output: lc('AIMessage', { content: 'x' }) }))).toBeUndefined();
    expect(langChainToolResult('{"lc":1, not json')).toBeUndefined();
    expect(langChainToolResult(7)).toBeUndefined();
  });
});
