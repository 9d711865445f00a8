import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../core/json.js';
import { SpanSchema, type Span } from '../core/span.js';
import { mapOtlpSpan, mapOtlpSpans } from './map-span.js';
import type { OtlpEvent, OtlpSpan } from './otlp-span.js';
import { testSpan } from '../../test/support/otlp-test-span.js';

const NOW_MS = Date.UTC(2025, 6, 1);

function otlp(attributes: Record<string, JsonValue> = {}, overrides: Partial<OtlpSpan> = {}): OtlpSpan {
  return testSpan(attributes, { resource: { 'service.name': 'svc', 'service.version': '2.0.0' }, scope: { name: 'scope', version: '' }, kind: 0, ...overrides });
}

function mapOk(span: OtlpSpan): Span {
  const result = mapOtlpSpan(span, { nowMs: NOW_MS });
  if (!result.ok) throw new Error(result.reason);
  expect(SpanSchema.safeParse(result.span).error).toBeUndefined();
  return result.span;
}

function event(name: string, attributes: Record<string, JsonValue>): OtlpEvent {
  return { name, timeUnixNano: 1_750_000_000_100_000_000n, attributes };
}

describe('mapOtlpSpans', () => {
  it('keeps the valid spans and rejects each invalid one with its index and reason', () => {
    const result = mapOtlpSpans(
      [otlp(), otlp({}, { spanId: '' }), otlp(), otlp({}, { problem: 'spans[3].name: must be a string' })],
      { nowMs: NOW_MS },
    );
    expect(result.spans).toHaveLength(2);
    expect(result.rejected).toEqual([
      { index: 1, reason: 'spanId is missing' },
      { index: 3, reason: 'spans[3].name: must be a string' },
    ]);
  });
});

describe('mapOtlpSpan', () => {
  it('maps the basics of a span without conventions, keeping the attributes and resource', () => {
    const span = mapOk(otlp({ 'http.route': '/x' }, { kind: 2, statusCode: 2, statusMessage: 'boom', parentSpanId: 'eee19b7ec3c1b173' }));
    expect(span).toEqual({
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      parentSpanId: 'eee19b7ec3c1b173',
      name: 'span',
      kind: 'UNKNOWN',
      otelKind: 'server',
      startTimeMs: 1_750_000_000_000,
      endTimeMs: 1_750_000_000_250,
      durationMs: 250,
      status: 'error',
      statusMessage: 'boom',
      toolCalls: [],
      usage: {},
      release: '2.0.0',
      serviceName: 'svc',
      scope: { name: 'scope' },
      attributes: { 'http.route': '/x' },
      resource: { 'service.name': 'svc', 'service.version': '2.0.0' },
      events: [],
    });
  });

  it('reads an all-zero parent id as no parent, and OTLP kind/status numbers it does not know as internal/unset', () => {
    const span = mapOk(otlp({}, { parentSpanId: '0000000000000000', kind: 9, statusCode: 7 }));
    expect(span.parentSpanId).toBeUndefined();
    expect(span.otelKind).toBe('internal');
    expect(span.status).toBe('unset');
  });

  it('prefers the answering model to the requested one, and the OpenInference provider to gen_ai.system', () => {
    expect(mapOk(otlp({ 'gen_ai.request.model': 'gpt-4o', 'gen_ai.response.model': 'gpt-4o-2024-08-06' })).model).toBe('gpt-4o-2024-08-06');
    expect(mapOk(otlp({ 'llm.model_name': 'm1', 'llm.provider': 'azure', 'gen_ai.system': 'openai' }))).toMatchObject({
      model: 'm1',
      provider: 'azure',
      kind: 'LLM',
    });
  });

  it('falls back to input.value / output.value as text when there are no messages, JSON values as JSON text', () => {
    const span = mapOk(otlp({ 'openinference.span.kind': 'chain', 'input.value': { q: 'hi' }, 'output.value': 'answer', 'output.mime_type': 'text/plain' }));
    expect(span).toMatchObject({ kind: 'CHAIN', input: '{"q":"hi"}', output: 'answer', outputMimeType: 'text/plain' });
    expect(span.inputMimeType).toBeUndefined();
  });

  it('reads token counts given as numeric strings, ignores negative ones, and totals input + output when no total is given', () => {
    expect(mapOk(otlp({ 'gen_ai.usage.input_tokens': '10', 'gen_ai.usage.output_tokens': 5 })).usage).toEqual({
      inputTokens: 10,
      outputTokens: 5,
      totalTokens: 15,
    });
    expect(mapOk(otlp({ 'llm.token_count.prompt': -1, 'llm.token_count.completion': 3 })).usage).toEqual({ outputTokens: 3 });
  });

  it('takes the total cost, else prompt + completion cost, else evalops.cost_usd', () => {
    expect(mapOk(otlp({ 'llm.cost.total': 0.5, 'llm.cost.prompt': 0.1, 'llm.cost.completion': 0.1 })).costUsd).toBe(0.5);
    expect(mapOk(otlp({ 'llm.cost.prompt': 0.25, 'llm.cost.completion': 0.5 })).costUsd).toBe(0.75);
    expect(mapOk(otlp({ 'llm.cost.prompt': 0.25 })).costUsd).toBeUndefined();
    expect(mapOk(otlp({ 'evalops.cost_usd': '0.01' })).costUsd).toBe(0.01);
  });

  it('finds session, user, release, variant and environment in span and resource attributes', () => {
    const resource = { 'evalops.release': 'res-rel', 'evalops.variant': 'res-var', 'deployment.environment': 'prod', 'service.version': '9' };
    expect(mapOk(otlp({ 'gen_ai.conversation.id': 'c-1', 'enduser.id': 'u-1' }, { resource }))).toMatchObject({
      sessionId: 'c-1',
      userId: 'u-1',
      release: 'res-rel',
      variant: 'res-var',
      environment: 'prod',
    });
    expect(mapOk(otlp({ 'evalops.release': 'span-rel', 'evalops.variant': 'span-var', 'session.id': 's', 'user.id': 42 }, { resource }))).toMatchObject({
      sessionId: 's',
      userId: '42',
      release: 'span-rel',
      variant: 'span-var',
    });
    const bare = mapOk(otlp({}, { resource: {} }));
    expect([bare.release, bare.variant, bare.serviceName, bare.environment]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it("finds session and user in every convention's keys, in the documented order", () => {
    expect(mapOk(otlp({ 'ai.telemetry.metadata.sessionId': 'ai-s', 'ai.telemetry.metadata.userId': 'ai-u' }))).toMatchObject({ sessionId: 'ai-s', userId: 'ai-u' });
    expect(mapOk(otlp({ 'traceloop.association.properties.session_id': 'tl-s', 'traceloop.association.properties.user_id': 'tl-u' }))).toMatchObject({ sessionId: 'tl-s', userId: 'tl-u' });
    expect(mapOk(otlp({ 'session.id': 'oi', 'gen_ai.conversation.id': 'g', 'ai.telemetry.metadata.sessionId': 'ai' })).sessionId).toBe('oi');
  });

  it('reads a root span with an input or output and no kind as CHAIN; a child one stays UNKNOWN', () => {
    expect(mapOk(otlp({ 'input.value': 'q' })).kind).toBe('CHAIN');
    expect(mapOk(otlp({ 'input.value': 'q' }, { parentSpanId: 'eee19b7ec3c1b173' })).kind).toBe('UNKNOWN');
    expect(mapOk(otlp({ 'http.route': '/x' })).kind).toBe('UNKNOWN');
  });

  it('stores a span whose message attribute is malformed, with its raw text and a mapping notice', () => {
    const span = mapOk(otlp({ 'ai.operationId': 'ai.generateText.doGenerate', 'ai.prompt.messages': '[oops', 'ai.usage.inputTokens': 3, 'ai.usage.outputTokens': 1 }));
    expect(span).toMatchObject({ kind: 'LLM', input: '[oops', usage: { inputTokens: 3, outputTokens: 1, totalTokens: 4 }, mappingNotices: ['ai.prompt.messages is not valid JSON; its text is kept as it is'] });
    expect(mapOk(otlp({ 'input.value': 'q' })).mappingNotices).toBeUndefined();
  });

  it('maps a TOOL span, naming the tool after the span when no tool name is given', () => {
    expect(mapOk(otlp({ 'openinference.span.kind': 'TOOL', 'tool.parameters': '{"a":1}' }, { name: 'calc' })).tool).toEqual({
      name: 'calc',
      arguments: { a: 1 },
    });
    expect(mapOk(otlp({ 'openinference.span.kind': 'LLM', 'tool.name': 'x' })).tool).toBeUndefined();
  });

  it('collects the tool calls of all output messages', () => {
    const span = mapOk(
      otlp({
        'gen_ai.operation.name': 'chat',
        'gen_ai.output.messages': JSON.stringify([
          { role: 'assistant', parts: [{ type: 'tool_call', name: 'a', arguments: { x: 1 } }] },
          { role: 'assistant', parts: [{ type: 'tool_call', name: 'b', arguments: '{"y":2}' }] },
        ]),
      }),
    );
    expect(span.toolCalls).toEqual([
      { name: 'a', arguments: { x: 1 } },
      { name: 'b', arguments: { y: 2 } },
    ]);
  });

  it('reads GenAI messages from span events when the attributes have none', () => {
    const span = mapOk(
      otlp(
        { 'gen_ai.operation.name': 'chat' },
        {
          events: [
            event('gen_ai.content.prompt', { 'gen_ai.prompt': JSON.stringify([{ role: 'user', content: 'hello' }]) }),
            event('gen_ai.content.completion', { 'gen_ai.completion': JSON.stringify([{ role: 'assistant', content: 'hi there' }]) }),
          ],
        },
      ),
    );
    expect(span.input).toEqual([{ role: 'user', content: 'hello' }]);
    expect(span.output).toEqual([{ role: 'assistant', content: 'hi there' }]);
    expect(span.events.map((e) => e.name)).toEqual(['gen_ai.content.prompt', 'gen_ai.content.completion']);
    expect(span.events[0]!.timeMs).toBe(1_750_000_000_100);
  });

  it('keeps at most 128 events', () => {
    const events = Array.from({ length: 200 }, (_, i) => event(`e${i}`, {}));
    const span = mapOk(otlp({}, { events }));
    expect(span.events).toHaveLength(128);
    expect(span.events[127]!.name).toBe('e127');
  });
});

describe('mapOtlpSpan rejections', () => {
  const reasonOf = (overrides: Partial<OtlpSpan>) => {
    const result = mapOtlpSpan(otlp({}, overrides), { nowMs: NOW_MS });
    return result.ok ? undefined : result.reason;
  };

  it('rejects a span with a missing, malformed or all-zero id', () => {
    expect(reasonOf({ traceId: '' })).toBe('traceId is missing');
    expect(reasonOf({ traceId: 'abcd' })).toBe('traceId "abcd" is not 32 hex characters (16 bytes)');
    expect(reasonOf({ traceId: '0'.repeat(32) })).toBe('traceId is all zeros');
    expect(reasonOf({ spanId: 'zzzzzzzzzzzzzzzz' })).toBe('spanId "zzzzzzzzzzzzzzzz" is not 16 hex characters (8 bytes)');
    expect(reasonOf({ parentSpanId: 'abc' })).toBe('parentSpanId "abc" is not 16 hex characters (8 bytes)');
  });

  it('rejects a span with absurd times, and accepts one ending up to a day ahead of the clock', () => {
    expect(reasonOf({ startTimeUnixNano: 0n })).toBe('startTimeUnixNano is missing');
    expect(reasonOf({ endTimeUnixNano: 0n })).toBe('endTimeUnixNano is missing');
    expect(reasonOf({ endTimeUnixNano: 1_749_999_999_000_000_000n })).toMatch(/^ends before it starts/);
    expect(reasonOf({ startTimeUnixNano: 1_750_000_000n, endTimeUnixNano: 1_750_000_001n })).toMatch(/^starts before the year 2000/);
    const nowNs = BigInt(NOW_MS) * 1_000_000n;
    const hourNs = 3_600_000_000_000n;
    expect(reasonOf({ startTimeUnixNano: nowNs, endTimeUnixNano: nowNs + 25n * hourNs })).toMatch(/^ends more than a day in the future/);
    expect(reasonOf({ startTimeUnixNano: nowNs, endTimeUnixNano: nowNs + 23n * hourNs })).toBeUndefined();
  });
});
