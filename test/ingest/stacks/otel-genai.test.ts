/**
 * The generic path: an application that writes the newest OTel GenAI attributes itself (agent span,
 * chat span with parts-based messages), exported by the real OTel SDK to a real `evalops serve`
 * (test/fixtures/stacks/otel-genai/app.ts); read back, scored online, promoted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docsSnippetOf, integrationsDoc } from '../../support/doc-snippet.js';
import { startFakeOpenAI, type FakeOpenAIServer } from '../../support/fake-openai-server.js';
import { startStackHarness, type StackHarness, type StackTrace } from '../../support/stack-harness.js';

const APP = 'test/fixtures/stacks/otel-genai/app.ts';

describe('OTel GenAI conventions by hand → EvalOps', () => {
  let stack: StackHarness;
  let model: FakeOpenAIServer;
  let trace: StackTrace;

  beforeAll(async () => {
    stack = await startStackHarness('genai-app');
    model = await startFakeOpenAI({ respond: () => ({ text: 'It is sunny in Paris.', usage: { promptTokens: 11, completionTokens: 5 } }) });
    await stack.putOnlineRule({ name: 'mentions-paris', sampleRate: 1, settleSeconds: 1, metrics: [{ name: 'mentions_paris', scorer: { type: 'icontains', value: 'paris' } }] });
    expect((await stack.runApp(APP, { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'test' })).output).toEqual({ answer: 'It is sunny in Paris.' });
    trace = await stack.waitForTrace((t) => t.name === 'invoke_agent support-bot', 2);
  }, 120_000);
  afterAll(async () => {
    stack?.stop();
    await model?.close();
  });

  it('reads the agent span and the chat span: kinds, messages, session, user, tokens, model', () => {
    const agent = trace.spans.find((s) => s.name === 'invoke_agent support-bot')!;
    const chat = trace.spans.find((s) => s.name === 'chat gpt-4.1-mini')!;
    expect(agent).toMatchObject({ kind: 'AGENT', sessionId: 'sess-42', userId: 'user-7', input: [{ role: 'user', content: 'What is the weather in Paris?' }], output: [{ role: 'assistant', content: 'It is sunny in Paris.' }] });
    expect(chat).toMatchObject({ kind: 'LLM', model: 'gpt-4.1-mini', usage: { inputTokens: 11, outputTokens: 5, totalTokens: 16 }, output: [{ role: 'assistant', content: 'It is sunny in Paris.' }] });
    expect(trace.summary).toMatchObject({ kind: 'AGENT', sessionId: 'sess-42', userId: 'user-7', inputTokens: 11 });
    expect(trace.notices).toEqual([]);
  });

  it('scores the output online and promotes the trace', async () => {
    expect(await stack.waitForOnlineScores(trace.summary.traceId)).toEqual([expect.objectContaining({ metric: 'mentions_paris', pass: true })]);
    expect(await stack.promote(trace.summary.traceId, 'from-genai')).toMatchObject({ input: 'What is the weather in Paris?', expected: { reference: 'It is sunny in Paris.' }, metadata: { sessionId: 'sess-42', model: 'gpt-4.1-mini' } });
  });

  it('is the snippet of docs/integrations.md, verbatim', () => {
    expect(integrationsDoc()).toContain(docsSnippetOf(APP));
  });
});
