/**
 * The openai client instrumented by OpenInference (@arizeai/openinference-instrumentation-openai), in a
 * real application (test/fixtures/stacks/openai/app.ts): a tool-calling conversation through chat
 * completions (the answer streamed) and one through the Responses API, exported by the OpenTelemetry SDK to a real
 * `evalops serve` and read back through the API; then an online rule scores the output and a trace
 * is promoted into a dataset.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeReply, type FakeRequest } from '../../support/fake-openai-server.js';
import { hasFunctionOutput, isResponsesRequest, responsesReply } from '../../support/fake-openai-responses.js';
import type { StackTrace } from '../../support/stack-harness.js';
import { itChecksTheStackRun, runStackApp, spanNamed, spansNamed } from './openinference-stack.js';

const SYSTEM = 'You are the support agent of ACME.';
const SHIPPED = { orderId: 'A-17', status: 'shipped', eta: 'tomorrow' };

/** Chat: the tool first, then the answer; Responses: the same with function_call items. */
function script(request: FakeRequest): FakeReply | undefined {
  if (isResponsesRequest(request)) {
    return hasFunctionOutput(request)
      ? responsesReply(request, { text: 'Order B-42 has shipped.', usage: { inputTokens: 30, outputTokens: 6 } })
      : responsesReply(request, { functionCalls: [{ name: 'lookup_order', arguments: { orderId: 'B-42' } }], usage: { inputTokens: 20, outputTokens: 4 } });
  }
  if (request.endpoint !== 'chat') return undefined;
  return request.body?.messages?.some((m) => m.role === 'tool')
    ? { text: 'Order A-17 has shipped; it arrives tomorrow.', usage: { promptTokens: 61, completionTokens: 9 } }
    : { toolCalls: [{ name: 'lookup_order', arguments: { orderId: 'A-17' } }], usage: { promptTokens: 42, completionTokens: 7 } };
}

describe('openai client (chat completions and Responses API) via OpenInference → EvalOps', () => {
  // The run's trace is the Responses conversation (checked by the shared tests); the chat one is read beside it.
  const run = runStackApp({ project: 'openai-app', fixture: 'openai', startModel: () => startFakeOpenAI({ respond: script }), env: (m) => ({ OPENAI_BASE_URL: m.url }), rootName: 'support-agent-responses', spans: 4 });
  let chat: StackTrace;
  let responses: StackTrace;
  beforeAll(async () => {
    chat = await run.current.stack.waitForTrace((t) => t.name === 'support-agent-chat', 4);
    responses = run.current.trace;
  });

  it('answers both conversations, calling the model server twice for each', () => {
    expect(run.current.output).toEqual({ chat: 'Order A-17 has shipped; it arrives tomorrow.', responses: 'Order B-42 has shipped.' });
    expect(run.current.model.calls.map((c) => c.path)).toEqual(['/v1/chat/completions', '/v1/chat/completions', '/v1/responses', '/v1/responses']);
  });

  it('reads the chat trace: the agent root with input, output, session, user; tokens and model in the summary', () => {
    const root = spanNamed(chat, 'support-agent-chat');
    expect(root).toMatchObject({ kind: 'AGENT', input: 'Where is my order A-17?', output: 'Order A-17 has shipped; it arrives tomorrow.', sessionId: 'sess-openai', userId: 'user-openai' });
    // Only the first call's tokens: the instrumentation (4.2.7) records none for a streamed chat completion.
    expect(chat.summary).toMatchObject({ kind: 'AGENT', spans: 4, errors: 0, sessionId: 'sess-openai', userId: 'user-openai', model: 'gpt-4.1-mini', inputTokens: 42, outputTokens: 7 });
    expect(chat.notices).toEqual([]);
  });

  it('reads the chat completions: messages, offered tool, the tool call with its arguments, tokens, model, provider; the streamed answer', () => {
    const [first, second] = spansNamed(chat, 'OpenAI Chat Completions');
    expect(first).toMatchObject({
      kind: 'LLM',
      model: 'gpt-4.1-mini',
      provider: 'openai',
      usage: { inputTokens: 42, outputTokens: 7, totalTokens: 49 },
      toolCalls: [{ id: 'call_0_0', name: 'lookup_order', arguments: { orderId: 'A-17' } }],
      availableTools: [{ name: 'lookup_order', description: 'Find an order by id' }],
      sessionId: 'sess-openai',
      userId: 'user-openai',
    });
    expect(first!.input).toEqual([
      { role: 'system', content: SYSTEM },
      { role: 'user', content: 'Where is my order A-17?' },
    ]);
    expect(second!.input).toEqual([
      { role: 'system', content: SYSTEM },
      { role: 'user', content: 'Where is my order A-17?' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'call_0_0', name: 'lookup_order', arguments: { orderId: 'A-17' } }] },
      { role: 'tool', content: JSON.stringify(SHIPPED), toolCallId: 'call_0_0' },
    ]);
    expect(second!.output).toEqual([{ role: 'assistant', content: 'Order A-17 has shipped; it arrives tomorrow.' }]);
    expect(second!.attributes['output.value']).toBe('Order A-17 has shipped; it arrives tomorrow.'); // put together from the stream
    expect(second!.usage).toEqual({}); // the usage chunk that include_usage asks for is not read by the instrumentation
    expect(spanNamed(chat, 'lookup_order')).toMatchObject({ kind: 'TOOL', tool: { name: 'lookup_order', arguments: { orderId: 'A-17' }, result: SHIPPED } });
  });

  it('reads the Responses API calls: instructions as the system message, the function call and its output, the output text', () => {
    const [first, second] = spansNamed(responses, 'OpenAI Responses');
    expect(first).toMatchObject({
      kind: 'LLM',
      model: 'gpt-4.1-mini',
      provider: 'openai',
      usage: { inputTokens: 20, outputTokens: 4, totalTokens: 24 },
      toolCalls: [{ id: 'call_2_0', name: 'lookup_order', arguments: { orderId: 'B-42' } }],
      availableTools: [{ name: 'lookup_order', description: 'Find an order by id' }],
      sessionId: 'sess-openai',
    });
    expect(second!.input).toEqual([
      { role: 'system', content: SYSTEM },
      { role: 'user', content: 'Where is my order B-42?' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'call_2_0', name: 'lookup_order', arguments: { orderId: 'B-42' } }] },
      { role: 'tool', content: JSON.stringify({ ...SHIPPED, orderId: 'B-42' }), toolCallId: 'call_2_0' },
    ]);
    expect(second!.output).toEqual([{ role: 'assistant', content: 'Order B-42 has shipped.' }]);
    expect(responses.summary).toMatchObject({ sessionId: 'sess-openai', userId: 'user-openai', inputTokens: 50, outputTokens: 10 });
  });

  it('scores the chat trace with the online rule too', async () => {
    expect(await run.current.stack.waitForOnlineScores(chat.summary.traceId)).toEqual([expect.objectContaining({ metric: 'says_shipped', pass: true })]);
  });

  itChecksTheStackRun(run, 'openai', { input: 'Where is my order B-42?', reference: 'Order B-42 has shipped.', sessionId: 'sess-openai', model: 'gpt-4.1-mini', toolCall: { name: 'lookup_order', arguments: { orderId: 'B-42' } } });
});
