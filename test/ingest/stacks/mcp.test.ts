/**
 * An MCP client and server (@modelcontextprotocol/sdk, stdio transport) with OpenInference's MCP
 * instrumentation (@arizeai/openinference-instrumentation-mcp), in a real application
 * (test/fixtures/stacks/mcp/app.ts starts server.ts as its child): the openai client (instrumented
 * too) picks the tool, the MCP client calls it, and the trace context travels in the request to the
 * server, whose span joins the client's trace. Exported by both processes with the OpenTelemetry SDK
 * to a real `evalops serve`, read back through the API; then an online rule scores the output and the
 * trace is promoted into a dataset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAIServer, type FakeReply, type FakeRequest } from '../../support/fake-openai-server.js';
import { startStackHarness, type StackHarness, type StackTrace } from '../../support/stack-harness.js';
import { BLOCKED_MARKER, fixtureSnippets, integrationsDoc, OFFLINE_ENV, spanNamed, spansNamed } from './openinference-stack.js';

const QUESTION = 'Where is my order F-9?';
const ANSWER = 'Order F-9 has shipped; it arrives tomorrow.';
const SHIPPED = { orderId: 'F-9', status: 'shipped', eta: 'tomorrow' };

function script(request: FakeRequest): FakeReply {
  return request.body?.messages?.some((m) => m.role === 'tool')
    ? { text: ANSWER, usage: { promptTokens: 40, completionTokens: 9 } }
    : { toolCalls: [{ name: 'lookup_order', arguments: { orderId: 'F-9' } }], usage: { promptTokens: 25, completionTokens: 7 } };
}

describe('MCP client and server via OpenInference → EvalOps, one trace across both processes', () => {
  let stack: StackHarness;
  let model: FakeOpenAIServer;
  let stderr = '';
  let trace: StackTrace;

  beforeAll(async () => {
    stack = await startStackHarness('mcp-app');
    model = await startFakeOpenAI({ respond: script });
    await stack.putOnlineRule({ name: 'says-shipped', sampleRate: 1, settleSeconds: 1, metrics: [{ name: 'says_shipped', scorer: { type: 'icontains', value: 'has shipped' } }] });
    const app = await stack.runApp('test/fixtures/stacks/mcp/app.ts', { ...OFFLINE_ENV, OPENAI_BASE_URL: model.url });
    stderr = app.stderr;
    expect(app.output).toEqual({ answer: ANSWER });
    trace = await stack.waitForTrace((t) => t.name === 'support-agent-mcp', 4);
  }, 120_000);
  afterAll(async () => {
    stack?.stop();
    await model?.close();
  });

  it('reaches nothing but loopback, in the client and in the server it started', () => {
    expect(stderr).not.toContain(BLOCKED_MARKER);
    expect(model.calls.map((c) => c.endpoint)).toEqual(['chat', 'chat']);
  });

  it("joins the server's tool span to the client's trace, under the client's agent span", () => {
    const root = spanNamed(trace, 'support-agent-mcp');
    const tool = spanNamed(trace, 'lookup_order');
    expect(tool).toMatchObject({ kind: 'TOOL', traceId: root.traceId, parentSpanId: root.spanId, tool: { name: 'lookup_order', arguments: { orderId: 'F-9' }, result: SHIPPED } });
    expect(trace.spans).toHaveLength(4);
  });

  it('reads the root: input, output, session, user; tokens and model in the summary', () => {
    expect(spanNamed(trace, 'support-agent-mcp')).toMatchObject({ kind: 'AGENT', input: QUESTION, output: ANSWER, sessionId: 'sess-mcp', userId: 'user-mcp' });
    expect(trace.summary).toMatchObject({ kind: 'AGENT', sessionId: 'sess-mcp', userId: 'user-mcp', model: 'gpt-4.1-mini', inputTokens: 65, outputTokens: 16 });
    expect(trace.notices).toEqual([]);
  });

  it("reads the model calls: the MCP server's tool offered, the tool call with arguments, its result in the next input, tokens", () => {
    const [first, second] = spansNamed(trace, 'OpenAI Chat Completions');
    expect(first).toMatchObject({
      kind: 'LLM',
      model: 'gpt-4.1-mini',
      provider: 'openai',
      usage: { inputTokens: 25, outputTokens: 7, totalTokens: 32 },
      toolCalls: [{ name: 'lookup_order', arguments: { orderId: 'F-9' } }],
      availableTools: [{ name: 'lookup_order', description: 'Find an order by id', parameters: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] } }],
      sessionId: 'sess-mcp',
    });
    expect(second!.input).toContainEqual({ role: 'tool', content: JSON.stringify(SHIPPED), toolCallId: first!.toolCalls[0]!.id });
    expect(second!.output).toEqual([{ role: 'assistant', content: ANSWER }]);
  });

  it('scores the output with an online rule', async () => {
    expect(await stack.waitForOnlineScores(trace.summary.traceId)).toEqual([expect.objectContaining({ metric: 'says_shipped', pass: true })]);
  });

  it("promotes the trace into a dataset: input, reference output, the server's tool call, session, model", async () => {
    const example = await stack.promote(trace.summary.traceId, 'from-mcp');
    expect(example).toMatchObject({ source: 'trace', input: QUESTION, expected: { reference: ANSWER }, metadata: { sessionId: 'sess-mcp', model: 'gpt-4.1-mini' } });
    expect(example.metadata.toolCalls).toContainEqual({ name: 'lookup_order', arguments: { orderId: 'F-9' } });
  });

  it('is the snippet of docs/integrations.md, verbatim', () => {
    for (const snippet of fixtureSnippets('mcp')) expect(integrationsDoc()).toContain(snippet);
  });
});
