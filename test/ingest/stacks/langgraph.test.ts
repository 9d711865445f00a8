/**
 * LangChain + LangGraph instrumented by OpenInference (@arizeai/openinference-instrumentation-langchain),
 * in a real application (test/fixtures/stacks/langgraph/app.ts): a two-node graph — `agent`
 * (ChatOpenAI with a tool bound) and `tools` (a ToolNode) — against the scripted OpenAI-compatible
 * server; exported by the OpenTelemetry SDK to a real `evalops serve` and read back through the API;
 * then an online rule scores the output and the trace is promoted into a dataset.
 */
import { describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeReply, type FakeRequest } from '../../support/fake-openai-server.js';
import { itChecksTheStackRun, runStackApp, spanNamed, spansNamed } from './openinference-stack.js';

const SYSTEM = 'You are the support agent of ACME.';
const QUESTION = 'Where is my order D-5?';
const SHIPPED = JSON.stringify({ orderId: 'D-5', status: 'shipped', eta: 'tomorrow' });
const ANSWER = 'Order D-5 has shipped; it arrives tomorrow.';

function script(request: FakeRequest): FakeReply {
  return request.body?.messages?.some((m) => m.role === 'tool')
    ? { text: ANSWER, usage: { promptTokens: 61, completionTokens: 9 } }
    : { toolCalls: [{ name: 'lookup_order', arguments: { orderId: 'D-5' } }], usage: { promptTokens: 42, completionTokens: 7 } };
}

describe('LangChain + LangGraph (two nodes, a tool) via OpenInference → EvalOps', () => {
  const run = runStackApp({ project: 'langgraph-app', fixture: 'langgraph', startModel: () => startFakeOpenAI({ respond: script }), env: (m) => ({ OPENAI_BASE_URL: m.url }), rootName: 'LangGraph', spans: 10 });

  it('answers, calling the model twice (no LangSmith, no tokenizer download: the shared test checks loopback)', () => {
    expect(run.current.output).toEqual({ answer: ANSWER });
    expect(run.current.model.calls.map((c) => c.endpoint)).toEqual(['chat', 'chat']);
  });

  it('reads the graph root: CHAIN, its input messages, what the graph added as output, session, user, tokens, model', () => {
    const root = spanNamed(run.current.trace, 'LangGraph');
    expect(root).toMatchObject({ kind: 'CHAIN', sessionId: 'sess-langgraph', userId: 'user-langgraph', toolCalls: [] });
    expect(root.input).toEqual([
      { role: 'system', content: SYSTEM },
      { role: 'user', content: QUESTION },
    ]);
    expect(root.output).toEqual([
      { role: 'assistant', content: '', toolCalls: [{ id: 'call_0_0', name: 'lookup_order', arguments: { orderId: 'D-5' } }] },
      { role: 'tool', content: SHIPPED, toolCallId: 'call_0_0', name: 'lookup_order' },
      { role: 'assistant', content: ANSWER },
    ]);
    expect(run.current.trace.summary).toMatchObject({ kind: 'CHAIN', sessionId: 'sess-langgraph', userId: 'user-langgraph', model: 'gpt-4.1-mini', inputTokens: 103, outputTokens: 16 });
    expect(run.current.trace.notices).toEqual([]);
  });

  it('reads the nodes as chains whose output is what each node added', () => {
    const [firstAgent, secondAgent] = spansNamed(run.current.trace, 'agent');
    expect(firstAgent!.output).toEqual([{ role: 'assistant', content: '', toolCalls: [{ id: 'call_0_0', name: 'lookup_order', arguments: { orderId: 'D-5' } }] }]);
    expect(secondAgent!.output).toEqual([{ role: 'assistant', content: ANSWER }]);
    expect(spanNamed(run.current.trace, 'tools')).toMatchObject({ kind: 'CHAIN', output: [{ role: 'tool', content: SHIPPED, toolCallId: 'call_0_0', name: 'lookup_order' }] });
  });

  it('reads the model calls: messages, the tool call with its arguments, offered tool, tokens, model, provider', () => {
    const [first, second] = spansNamed(run.current.trace, 'ChatOpenAI');
    expect(first).toMatchObject({
      kind: 'LLM',
      model: 'gpt-4.1-mini',
      provider: 'openai',
      usage: { inputTokens: 42, outputTokens: 7, totalTokens: 49 },
      toolCalls: [{ name: 'lookup_order', arguments: { orderId: 'D-5' } }],
      availableTools: [{ name: 'lookup_order', description: 'Find an order by id' }],
      sessionId: 'sess-langgraph',
    });
    expect(first!.input).toEqual([
      { role: 'system', content: SYSTEM },
      { role: 'user', content: QUESTION },
    ]);
    expect(second!.input).toEqual([
      { role: 'system', content: SYSTEM },
      { role: 'user', content: QUESTION },
      { role: 'assistant', content: '', toolCalls: [{ name: 'lookup_order', arguments: { orderId: 'D-5' } }] },
      { role: 'tool', content: SHIPPED },
    ]);
    expect(second).toMatchObject({ output: [{ role: 'assistant', content: ANSWER }], usage: { inputTokens: 61, outputTokens: 9 } });
  });

  it("reads the tool span: the ToolMessage's content is the result; the instrumentation sends a one-field argument as its bare value", () => {
    expect(spanNamed(run.current.trace, 'lookup_order')).toMatchObject({ kind: 'TOOL', tool: { name: 'lookup_order', arguments: 'D-5', result: JSON.parse(SHIPPED) } });
  });

  // The tools the trace ran come from its TOOL span, whose one-field argument the instrumentation sent bare.
  itChecksTheStackRun(run, 'langgraph', { input: QUESTION, reference: ANSWER, sessionId: 'sess-langgraph', model: 'gpt-4.1-mini', toolCall: { name: 'lookup_order', arguments: 'D-5' } });
});
