/**
 * Traceloop's OpenLLMetry SDK (@traceloop/node-server-sdk) with its OpenAI instrumentation, exporting
 * OTLP to a real `evalops serve` instead of Traceloop's cloud (prompt sync off; the only traffic is to
 * the server and the scripted model), from a real application (test/fixtures/stacks/traceloop/app.ts):
 * workflow, tool and model spans read back through the API, scored by an online rule, promoted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Span } from '../../../src/core/span.js';
import { docsSnippetOf, integrationsDoc } from '../../support/doc-snippet.js';
import type { StackHarness, StackTrace } from '../../support/stack-harness.js';
import { ANSWER, expectScoredAndPromoted, QUESTION, runWeatherApp, type WeatherRun } from './weather-scenario.js';

const APP = 'test/fixtures/stacks/traceloop/app.ts';

describe('Traceloop OpenLLMetry → EvalOps', () => {
  let stack: StackHarness;
  let run: WeatherRun;
  let trace: StackTrace;

  beforeAll(async () => {
    run = await runWeatherApp('traceloop-app', APP);
    stack = run.stack;
    expect(run.output).toEqual({ answer: 'It is sunny in Paris, 21 °C.' });
    trace = await stack.waitForTrace((t) => t.name === 'weather-answer.workflow', 4);
  }, 120_000);
  afterAll(async () => {
    await run?.stop();
  });

  const byName = (name: string): Span[] => trace.spans.filter((s) => s.name === name);

  it('reads the workflow as the CHAIN root: input, output, session and user, tokens of its model calls', () => {
    const root = byName('weather-answer.workflow')[0]!;
    expect(root).toMatchObject({ kind: 'CHAIN', input: 'What is the weather in Paris?', output: 'It is sunny in Paris, 21 °C.', sessionId: 'sess-42', userId: 'user-7' });
    expect(trace.summary).toMatchObject({ kind: 'CHAIN', sessionId: 'sess-42', userId: 'user-7', model: 'gpt-4.1-mini', inputTokens: 42, outputTokens: 13 });
    expect(trace.notices).toEqual([]);
  });

  it('reads the model calls: messages, the tool call with its arguments, tools offered, tokens', () => {
    const [first, second] = byName('chat gpt-4.1-mini').sort((a, b) => a.startTimeMs - b.startTimeMs);
    expect(first).toMatchObject({ kind: 'LLM', model: 'gpt-4.1-mini', provider: 'openai', usage: { inputTokens: 12, outputTokens: 5, totalTokens: 17 }, sessionId: 'sess-42' });
    expect(first!.input).toEqual([{ role: 'user', content: 'What is the weather in Paris?' }]);
    expect(first!.toolCalls).toEqual([{ name: 'weather', arguments: { city: 'Paris' }, id: expect.any(String) }]);
    expect(first!.availableTools?.map((t) => t.name)).toEqual(['weather']);
    expect(second!.input).toEqual([
      { role: 'user', content: 'What is the weather in Paris?' },
      { role: 'assistant', content: '', toolCalls: [{ name: 'weather', arguments: { city: 'Paris' }, id: first!.toolCalls[0]!.id }] },
      { role: 'tool', content: '{"city":"Paris","forecast":"sunny","celsius":21}', toolCallId: first!.toolCalls[0]!.id },
    ]);
    expect(second!.output).toEqual([{ role: 'assistant', content: 'It is sunny in Paris, 21 °C.' }]);
  });

  it('reads the tool entity as the TOOL span: name, arguments, result', () => {
    expect(byName('weather.tool')[0]).toMatchObject({ kind: 'TOOL', tool: { name: 'weather', arguments: { city: 'Paris' }, result: { city: 'Paris', forecast: 'sunny', celsius: 21 } }, userId: 'user-7' });
  });

  it('scores the output with an online rule, and promotes the trace', async () => {
    await expectScoredAndPromoted(stack, trace.summary.traceId, 'from-traceloop', { input: QUESTION, reference: ANSWER, toolCalls: [{ name: 'weather', arguments: { city: 'Paris' } }] });
  });

  it('is the snippet of docs/integrations.md, verbatim', () => {
    expect(integrationsDoc()).toContain(docsSnippetOf(APP));
  });
});
