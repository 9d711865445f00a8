/**
 * The Vercel AI SDK's own telemetry (`experimental_telemetry`), exported by the real OpenTelemetry SDK
 * from a real application (test/fixtures/stacks/ai-sdk/app.ts) to a real `evalops serve`, read back
 * through the API: input, output, messages, tool calls with arguments, tokens, model, session and
 * user; then an online rule scores the output and the trace is promoted into a dataset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Span } from '../../../src/core/span.js';
import { docsSnippetOf, integrationsDoc } from '../../support/doc-snippet.js';
import type { StackHarness, StackTrace } from '../../support/stack-harness.js';
import { ANSWER, expectScoredAndPromoted, QUESTION, runWeatherApp, type WeatherRun } from './weather-scenario.js';

const APP = 'test/fixtures/stacks/ai-sdk/app.ts';

describe('Vercel AI SDK telemetry → EvalOps', () => {
  let stack: StackHarness;
  let run: WeatherRun;
  let agent: StackTrace;
  let streamed: StackTrace;
  let object: StackTrace;
  let embedding: StackTrace;

  beforeAll(async () => {
    run = await runWeatherApp('ai-sdk-app', APP);
    stack = run.stack;
    expect(run.output).toMatchObject({ text: 'It is sunny in Paris, 21 °C.', streamed: 'Paris is the capital of France.', object: { city: 'Lyon', country: 'France' } });
    agent = await stack.waitForTrace((t) => t.name === 'ai.generateText', 4);
    streamed = await stack.waitForTrace((t) => t.name === 'ai.streamText', 2);
    object = await stack.waitForTrace((t) => t.name === 'ai.generateObject', 2);
    embedding = await stack.waitForTrace((t) => t.name === 'ai.embed', 2);
  }, 120_000);
  afterAll(async () => {
    await run?.stop();
  });

  const byName = (trace: StackTrace, name: string): Span[] => trace.spans.filter((s) => s.name === name);

  it('reads the agent trace: kinds, input, output, session and user on the root', () => {
    const root = byName(agent, 'ai.generateText')[0]!;
    expect(root).toMatchObject({ kind: 'AGENT', sessionId: 'sess-42', userId: 'user-7', model: 'gpt-4.1-mini' });
    expect(root.input).toEqual([{ role: 'user', content: 'What is the weather in Paris?' }]);
    expect(root.output).toBe('It is sunny in Paris, 21 °C.');
    expect(agent.summary).toMatchObject({ kind: 'AGENT', sessionId: 'sess-42', userId: 'user-7', model: 'gpt-4.1-mini', inputTokens: 42, outputTokens: 13 });
    expect(agent.notices).toEqual([]);
  });

  it('reads the model calls as LLM spans with messages, the tool call and its arguments, tokens', () => {
    const [first, second] = byName(agent, 'ai.generateText.doGenerate').sort((a, b) => a.startTimeMs - b.startTimeMs);
    expect(first).toMatchObject({ kind: 'LLM', model: 'gpt-4.1-mini', provider: 'openai.chat', usage: { inputTokens: 12, outputTokens: 5, totalTokens: 17 } });
    expect(first!.input).toEqual([{ role: 'user', content: 'What is the weather in Paris?' }]);
    expect(first!.toolCalls).toEqual([{ name: 'weather', arguments: { city: 'Paris' }, id: expect.any(String) }]);
    expect(first!.availableTools?.map((t) => t.name)).toEqual(['weather']);
    expect(second!.input).toEqual([
      { role: 'user', content: 'What is the weather in Paris?' },
      { role: 'assistant', content: '', toolCalls: [{ name: 'weather', arguments: { city: 'Paris' }, id: first!.toolCalls[0]!.id }] },
      { role: 'tool', content: '{"city":"Paris","forecast":"sunny","celsius":21}', toolCallId: first!.toolCalls[0]!.id, name: 'weather' },
    ]);
    expect(second!.output).toEqual([{ role: 'assistant', content: 'It is sunny in Paris, 21 °C.' }]);
  });

  it('reads the tool span: name, id, arguments and result', () => {
    const [toolSpan] = byName(agent, 'ai.toolCall');
    expect(toolSpan).toMatchObject({ kind: 'TOOL', tool: { name: 'weather', arguments: { city: 'Paris' }, result: { city: 'Paris', forecast: 'sunny', celsius: 21 } }, sessionId: 'sess-42' });
  });

  it('reads the streamed call: system and user input, streamed output, tokens, time to first chunk', () => {
    const root = byName(streamed, 'ai.streamText')[0]!;
    expect(root).toMatchObject({ kind: 'AGENT', output: 'Paris is the capital of France.', sessionId: 'sess-42', userId: 'user-7' });
    expect(root.input).toEqual([
      { role: 'system', content: 'You answer in one sentence.' },
      { role: 'user', content: 'What is the capital of France?' },
    ]);
    const llm = byName(streamed, 'ai.streamText.doStream')[0]!;
    expect(llm).toMatchObject({ kind: 'LLM', usage: { inputTokens: 15, outputTokens: 6 }, output: [{ role: 'assistant', content: 'Paris is the capital of France.' }] });
    expect(typeof llm.attributes['ai.response.msToFirstChunk']).toBe('number');
  });

  it('reads generateObject: the object is the output', () => {
    const root = byName(object, 'ai.generateObject')[0]!;
    expect(root).toMatchObject({ kind: 'CHAIN', input: [{ role: 'user', content: 'Name a city in France.' }], output: '{"city":"Lyon","country":"France"}' });
    expect(byName(object, 'ai.generateObject.doGenerate')[0]).toMatchObject({ kind: 'LLM', usage: { inputTokens: 9, outputTokens: 6 } });
  });

  it('reads embed: EMBEDDING spans, the text embedded, tokens on the provider call', () => {
    expect(byName(embedding, 'ai.embed')[0]).toMatchObject({ kind: 'EMBEDDING', input: 'sunny weather in Paris', usage: {}, sessionId: 'sess-42' });
    expect(byName(embedding, 'ai.embed.doEmbed')[0]).toMatchObject({ kind: 'EMBEDDING', input: 'sunny weather in Paris', model: 'text-embedding-3-small', usage: { inputTokens: 4 } });
  });

  it('scores the output with an online rule, and promotes the trace: input, reference output, tool calls, session', async () => {
    await expectScoredAndPromoted(stack, agent.summary.traceId, 'from-ai-sdk', { input: QUESTION, reference: ANSWER, toolCalls: [{ name: 'weather', arguments: { city: 'Paris' } }] });
  });

  it('is the snippet of docs/integrations.md, verbatim', () => {
    expect(integrationsDoc()).toContain(docsSnippetOf(APP));
  });
});
