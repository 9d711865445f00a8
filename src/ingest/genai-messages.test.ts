import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../core/json.js';
import { genAiMessages } from './genai-messages.js';
import type { OtlpEvent } from './otlp-span.js';

const event = (name: string, attributes: Record<string, JsonValue>): OtlpEvent => ({ name, timeUnixNano: 1n, attributes });

describe('genAiMessages', () => {
  it('reads gen_ai.input.messages with the system instructions first, and gen_ai.output.messages', () => {
    const attributes = {
      'gen_ai.system_instructions': '[{"type":"text","content":"Be brief."}]',
      'gen_ai.input.messages': '[{"role":"user","parts":[{"type":"text","content":"Hi"}]}]',
      'gen_ai.output.messages': '[{"role":"assistant","parts":[{"type":"text","content":"Hello"}],"finish_reason":"stop"}]',
    };
    expect(genAiMessages(attributes, [], 'input')).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
    ]);
    expect(genAiMessages(attributes, [], 'output')).toEqual([{ role: 'assistant', content: 'Hello' }]);
  });

  it('reads the structured messages from a gen_ai.client.inference.operation.details event', () => {
    const events = [
      event('gen_ai.client.inference.operation.details', {
        'gen_ai.input.messages': [{ role: 'user', parts: [{ type: 'text', content: 'q' }] }],
        'gen_ai.system_instructions': 'plain instructions',
      }),
    ];
    expect(genAiMessages({}, events, 'input')).toEqual([
      { role: 'system', content: 'plain instructions' },
      { role: 'user', content: 'q' },
    ]);
  });

  it('reads the indexed gen_ai.prompt / gen_ai.completion form with tool calls', () => {
    const attributes = {
      'gen_ai.prompt.0.role': 'user',
      'gen_ai.prompt.0.content': 'weather?',
      'gen_ai.prompt.1.role': 'tool',
      'gen_ai.prompt.1.tool_call_id': 'c0',
      'gen_ai.prompt.1.content': 'sunny',
      'gen_ai.completion.0.role': 'assistant',
      'gen_ai.completion.0.tool_calls.0.id': 'c1',
      'gen_ai.completion.0.tool_calls.0.name': 'get_weather',
      'gen_ai.completion.0.tool_calls.0.arguments': '{"city":"Oslo"}',
    };
    expect(genAiMessages(attributes, [], 'input')).toEqual([
      { role: 'user', content: 'weather?' },
      { role: 'tool', content: 'sunny', toolCallId: 'c0' },
    ]);
    expect(genAiMessages(attributes, [], 'output')).toEqual([
      { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'get_weather', arguments: { city: 'Oslo' } }] },
    ]);
  });

  it('reads gen_ai.prompt holding JSON or plain text', () => {
    expect(genAiMessages({ 'gen_ai.prompt': '[{"role":"user","content":"a"}]' }, [], 'input')).toEqual([{ role: 'user', content: 'a' }]);
    expect(genAiMessages({ 'gen_ai.completion': 'plain answer' }, [], 'output')).toEqual([{ role: 'assistant', content: 'plain answer' }]);
  });

  it('reads the per-message events and gen_ai.choice, field by field or as a JSON body', () => {
    const events = [
      event('gen_ai.system.message', { content: 'sys' }),
      event('gen_ai.user.message', { 'gen_ai.event.content': '{"content":"hello"}' }),
      event('gen_ai.assistant.message', { tool_calls: '[{"id":"c","function":{"name":"f","arguments":"{}"}}]' }),
      event('gen_ai.tool.message', { content: 'result', id: 'c' }),
      event('unrelated', { content: 'ignored' }),
      event('gen_ai.choice', { index: 0, finish_reason: 'stop', message: '{"role":"assistant","content":"done"}' }),
      event('gen_ai.choice', { index: 1, message: { content: 'second' } }),
    ];
    expect(genAiMessages({}, events, 'input')).toEqual([
      { role: 'system', content: 'sys' },
      { role: 'user', content: 'hello' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'c', name: 'f', arguments: {} }] },
      { role: 'tool', content: 'result', toolCallId: 'c' },
    ]);
    expect(genAiMessages({}, events, 'output')).toEqual([
      { role: 'assistant', content: 'done' },
      { role: 'assistant', content: 'second' },
    ]);
  });

  it('gives undefined when no form is present', () => {
    expect(genAiMessages({ 'gen_ai.request.model': 'm' }, [event('other', {})], 'input')).toBeUndefined();
    expect(genAiMessages({}, [], 'output')).toBeUndefined();
  });
});
