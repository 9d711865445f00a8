import { describe, expect, it } from 'vitest';
import { openInferenceMessages } from './openinference-messages.js';

describe('openInferenceMessages', () => {
  it('reads flattened messages in index order, with content parts, tool calls, tool call ids and names', () => {
    const messages = openInferenceMessages(
      {
        'llm.input_messages.10.message.role': 'tool',
        'llm.input_messages.10.message.tool_call_id': 'call_1',
        'llm.input_messages.10.message.content': '{"status":"ok"}',
        'llm.input_messages.2.message.role': 'assistant',
        'llm.input_messages.2.message.tool_calls.0.tool_call.id': 'call_1',
        'llm.input_messages.2.message.tool_calls.0.tool_call.function.name': 'lookup',
        'llm.input_messages.2.message.tool_calls.0.tool_call.function.arguments': '{"id":7}',
        'llm.input_messages.0.message.role': 'user',
        'llm.input_messages.0.message.name': 'ana',
        'llm.input_messages.0.message.contents.1.message_content.type': 'text',
        'llm.input_messages.0.message.contents.1.message_content.text': 'second',
        'llm.input_messages.0.message.contents.0.message_content.type': 'image',
        'llm.input_messages.0.message.contents.0.message_content.image.image.url': 'http://x/img.png',
        'llm.input_messages.0.message.contents.2.message_content.text': 'third',
        'llm.output_messages.0.message.role': 'assistant',
      },
      'llm.input_messages',
    );
    expect(messages).toEqual([
      { role: 'user', name: 'ana', content: 'second\nthird' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'lookup', arguments: { id: 7 } }] },
      { role: 'tool', content: '{"status":"ok"}', toolCallId: 'call_1' },
    ]);
  });

  it('reads the text parts of the Responses API (output_text, input_text) as text', () => {
    expect(
      openInferenceMessages(
        {
          'llm.output_messages.0.message.role': 'assistant',
          'llm.output_messages.0.message.contents.0.message_content.type': 'output_text',
          'llm.output_messages.0.message.contents.0.message_content.text': 'Order B-42 has shipped.',
          'llm.output_messages.0.message.contents.1.message_content.type': 'input_text',
          'llm.output_messages.0.message.contents.1.message_content.text': 'quoted',
          'llm.output_messages.0.message.contents.2.message_content.type': 'refusal',
          'llm.output_messages.0.message.contents.2.message_content.text': 'not text',
        },
        'llm.output_messages',
      ),
    ).toEqual([{ role: 'assistant', content: 'Order B-42 has shipped.\nquoted' }]);
  });

  it("reads a user message that answers a tool call (Anthropic's tool_result) as a tool message", () => {
    expect(
      openInferenceMessages(
        {
          'llm.input_messages.0.message.role': 'user',
          'llm.input_messages.0.message.content': 'Where is C-7?',
          'llm.input_messages.1.message.role': 'user',
          'llm.input_messages.1.message.tool_call_id': 'toolu_1',
          'llm.input_messages.1.message.content': '{"status":"shipped"}',
        },
        'llm.input_messages',
      ),
    ).toEqual([
      { role: 'user', content: 'Where is C-7?' },
      { role: 'tool', content: '{"status":"shipped"}', toolCallId: 'toolu_1' },
    ]);
  });

  it('reads the legacy function call of a message', () => {
    expect(
      openInferenceMessages(
        {
          'llm.output_messages.0.message.role': 'assistant',
          'llm.output_messages.0.message.function_call_name': 'f',
          'llm.output_messages.0.message.function_call_arguments_json': '{"a":1}',
        },
        'llm.output_messages',
      ),
    ).toEqual([{ role: 'assistant', content: '', toolCalls: [{ name: 'f', arguments: { a: 1 } }] }]);
  });

  it('reads an unflattened list given as JSON under the key itself', () => {
    expect(openInferenceMessages({ 'llm.output_messages': '[{"role":"assistant","content":"hi"}]' }, 'llm.output_messages')).toEqual([
      { role: 'assistant', content: 'hi' },
    ]);
  });

  it('gives undefined when the span has no such messages, and "unknown" for a message without a role', () => {
    expect(openInferenceMessages({ 'input.value': 'x', 'llm.input_messagesX': 1 }, 'llm.input_messages')).toBeUndefined();
    expect(openInferenceMessages({ 'llm.input_messages.0.message.content': 'x' }, 'llm.input_messages')).toEqual([{ role: 'unknown', content: 'x' }]);
  });
});
