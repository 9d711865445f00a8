import Anthropic from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropicServer } from './fake-anthropic-server.js';

let server: FakeAnthropicServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const clientOf = (s: FakeAnthropicServer) => new Anthropic({ baseURL: s.url, apiKey: 'test-key', maxRetries: 0 });
const ask = { model: 'claude-test', max_tokens: 100, messages: [{ role: 'user' as const, content: 'Where is A-17?' }] };

describe('startFakeAnthropic, through the real @anthropic-ai/sdk client', () => {
  it('answers a text message with its usage and records the parsed request', async () => {
    server = await startFakeAnthropic({ respond: () => ({ text: 'It ships tomorrow.', usage: { inputTokens: 12, outputTokens: 4 } }) });
    const message = await clientOf(server).messages.create({ ...ask, system: 'Be brief.' });

    expect(message).toMatchObject({ role: 'assistant', model: 'claude-test', stop_reason: 'end_turn', content: [{ type: 'text', text: 'It ships tomorrow.' }], usage: { input_tokens: 12, output_tokens: 4 } });
    expect(server.calls).toHaveLength(1);
    expect(server.calls[0]).toMatchObject({ index: 0, method: 'POST', path: '/v1/messages', body: { model: 'claude-test', system: 'Be brief.' } });
    expect(server.calls[0]!.headers.authorization ?? server.calls[0]!.headers['x-api-key']).toMatch(/test-key/);
  });

  it('answers tool_use blocks with stop reason tool_use', async () => {
    server = await startFakeAnthropic({ respond: () => ({ toolUses: [{ name: 'lookup_order', input: { orderId: 'A-17' } }] }) });
    const message = await clientOf(server).messages.create(ask);

    expect(message.stop_reason).toBe('tool_use');
    expect(message.content).toEqual([{ type: 'tool_use', id: 'toolu_0_0', name: 'lookup_order', input: { orderId: 'A-17' } }]);
  });

  it('streams text and tool input in pieces that the SDK puts back together', async () => {
    server = await startFakeAnthropic({ respond: () => ({ text: 'Let me look.', toolUses: [{ name: 'lookup_order', input: { orderId: 'A-17' } }], usage: { inputTokens: 9, outputTokens: 7 } }) });
    const stream = clientOf(server).messages.stream(ask);
    const texts: string[] = [];
    stream.on('text', (t) => texts.push(t));
    const message = await stream.finalMessage();

    expect(texts).toEqual(['Let me', ' look.']);
    expect(message.content).toEqual([
      { type: 'text', text: 'Let me look.' },
      { type: 'tool_use', id: 'toolu_0_0', name: 'lookup_order', input: { orderId: 'A-17' } },
    ]);
    expect(message).toMatchObject({ stop_reason: 'tool_use', usage: { input_tokens: 9, output_tokens: 7 } });
  });

  it('answers errors in the Messages API format, and 400 for a request without max_tokens', async () => {
    server = await startFakeAnthropic({ respond: () => ({ status: 429, message: 'slow down' }) });
    await expect(clientOf(server).messages.create(ask)).rejects.toMatchObject({ status: 429, error: { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } } });
    const res = await fetch(`${server.url}/v1/messages`, { method: 'POST', body: JSON.stringify({ messages: [] }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
  });
});
