/**
 * LangChain + LangGraph instrumented by OpenInference (@arizeai/openinference-instrumentation-langchain),
 * in a real application (test/fixtures/stacks/langgraph/app.ts): a two-node graph — `agent`
 * (ChatOpenAI with a tool bound) and `tools` (a ToolNode) — against the scripted OpenAI-compatible
 * server; exported by the OpenTelemetry SDK to a real `evalops serve` and read back through the API;
 * then an online rule scores the output and the trace is promoted into a dataset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAIServer, type FakeReply, type FakeRequest } from '../../support/fake-openai-server.js';
import { startStackHarness, type StackHarness, type StackTrace } from '../../support/stack-harness.js';
import { BLOCKED_MARKER, fixtureSnippets, integrationsDoc, OFFLINE_ENV, spanNamed, spansNamed } from './openinference-stack.js';

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
  let stack: StackHarness;
  let model: FakeOpenAIServer;
  let stderr = '';
  let trace: StackTrace;

  beforeAll(async () => {
    stack = await startStackHarness('langgraph-app');
    model = await startFakeOpenAI({ respond: script });
    await stack.putOnlineRule({ name: 'says-shipped', sampleRate: 1, settleSeconds: 1, metrics: [{ name: 'says_shipped', scorer: { type: 'icontains', value: 'has shipped' } }] });
    const app = await stack.runApp('test/fixtures/stacks/langgraph/app.ts', { ...OFFLINE_ENV, OPENAI_BASE_URL: model.url });
    stderr = app.stderr;
    expect(app.output).toEqual({ answer: ANSWER });
    trace = await stack.waitForTrace((t) => t.name === 'LangGraph', 10);
  }, 120_000);
  afterAll(async () => {
    stack?.stop();
    await model?.close();
  });

  it('reaches nothing but loopback (no LangSmith, no tokenizer download)', () => {
    expect(stderr).not.toContain(BLOCKED_MARKER);
    expect(model.calls.map((c) => c.endpoint)).toEqual(['chat', 'chat']);
  });

  it('reads the graph root: CHAIN, its input messages, what the graph added as output, session, user, tokens, model', () => {
    const root = spanNamed(trace, 'LangGraph');
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
    expect(trace.summary).toMatchObject({ kind: 'CHAIN', sessionId: 'sess-langgraph', userId: 'user-langgraph', model: 'gpt-4.1-mini', inputTokens: 103, outputTokens: 16 });
    expect(trace.notices).toEqual([]);
  });

  it('reads the nodes as chains whose output is what each node added', () => {
    const [firstAgent, secondAgent] = spansNamed(trace, 'agent');
    expect(firstAgent!.output).toEqual([{ role: 'assistant', content: '', toolCalls: [{ id: 'call_0_0', name: 'lookup_order', arguments: { orderId: 'D-5' } }] }]);
    expect(secondAgent!.output).toEqual([{ role: 'assistant', content: ANSWER }]);
    expect(spanNamed(trace, 'tools')).toMatchObject({ kind: 'CHAIN', output: [{ role: 'tool', content: SHIPPED, toolCallId: 'call_0_0', name: 'lookup_order' }] });
  });

  it('reads the model calls: messages, the tool call with its arguments, offered tool, tokens, model, provider', () => {
    const [first, second] = spansNamed(trace, 'ChatOpenAI');
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
    expect(spanNamed(trace, 'lookup_order')).toMatchObject({ kind: 'TOOL', tool: { name: 'lookup_order', arguments: 'D-5', result: JSON.parse(SHIPPED) } });
  });

  it('scores the output with an online rule', async () => {
    expect(await stack.waitForOnlineScores(trace.summary.traceId)).toEqual([expect.objectContaining({ metric: 'says_shipped', pass: true })]);
  });

  it('promotes the trace into a dataset: the question as input, the answer as reference, the tool run, session, model', async () => {
    const example = await stack.promote(trace.summary.traceId, 'from-langgraph');
    expect(example).toMatchObject({ source: 'trace', input: QUESTION, expected: { reference: ANSWER }, metadata: { sessionId: 'sess-langgraph', model: 'gpt-4.1-mini' } });
    // The tools the trace ran, from its TOOL span, whose one-field argument the instrumentation sent bare.
    expect(example.metadata.toolCalls).toEqual([{ name: 'lookup_order', arguments: 'D-5' }]);
  });

  it('is the snippet of docs/integrations.md, verbatim', () => {
    for (const snippet of fixtureSnippets('langgraph')) expect(integrationsDoc()).toContain(snippet);
  });
});
