/**
 * The scenario the stack tests share: a user asks for the weather in Paris; the scripted model calls
 * the `weather` tool, then answers from its result; an online rule checks that the answer mentions
 * Paris; the trace is promoted into a dataset. One script and one set of checks, so every stack is
 * held to the same expectations.
 */
import { expect } from 'vitest';
import { startFakeOpenAI, type FakeReply, type FakeRequest } from '../../support/fake-openai-server.js';
import { startStackHarness, type StackHarness } from '../../support/stack-harness.js';

export const QUESTION = 'What is the weather in Paris?';
export const ANSWER = 'It is sunny in Paris, 21 °C.';

/** The online rule every stack test creates before its app runs. */
export const MENTIONS_PARIS_RULE = { name: 'mentions-paris', sampleRate: 1, settleSeconds: 1, metrics: [{ name: 'mentions_paris', scorer: { type: 'icontains', value: 'paris' } }] };

/**
 * The model's script: the weather tool when tools are offered and no tool has answered yet (12 + 5
 * tokens), the answer after a tool message (30 + 8); a JSON object for structured output (9 + 6);
 * else a sentence about Paris (15 + 6). Embeddings are the server's default (a token per word).
 */
export function weatherScript(request: FakeRequest): FakeReply | undefined {
  if (request.endpoint === 'embeddings') return undefined; // the server's own deterministic embedding
  const last = request.body?.messages?.at(-1);
  if (last?.role === 'tool') return { text: ANSWER, usage: { promptTokens: 30, completionTokens: 8 } };
  if (request.body?.tools !== undefined) return { toolCalls: [{ name: 'weather', arguments: { city: 'Paris' } }], usage: { promptTokens: 12, completionTokens: 5 } };
  if (request.body?.response_format !== undefined) return { json: { city: 'Lyon', country: 'France' }, usage: { promptTokens: 9, completionTokens: 6 } };
  return { text: 'Paris is the capital of France.', usage: { promptTokens: 15, completionTokens: 6 } };
}

/** Waits for the rule's score of the trace (a pass), then promotes it and checks the example. */
export async function expectScoredAndPromoted(stack: StackHarness, traceId: string, dataset: string, example: { input: string; reference: string; toolCalls?: unknown[] }): Promise<void> {
  expect(await stack.waitForOnlineScores(traceId)).toEqual([expect.objectContaining({ metric: 'mentions_paris', pass: true })]);
  expect(await stack.promote(traceId, dataset)).toMatchObject({
    source: 'trace',
    input: example.input,
    expected: { reference: example.reference },
    metadata: { sessionId: 'sess-42', model: 'gpt-4.1-mini', ...(example.toolCalls ? { toolCalls: example.toolCalls } : {}) },
  });
}

/** A stack test's set-up: the server, the scripted model, the rule, then the app run to its end. */
export interface WeatherRun {
  readonly stack: StackHarness;
  /** What the app printed (its last JSON line). */
  readonly output: unknown;
  stop(): Promise<void>;
}

/** Starts the server and the scripted model (`script`, the weather script by default), puts the rule, runs `app`. */
export async function runWeatherApp(project: string, app: string, script: (request: FakeRequest) => FakeReply | undefined = weatherScript): Promise<WeatherRun> {
  const stack = await startStackHarness(project);
  const model = await startFakeOpenAI({ respond: script });
  const stop = async () => {
    stack.stop();
    await model.close();
  };
  try {
    await stack.putOnlineRule(MENTIONS_PARIS_RULE);
    const { output } = await stack.runApp(app, { OPENAI_BASE_URL: model.url, OPENAI_API_KEY: 'test' });
    return { stack, output, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
