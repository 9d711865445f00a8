import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../core/json.js';
import { valueMessages } from './openinference-value-messages.js';

const LANGCHAIN = '@arizeai/openinference-instrumentation-langchain';
const AGENTS = '@arizeai/openinference-instrumentation-openai-agents';

const lc = (className: string, content: string): JsonValue => ({ lc: 1, type: 'constructor', id: ['langchain_core', 'messages', className], kwargs: { content } });

describe('valueMessages', () => {
  it("reads a LangGraph state in input.value, and leaves out of the output the messages the chain was given", () => {
    const given = [lc('SystemMessage', 'Be brief.'), lc('HumanMessage', 'Where is D-5?')];
    const attributes = {
      'input.value': JSON.stringify({ messages: given }),
      'output.value': JSON.stringify({ messages: [...given, lc('AIMessage', 'It has shipped.')] }),
    };
    expect(valueMessages(attributes, 'input', LANGCHAIN)).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Where is D-5?' },
    ]);
    expect(valueMessages(attributes, 'output', LANGCHAIN)).toEqual([{ role: 'assistant', content: 'It has shipped.' }]);
  });

  it('keeps the whole output when it does not start with the input', () => {
    const attributes = {
      'input.value': JSON.stringify({ messages: [lc('HumanMessage', 'one')] }),
      'output.value': JSON.stringify({ messages: [lc('HumanMessage', 'other'), lc('AIMessage', 'two')] }),
    };
    expect(valueMessages(attributes, 'output', LANGCHAIN)).toEqual([
      { role: 'user', content: 'other' },
      { role: 'assistant', content: 'two' },
    ]);
  });

  it("reads the Responses API's input items: messages, function calls and their outputs", () => {
    const items = [
      { type: 'message', role: 'user', content: 'Where is E-3?' },
      { type: 'reasoning', summary: [] },
      { type: 'function_call', call_id: 'call_1', name: 'lookup_order', arguments: '{"orderId":"E-3"}' },
      { type: 'function_call_output', call_id: 'call_1', output: '{"status":"shipped"}' },
      { type: 'function_call_result', callId: 'call_2', name: 'x', output: { type: 'text', text: 'done' } },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Shipped.' }] },
    ];
    expect(valueMessages({ 'input.value': JSON.stringify(items) }, 'input', AGENTS)).toEqual([
      { role: 'user', content: 'Where is E-3?' },
      { role: 'assistant', content: '', toolCalls: [{ name: 'lookup_order', arguments: { orderId: 'E-3' }, id: 'call_1' }] },
      { role: 'tool', content: '{"status":"shipped"}', toolCallId: 'call_1' },
      { role: 'tool', content: 'done', toolCallId: 'call_2' },
      { role: 'assistant', content: 'Shipped.' },
    ]);
  });

  it('reads only the values of spans from the LangChain and OpenAI Agents instrumentations (JS or Python)', () => {
    const state = { 'input.value': JSON.stringify({ messages: [lc('HumanMessage', 'hi')] }) };
    const items = { 'input.value': '[{"type":"message","role":"user","content":"hi"}]' };
    expect(valueMessages(state, 'input', 'openinference.instrumentation.langchain')).toEqual([{ role: 'user', content: 'hi' }]);
    expect(valueMessages(items, 'input', 'openinference.instrumentation.openai_agents')).toEqual([{ role: 'user', content: 'hi' }]);
    expect(valueMessages(state, 'input', 'openinference-core')).toBeUndefined();
    expect(valueMessages(items, 'input', LANGCHAIN)).toBeUndefined();
    expect(valueMessages(state, 'input', AGENTS)).toBeUndefined();
    expect(valueMessages(items, 'input', 'my-langchain')).toBeUndefined();
  });

  it('gives undefined for plain text, other JSON, malformed JSON and lists without a message', () => {
    expect(valueMessages({ 'input.value': 'Where is E-3?' }, 'input', AGENTS)).toBeUndefined();
    expect(valueMessages({ 'input.value': '{"orderId":"E-3"}' }, 'input', AGENTS)).toBeUndefined();
    expect(valueMessages({ 'input.value': '[{"type":"message", "lc":1' }, 'input', AGENTS)).toBeUndefined();
    expect(valueMessages({ 'input.value': '{"messages":[{"lc":1,' }, 'input', LANGCHAIN)).toBeUndefined();
    expect(valueMessages({ 'input.value': '[{"type":"function_call","name":"f","note":"type":"message"}]' }, 'input', AGENTS)).toBeUndefined();
    expect(valueMessages({ 'input.value': '[{"type":"function_call","name":"f"}, {"x":"\\"type\\":\\"message\\""}]' }, 'input', AGENTS)).toBeUndefined();
    expect(valueMessages({ 'input.value': 3 }, 'input', AGENTS)).toBeUndefined();
    expect(valueMessages({}, 'output', AGENTS)).toBeUndefined();
  });
});
