import { describe, expect, it } from 'vitest';
import { MAX_SPAN_EVENTS, SpanSchema, type Span } from './span.js';

const span: Span = {
  traceId: '5b8efff798038103d269b633813fc60c',
  spanId: 'eee19b7ec3c1b174',
  parentSpanId: 'eee19b7ec3c1b173',
  name: 'ChatCompletion',
  kind: 'LLM',
  otelKind: 'client',
  startTimeMs: 1_750_000_000_000.25,
  endTimeMs: 1_750_000_000_100.5,
  durationMs: 100.25,
  status: 'ok',
  model: 'gpt-4o',
  input: [{ role: 'user', content: 'hi' }],
  output: [{ role: 'assistant', content: '', toolCalls: [{ id: 'c', name: 'f', arguments: { a: 1 } }] }],
  toolCalls: [{ id: 'c', name: 'f', arguments: { a: 1 } }],
  usage: { inputTokens: 3, outputTokens: 1, totalTokens: 4 },
  costUsd: 0.001,
  attributes: { 'llm.model_name': 'gpt-4o', nested: { list: [1, 'x', null, true] } },
  resource: { 'service.name': 'svc' },
  events: [{ name: 'e', timeMs: 1_750_000_000_050, attributes: {} }],
};

describe('SpanSchema', () => {
  it('accepts a complete span, and text input and output', () => {
    expect(SpanSchema.parse(span)).toEqual(span);
    expect(SpanSchema.safeParse({ ...span, input: 'q', output: 'a' }).success).toBe(true);
  });

  it('refuses ids that are not lowercase hex of the right length, or all zeros', () => {
    expect(SpanSchema.safeParse({ ...span, traceId: span.traceId.toUpperCase() }).success).toBe(false);
    expect(SpanSchema.safeParse({ ...span, spanId: 'eee19b7ec3c1b17' }).success).toBe(false);
    expect(SpanSchema.safeParse({ ...span, traceId: '0'.repeat(32) }).success).toBe(false);
  });

  it('refuses an unknown kind or status, a negative duration, non-JSON attributes and too many events', () => {
    expect(SpanSchema.safeParse({ ...span, kind: 'WIZARD' }).success).toBe(false);
    expect(SpanSchema.safeParse({ ...span, status: 'failed' }).success).toBe(false);
    expect(SpanSchema.safeParse({ ...span, durationMs: -1 }).success).toBe(false);
    expect(SpanSchema.safeParse({ ...span, attributes: { when: new Date() } }).success).toBe(false);
    const events = Array.from({ length: MAX_SPAN_EVENTS + 1 }, () => ({ name: 'e', timeMs: 1, attributes: {} }));
    expect(SpanSchema.safeParse({ ...span, events }).success).toBe(false);
  });
});
