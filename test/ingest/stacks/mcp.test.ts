/**
 * An MCP client and server (@modelcontextprotocol/sdk, stdio transport) with OpenInference's MCP
 * instrumentation (@arizeai/openinference-instrumentation-mcp), in a real application
 * (test/fixtures/stacks/mcp/app.ts starts server.ts as its child): the openai client (instrumented
 * too) picks the tool, the MCP client calls it, and the trace context travels in the request to the
 * server, whose span joins the client's trace. Exported by both processes with the OpenTelemetry SDK
 * to a real `evalops serve`, read back through the API; then an online rule scores the output and the
 * trace is promoted into a dataset.
 */
import { describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeReply, type FakeRequest } from '../../support/fake-openai-server.js';
import { itChecksTheStackRun, runStackApp, spanNamed, spansNamed } from './openinference-stack.js';

const QUESTION = 'Where is my order F-9?';
const ANSWER = 'Order F-9 has shipped; it arrives tomorrow.';
const SHIPPED = { orderId: 'F-9', status: 'shipped', eta: 'tomorrow' };

function script(request: FakeRequest): FakeReply {
  return request.body?.messages?.some((m) => m.role === 'tool')
    ? { text: ANSWER, usage: { promptTokens: 40, completionTokens: 9 } }
    : { toolCalls: [{ name: 'lookup_order', arguments: { orderId: 'F-9' } }], usage: { promptTokens: 25, completionTokens: 7 } };
}

describe('MCP client and server via OpenInference → EvalOps, one trace across both processes', () => {
  const run = runStackApp({ project: 'mcp-app', fixture: 'mcp', startModel: () => startFakeOpenAI({ respond: script }), env: (m) => ({ OPENAI_BASE_URL: m.url }), rootName: 'support-agent-mcp', spans: 4 });

  it('answers, calling the model twice (the server it started is guarded too: the shared test checks the stderr of both)', () => {
    expect(run.current.output).toEqual({ answer: ANSWER });
    expect(run.current.model.calls.map((c) => c.endpoint)).toEqual(['chat', 'chat']);
  });

  it("joins the server's tool span to the client's trace, under the client's agent span", () => {
    const root = spanNamed(run.current.trace, 'support-agent-mcp');
    const tool = spanNamed(run.current.trace, 'lookup_order');
    expect(tool).toMatchObject({ kind: 'TOOL', traceId: root.traceId, parentSpanId: root.spanId, tool: { name: 'lookup_order', arguments: { orderId: 'F-9' }, result: SHIPPED } });
    expect(run.current.trace.spans).toHaveLength(4);
  });

  it('reads the root: input, output, session, user; tokens and model in the summary', () => {
    expect(spanNamed(run.current.trace, 'support-agent-mcp')).toMatchObject({ kind: 'AGENT', input: QUESTION, output: ANSWER, sessionId: 'sess-mcp', userId: 'user-mcp' });
    expect(run.current.trace.summary).toMatchObject({ kind: 'AGENT', sessionId: 'sess-mcp', userId: 'user-mcp', model: 'gpt-4.1-mini', inputTokens: 65, outputTokens: 16 });
    expect(run.current.trace.notices).toEqual([]);
  });

  it("reads the model calls: the MCP server's tool offered, the tool call with arguments, its result in the next input, tokens", () => {
    const [first, second] = spansNamed(run.current.trace, 'OpenAI Chat Completions');
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

  itChecksTheStackRun(run, 'mcp', { input: QUESTION, reference: ANSWER, sessionId: 'sess-mcp', model: 'gpt-4.1-mini', toolCall: { name: 'lookup_order', arguments: { orderId: 'F-9' } } });
});
