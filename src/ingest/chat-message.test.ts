import { describe, expect, it } from 'vitest';
import { contentText, messageOf, messagesOf, toolCallOf, toolCallsOf } from './chat-message.js';

describe('contentText', () => {
  it('joins text parts and leaves out images and tool calls', () => {
    expect(contentText([{ type: 'text', text: 'a' }, { type: 'image_url', image_url: { url: 'x' } }, { type: 'text', content: 'b' }, 'c'])).toBe('a\nb\nc');
  });

  it('gives a tool response as text, other objects as JSON, and nothing as the empty string', () => {
    expect(contentText([{ type: 'tool_call_response', id: 'c1', response: { temp: 14 } }])).toBe('{"temp":14}');
    expect(contentText({ some: 'object' })).toBe('{"some":"object"}');
    expect(contentText(null)).toBe('');
    expect(contentText(undefined)).toBe('');
    expect(contentText(3)).toBe('3');
  });
});

describe('toolCallOf', () => {
  it('reads the OpenAI, flat and GenAI part shapes, parsing JSON-text arguments', () => {
    expect(toolCallOf({ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } })).toEqual({ id: 'c1', name: 'f', arguments: { a: 1 } });
    expect(toolCallOf({ name: 'g', arguments: { b: 2 } })).toEqual({ name: 'g', arguments: { b: 2 } });
    expect(toolCallOf({ type: 'tool_call', name: 'h' })).toEqual({ name: 'h', arguments: {} });
  });

  it('keeps arguments that are not JSON as text, and refuses a call without a name', () => {
    expect(toolCallOf({ name: 'f', arguments: 'not json' })).toEqual({ name: 'f', arguments: 'not json' });
    expect(toolCallOf({ arguments: '{}' })).toBeUndefined();
    expect(toolCallOf('f')).toBeUndefined();
  });
});

describe('toolCallsOf', () => {
  it('reads a list or JSON text of a list, skipping unnamed entries', () => {
    expect(toolCallsOf('[{"function":{"name":"f","arguments":"{}"}},{"x":1}]')).toEqual([{ name: 'f', arguments: {} }]);
    expect(toolCallsOf('{"name":"f"}')).toEqual([]);
    expect(toolCallsOf(undefined)).toEqual([]);
  });
});

describe('messageOf', () => {
  it('reads a GenAI parts message with a tool call, and a tool response with its call id', () => {
    expect(
      messageOf({ role: 'assistant', parts: [{ type: 'text', content: 'ok' }, { type: 'tool_call', id: 'c', name: 'f', arguments: { x: 1 } }] }),
    ).toEqual({ role: 'assistant', content: 'ok', toolCalls: [{ id: 'c', name: 'f', arguments: { x: 1 } }] });
    expect(messageOf({ role: 'tool', parts: [{ type: 'tool_call_response', id: 'c', response: 'sunny' }] })).toEqual({
      role: 'tool',
      content: 'sunny',
      toolCallId: 'c',
    });
  });

  it('reads an OpenAI message with tool_calls, name and tool_call_id', () => {
    expect(
      messageOf({ role: 'assistant', name: 'bot', content: null, tool_calls: [{ id: 'c', function: { name: 'f', arguments: '{}' } }] }),
    ).toEqual({ role: 'assistant', name: 'bot', content: '', toolCalls: [{ id: 'c', name: 'f', arguments: {} }] });
    expect(messageOf({ role: 'tool', tool_call_id: 'c', content: 'r' })).toEqual({ role: 'tool', content: 'r', toolCallId: 'c' });
  });

  it('reads a string as a message of the fallback role, and nothing else without a shape', () => {
    expect(messageOf('hi', 'assistant')).toEqual({ role: 'assistant', content: 'hi' });
    expect(messageOf({ content: 'x' })).toEqual({ role: 'user', content: 'x' });
    expect(messageOf(7)).toBeUndefined();
  });
});

describe('messagesOf', () => {
  it('reads JSON text of a list, a list, or an object holding messages', () => {
    expect(messagesOf('[{"role":"user","content":"a"}]')).toEqual([{ role: 'user', content: 'a' }]);
    expect(messagesOf({ messages: [{ role: 'system', content: 's' }] })).toEqual([{ role: 'system', content: 's' }]);
    expect(messagesOf(['plain'], 'assistant')).toEqual([{ role: 'assistant', content: 'plain' }]);
  });

  it('gives undefined for anything that is not a list', () => {
    expect(messagesOf('just text')).toBeUndefined();
    expect(messagesOf('[broken')).toBeUndefined();
    expect(messagesOf({ role: 'user' })).toBeUndefined();
  });
});
