/**
 * OpenAI Responses API answers (`POST /v1/responses`, non-streaming) for the scripted server of
 * fake-openai-server.ts, which hands that path to `respond` as an `other` request: answer it with
 * `responsesReply(request, { text })` or `{ functionCalls }`.
 *
 * @example
 * startFakeOpenAI({ respond: (r) => (isResponsesRequest(r) ? responsesReply(r, { text: 'hi' }) : undefined) })
 */
import type { FakeReply, FakeRequest } from './fake-openai-server.js';

export interface ResponsesScript {
  readonly text?: string;
  readonly functionCalls?: ReadonlyArray<{ readonly name: string; readonly arguments: unknown }>;
  readonly usage?: { readonly inputTokens: number; readonly outputTokens: number };
}

/** Whether the request is a Responses API call. */
export function isResponsesRequest(request: FakeRequest): boolean {
  return request.method === 'POST' && request.path.endsWith('/responses');
}

/** Whether a Responses API request carries a function call's output (the turn after a tool ran). */
export function hasFunctionOutput(request: FakeRequest): boolean {
  const input = request.body?.['input'];
  return Array.isArray(input) && input.some((item) => item !== null && typeof item === 'object' && (item as { type?: unknown }).type === 'function_call_output');
}

/** A completed `response` object with the scripted output items and usage, as a 200 JSON body. */
export function responsesReply(request: FakeRequest, script: ResponsesScript): FakeReply {
  const output: unknown[] = [];
  (script.functionCalls ?? []).forEach((call, i) =>
    output.push({ type: 'function_call', id: `fc_${request.index}_${i}`, call_id: `call_${request.index}_${i}`, name: call.name, arguments: JSON.stringify(call.arguments ?? {}), status: 'completed' }),
  );
  if (script.text !== undefined) {
    output.push({ type: 'message', id: `msg_${request.index}`, status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: script.text, annotations: [] }] });
  }
  const inputTokens = script.usage?.inputTokens ?? 10;
  const outputTokens = script.usage?.outputTokens ?? 5;
  const body = request.body ?? {};
  return {
    rawBody: JSON.stringify({
      id: `resp_fake_${request.index}`,
      object: 'response',
      created_at: 1_700_000_000,
      status: 'completed',
      error: null,
      incomplete_details: null,
      instructions: body['instructions'] ?? null,
      model: body.model ?? 'fake',
      output,
      parallel_tool_calls: true,
      previous_response_id: null,
      temperature: 1,
      tool_choice: 'auto',
      tools: body.tools ?? [],
      top_p: 1,
      text: { format: { type: 'text' } },
      usage: { input_tokens: inputTokens, input_tokens_details: { cached_tokens: 0 }, output_tokens: outputTokens, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: inputTokens + outputTokens },
      metadata: {},
    }),
  };
}
