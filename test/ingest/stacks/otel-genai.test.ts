/**
 * The generic path: an application that writes the newest OTel GenAI attributes itself (agent span,
 * chat span with parts-based messages), exported by the real OTel SDK to a real `evalops serve`
 * (test/fixtures/stacks/otel-genai/app.ts); read back, scored online, promoted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docsSnippetOf, integrationsDoc } from '../../support/doc-snippet.js';
import type { StackHarness, StackTrace } from '../../support/stack-harness.js';
import { expectScoredAndPromoted, QUESTION, runWeatherApp, type WeatherRun } from './weather-scenario.js';

const APP = 'test/fixtures/stacks/otel-genai/app.ts';

describe('OTel GenAI conventions by hand → EvalOps', () => {
  let stack: StackHarness;
  let run: WeatherRun;
  let trace: StackTrace;

  beforeAll(async () => {
    run = await runWeatherApp('genai-app', APP, () => ({ text: 'It is sunny in Paris.', usage: { promptTokens: 11, completionTokens: 5 } }));
    stack = run.stack;
    expect(run.output).toEqual({ answer: 'It is sunny in Paris.' });
    trace = await stack.waitForTrace((t) => t.name === 'invoke_agent support-bot', 2);
  }, 120_000);
  afterAll(async () => {
    await run?.stop();
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
    await expectScoredAndPromoted(stack, trace.summary.traceId, 'from-genai', { input: QUESTION, reference: 'It is sunny in Paris.' });
  });

  it('is the snippet of docs/integrations.md, verbatim', () => {
    expect(integrationsDoc()).toContain(docsSnippetOf(APP));
  });
});
