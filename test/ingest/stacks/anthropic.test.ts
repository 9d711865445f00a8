/**
 * The Anthropic SDK instrumented by OpenInference (@arizeai/openinference-instrumentation-anthropic),
 * in a real application (test/fixtures/stacks/anthropic/app.ts): Claude asks for a tool (plain
 * request), the app sends the tool_result back (streamed request), against the scripted Messages API
 * server; exported by the OpenTelemetry SDK to a real `evalops serve` and read back through the API;
 * then an online rule scores the output and the trace is promoted into a dataset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type AnthropicReply, type AnthropicRequest, type FakeAnthropicServer } from '../../support/fake-anthropic-server.js';
import { startStackHarness, type StackHarness, type StackTrace } from '../../support/stack-harness.js';
import { BLOCKED_MARKER, fixtureSnippets, integrationsDoc, OFFLINE_ENV, spanNamed, spansNamed } from './openinference-stack.js';

const SHIPPED = { orderId: 'C-7', status: 'shipped', eta: 'tomorrow' };

function script(request: AnthropicRequest): AnthropicReply {
  const answered = JSON.stringify(request.body?.messages ?? []).includes('"tool_result"');
  return answered
    ? { text: 'Order C-7 has shipped.', usage: { inputTokens: 50, outputTokens: 5 } }
    : { text: 'Let me check.', toolUses: [{ name: 'lookup_order', input: { orderId: 'C-7' } }], usage: { inputTokens: 40, outputTokens: 8 } };
}

describe('Anthropic SDK (tool use, plain and streamed) via OpenInference → EvalOps', () => {
  let stack: StackHarness;
  let model: FakeAnthropicServer;
  let stderr = '';
  let trace: StackTrace;

  beforeAll(async () => {
    stack = await startStackHarness('anthropic-app');
    model = await startFakeAnthropic({ respond: script });
    await stack.putOnlineRule({ name: 'says-shipped', sampleRate: 1, settleSeconds: 1, metrics: [{ name: 'says_shipped', scorer: { type: 'icontains', value: 'has shipped' } }] });
    const app = await stack.runApp('test/fixtures/stacks/anthropic/app.ts', { ...OFFLINE_ENV, ANTHROPIC_BASE_URL: model.url });
    stderr = app.stderr;
    expect(app.output).toEqual({ answer: 'Order C-7 has shipped.' });
    trace = await stack.waitForTrace((t) => t.name === 'support-agent-claude', 4);
  }, 120_000);
  afterAll(async () => {
    stack?.stop();
    await model?.close();
  });

  it('reaches nothing but loopback; the second request is streamed', () => {
    expect(stderr).not.toContain(BLOCKED_MARKER);
    expect(model.calls.map((c) => c.body?.stream ?? false)).toEqual([false, true]);
  });

  it("reads the trace: agent root with input, output, session, user; one LLM span per call (the SDK's own spans off), tokens counted once", () => {
    expect(spanNamed(trace, 'support-agent-claude')).toMatchObject({ kind: 'AGENT', input: 'Where is my order C-7?', output: 'Order C-7 has shipped.', sessionId: 'sess-anthropic', userId: 'user-anthropic' });
    expect(trace.spans.map((s) => s.name).sort()).toEqual(['Anthropic Messages', 'Anthropic Messages', 'lookup_order', 'support-agent-claude']);
    expect(trace.summary).toMatchObject({ kind: 'AGENT', sessionId: 'sess-anthropic', userId: 'user-anthropic', model: 'claude-sonnet-4-5', inputTokens: 90, outputTokens: 13 });
    expect(trace.notices).toEqual([]);
  });

  it('reads the plain call: input message, text and tool_use in the output, the tool call with arguments, offered tool, tokens, model, provider', () => {
    const [first] = spansNamed(trace, 'Anthropic Messages');
    expect(first).toMatchObject({
      kind: 'LLM',
      model: 'claude-sonnet-4-5',
      provider: 'anthropic',
      usage: { inputTokens: 40, outputTokens: 8, totalTokens: 48 },
      toolCalls: [{ id: 'toolu_0_0', name: 'lookup_order', arguments: { orderId: 'C-7' } }],
      availableTools: [{ name: 'lookup_order', description: 'Find an order by id', parameters: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] } }],
      sessionId: 'sess-anthropic',
      userId: 'user-anthropic',
    });
    expect(first!.input).toEqual([{ role: 'user', content: 'Where is my order C-7?' }]);
    expect(first!.output).toEqual([{ role: 'assistant', content: 'Let me check.', toolCalls: [{ id: 'toolu_0_0', name: 'lookup_order', arguments: { orderId: 'C-7' } }] }]);
  });

  it('reads the streamed call: the tool_result in the input, the streamed text as output, its tokens', () => {
    const [, second] = spansNamed(trace, 'Anthropic Messages');
    expect(second!.input).toEqual([
      { role: 'user', content: 'Where is my order C-7?' },
      { role: 'assistant', content: 'Let me check.', toolCalls: [{ id: 'toolu_0_0', name: 'lookup_order', arguments: { orderId: 'C-7' } }] },
      { role: 'user', content: JSON.stringify(SHIPPED), toolCallId: 'toolu_0_0' },
    ]);
    expect(second).toMatchObject({ output: [{ role: 'assistant', content: 'Order C-7 has shipped.' }], usage: { inputTokens: 50, outputTokens: 5 }, model: 'claude-sonnet-4-5' });
    expect(spanNamed(trace, 'lookup_order')).toMatchObject({ kind: 'TOOL', tool: { name: 'lookup_order', arguments: { orderId: 'C-7' }, result: SHIPPED } });
  });

  it('scores the output with an online rule', async () => {
    expect(await stack.waitForOnlineScores(trace.summary.traceId)).toEqual([expect.objectContaining({ metric: 'says_shipped', pass: true })]);
  });

  it('promotes the trace into a dataset: input, reference output, tool call, session, model', async () => {
    const example = await stack.promote(trace.summary.traceId, 'from-claude');
    expect(example).toMatchObject({ source: 'trace', input: 'Where is my order C-7?', expected: { reference: 'Order C-7 has shipped.' }, metadata: { sessionId: 'sess-anthropic', model: 'claude-sonnet-4-5' } });
    expect(example.metadata.toolCalls).toContainEqual({ name: 'lookup_order', arguments: { orderId: 'C-7' } });
  });

  it('is the snippet of docs/integrations.md, verbatim', () => {
    for (const snippet of fixtureSnippets('anthropic')) expect(integrationsDoc()).toContain(snippet);
  });
});
