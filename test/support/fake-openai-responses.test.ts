import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAIServer } from './fake-openai-server.js';
import { hasFunctionOutput, isResponsesRequest, responsesReply } from './fake-openai-responses.js';

let server: FakeOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('responsesReply, through the real openai client', () => {
  it('answers a function call, then text once the function output comes back, with usage', async () => {
    server = await startFakeOpenAI({
      respond: (r) =>
        isResponsesRequest(r)
          ? hasFunctionOutput(r)
            ? responsesReply(r, { text: 'Shipped.', usage: { inputTokens: 30, outputTokens: 2 } })
            : responsesReply(r, { functionCalls: [{ name: 'lookup_order', arguments: { orderId: 'B-42' } }] })
          : undefined,
    });
    const client = new OpenAI({ baseURL: server.url, apiKey: 'test-key', maxRetries: 0 });
    const first = await client.responses.create({ model: 'gpt-4.1-mini', instructions: 'Be brief.', input: 'Where is B-42?' });
    expect(first.output).toEqual([{ type: 'function_call', id: 'fc_0_0', call_id: 'call_0_0', name: 'lookup_order', arguments: '{"orderId":"B-42"}', status: 'completed' }]);
    expect(first).toMatchObject({ status: 'completed', model: 'gpt-4.1-mini', instructions: 'Be brief.', usage: { input_tokens: 10, output_tokens: 5, total_tokens: 15 } });

    const second = await client.responses.create({ model: 'gpt-4.1-mini', input: [{ type: 'function_call_output', call_id: 'call_0_0', output: '{"status":"shipped"}' }] });
    expect(second.output_text).toBe('Shipped.');
    expect(second.usage).toMatchObject({ input_tokens: 30, output_tokens: 2, total_tokens: 32 });
    expect(server.calls.map((c) => c.path)).toEqual(['/v1/responses', '/v1/responses']);
  });
});
