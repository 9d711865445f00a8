/**
 * The OpenAI Agents SDK (@openai/agents) traced by OpenInference's processor for it
 * (@arizeai/openinference-instrumentation-openai-agents), in a real application
 * (test/fixtures/stacks/openai-agents/app.ts): a triage agent hands off to an orders agent, which
 * calls a tool, against the scripted Responses API; exported by the OpenTelemetry SDK to a real
 * `evalops serve` and read back through the API; then an online rule scores the output and the trace
 * is promoted into a dataset. The SDK's own exporter (to OpenAI) is replaced, so nothing leaves loopback.
 */
import { describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeReply, type FakeRequest } from '../../support/fake-openai-server.js';
import { isResponsesRequest, responsesReply } from '../../support/fake-openai-responses.js';
import { itChecksTheStackRun, runStackApp, spanNamed, spansNamed } from './openinference-stack.js';

const QUESTION = 'Where is my order E-3?';
const ANSWER = 'Order E-3 has shipped.';
const HANDOFF_TOOL = 'transfer_to_Orders_agent';

/** The triage agent hands off; the orders agent calls the tool, then answers from its result. */
function script(request: FakeRequest): FakeReply | undefined {
  if (!isResponsesRequest(request)) return undefined;
  const instructions = String(request.body?.['instructions'] ?? '');
  if (instructions.startsWith('Hand questions')) return responsesReply(request, { functionCalls: [{ name: HANDOFF_TOOL, arguments: {} }], usage: { inputTokens: 11, outputTokens: 3 } });
  const looked = JSON.stringify(request.body?.['input']).includes('"name":"lookup_order"');
  return looked
    ? responsesReply(request, { text: ANSWER, usage: { inputTokens: 33, outputTokens: 5 } })
    : responsesReply(request, { functionCalls: [{ name: 'lookup_order', arguments: { orderId: 'E-3' } }], usage: { inputTokens: 22, outputTokens: 6 } });
}

describe('OpenAI Agents SDK (handoff and tool) via OpenInference → EvalOps', () => {
  // The SDK turns its tracing off under NODE_ENV=test, which the test runner sets: the app runs as in production.
  const run = runStackApp({ project: 'agents-app', fixture: 'openai-agents', startModel: () => startFakeOpenAI({ respond: script }), env: (m) => ({ NODE_ENV: 'production', OPENAI_BASE_URL: m.url }), rootName: 'Agent workflow', spans: 12 });

  it("answers from the orders agent after three Responses API calls (the SDK's exporter to OpenAI is replaced: the shared test checks loopback)", () => {
    expect(run.current.output).toEqual({ answer: ANSWER, lastAgent: 'Orders agent' });
    expect(run.current.model.calls.map((c) => c.path)).toEqual(['/v1/responses', '/v1/responses', '/v1/responses']);
  });

  it('reads the workflow root: AGENT, the question as input, the answer as output, session, user, tokens, model', () => {
    const root = spansNamed(run.current.trace, 'Agent workflow').find((s) => s.parentSpanId === undefined)!;
    expect(root).toMatchObject({ kind: 'AGENT', input: [{ role: 'user', content: QUESTION }], output: ANSWER, sessionId: 'sess-agents', userId: 'user-agents' });
    expect(run.current.trace.summary).toMatchObject({ kind: 'AGENT', sessionId: 'sess-agents', userId: 'user-agents', model: 'gpt-4.1-mini', inputTokens: 66, outputTokens: 14 });
    expect(run.current.trace.notices).toEqual([]);
  });

  it('reads both agents as AGENT spans and the handoff as a TOOL span from one to the other', () => {
    expect(spanNamed(run.current.trace, 'Triage agent')).toMatchObject({ kind: 'AGENT' });
    expect(spanNamed(run.current.trace, 'Orders agent')).toMatchObject({ kind: 'AGENT', attributes: { 'graph.node.parent_id': 'Triage agent' } });
    expect(spanNamed(run.current.trace, 'handoff to Orders agent')).toMatchObject({ kind: 'TOOL', tool: { arguments: { from_agent: 'Triage agent' }, result: { to_agent: 'Orders agent' } } });
  });

  it('reads the model calls: instructions and messages, the handoff and the tool call with arguments, tokens, model, provider', () => {
    const [triage, lookup, answer] = spansNamed(run.current.trace, 'response');
    expect(triage).toMatchObject({ kind: 'LLM', model: 'gpt-4.1-mini', provider: 'openai', usage: { inputTokens: 11, outputTokens: 3 }, toolCalls: [{ name: HANDOFF_TOOL, arguments: {} }], availableTools: [{ name: HANDOFF_TOOL }] });
    expect(triage!.input).toEqual([
      { role: 'system', content: 'Hand questions about orders to the orders agent.' },
      { role: 'user', content: QUESTION },
    ]);
    expect(lookup).toMatchObject({ usage: { inputTokens: 22, outputTokens: 6, totalTokens: 28 }, toolCalls: [{ id: 'call_1_0', name: 'lookup_order', arguments: { orderId: 'E-3' } }], availableTools: [{ name: 'lookup_order', description: 'Find an order by id' }], sessionId: 'sess-agents' });
    expect(answer!.input).toContainEqual({ role: 'tool', content: JSON.stringify({ orderId: 'E-3', status: 'shipped', eta: 'tomorrow' }), toolCallId: 'call_1_0' });
    expect(answer).toMatchObject({ output: [{ role: 'assistant', content: ANSWER }], usage: { inputTokens: 33, outputTokens: 5 } });
    expect(spanNamed(run.current.trace, 'lookup_order')).toMatchObject({ kind: 'TOOL', tool: { name: 'lookup_order', arguments: { orderId: 'E-3' }, result: { orderId: 'E-3', status: 'shipped' } } });
  });

  itChecksTheStackRun(run, 'openai-agents', { input: QUESTION, reference: ANSWER, sessionId: 'sess-agents', model: 'gpt-4.1-mini', toolCall: { name: 'lookup_order', arguments: { orderId: 'E-3' } } });
});
