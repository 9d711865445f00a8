/**
 * The Anthropic SDK instrumented by OpenInference (@arizeai/openinference-instrumentation-anthropic),
 * in a real application (test/fixtures/stacks/anthropic/app.ts): Claude asks for a tool (plain
 * request), the app sends the tool_result back (streamed request), against the scripted Messages API
 * server; exported by the OpenTelemetry SDK to a real `evalops serve` and read back through the API;
 * then an online rule scores the output and the trace is promoted into a dataset.
 */
import { describe, expect, it } from 'vitest';
import { startFakeAnthropic, type AnthropicReply, type AnthropicRequest } from '../../support/fake-anthropic-server.js';
import { itChecksTheStackRun, runStackApp, spanNamed, spansNamed } from './openinference-stack.js';

const SHIPPED = { orderId: 'C-7', status: 'shipped', eta: 'tomorrow' };

function script(request: AnthropicRequest): AnthropicReply {
  const answered = JSON.stringify(request.body?.messages ?? []).includes('"tool_result"');
  return answered
    ? { text: 'Order C-7 has shipped.', usage: { inputTokens: 50, outputTokens: 5 } }
    : { text: 'Let me check.', toolUses: [{ name: 'lookup_order', input: { orderId: 'C-7' } }], usage: { inputTokens: 40, outputTokens: 8 } };
}

describe('Anthropic SDK (tool use, plain and streamed) via OpenInference → EvalOps', () => {
  const run = runStackApp({ project: 'anthropic-app', fixture: 'anthropic', startModel: () => startFakeAnthropic({ respond: script }), env: (m) => ({ ANTHROPIC_BASE_URL: m.url }), rootName: 'support-agent-claude', spans: 4 });

  it('answers, the second request streamed', () => {
    expect(run.current.output).toEqual({ answer: 'Order C-7 has shipped.' });
    expect(run.current.model.calls.map((c) => c.body?.stream ?? false)).toEqual([false, true]);
  });

  it("reads the trace: agent root with input, output, session, user; one LLM span per call (the SDK's own spans off), tokens counted once", () => {
    expect(spanNamed(run.current.trace, 'support-agent-claude')).toMatchObject({ kind: 'AGENT', input: 'Where is my order C-7?', output: 'Order C-7 has shipped.', sessionId: 'sess-anthropic', userId: 'user-anthropic' });
    expect(run.current.trace.spans.map((s) => s.name).sort()).toEqual(['Anthropic Messages', 'Anthropic Messages', 'lookup_order', 'support-agent-claude']);
    expect(run.current.trace.summary).toMatchObject({ kind: 'AGENT', sessionId: 'sess-anthropic', userId: 'user-anthropic', model: 'claude-sonnet-4-5', inputTokens: 90, outputTokens: 13 });
    expect(run.current.trace.notices).toEqual([]);
  });

  it('reads the plain call: input message, text and tool_use in the output, the tool call with arguments, offered tool, tokens, model, provider', () => {
    const [first] = spansNamed(run.current.trace, 'Anthropic Messages');
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

  it('reads the streamed call: the tool_result in the input as a tool message, the streamed text as output, its tokens', () => {
    const [, second] = spansNamed(run.current.trace, 'Anthropic Messages');
    expect(second!.input).toEqual([
      { role: 'user', content: 'Where is my order C-7?' },
      { role: 'assistant', content: 'Let me check.', toolCalls: [{ id: 'toolu_0_0', name: 'lookup_order', arguments: { orderId: 'C-7' } }] },
      { role: 'tool', content: JSON.stringify(SHIPPED), toolCallId: 'toolu_0_0' }, // a user message of a tool_result block
    ]);
    expect(second).toMatchObject({ output: [{ role: 'assistant', content: 'Order C-7 has shipped.' }], usage: { inputTokens: 50, outputTokens: 5 }, model: 'claude-sonnet-4-5' });
    expect(spanNamed(run.current.trace, 'lookup_order')).toMatchObject({ kind: 'TOOL', tool: { name: 'lookup_order', arguments: { orderId: 'C-7' }, result: SHIPPED } });
  });

  itChecksTheStackRun(run, 'anthropic', { input: 'Where is my order C-7?', reference: 'Order C-7 has shipped.', sessionId: 'sess-anthropic', model: 'claude-sonnet-4-5', toolCall: { name: 'lookup_order', arguments: { orderId: 'C-7' } } });
});
