import { describe, expect, it } from 'vitest';
import type { Span } from '../core/span.js';
import { traceToExample } from './trace-to-example.js';

function span(over: Partial<Span>): Span {
  return { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), name: 's', kind: 'UNKNOWN', otelKind: 'internal', startTimeMs: 0, endTimeMs: 1, durationMs: 1, status: 'unset', toolCalls: [], usage: {}, attributes: {}, resource: {}, events: [], ...over };
}

describe('traceToExample', () => {
  const root = span({ spanId: '1'.repeat(16), kind: 'AGENT', input: 'weather in Paris?', output: 'sunny' });
  const asked = span({ spanId: '2'.repeat(16), parentSpanId: '1'.repeat(16), startTimeMs: 0.1, kind: 'LLM', toolCalls: [{ name: 'weather', arguments: { city: 'Paris' } }] });
  const ran = span({ spanId: '3'.repeat(16), parentSpanId: '1'.repeat(16), startTimeMs: 0.2, kind: 'TOOL', tool: { name: 'weather', arguments: { city: 'Paris' } } });

  it('lists each tool call once: the tools the trace ran, not also the model asking for them', () => {
    expect(traceToExample([root, asked, ran]).metadata?.['toolCalls']).toEqual([{ name: 'weather', arguments: { city: 'Paris' } }]);
  });

  it('lists the calls the model asked for when the trace has no TOOL span', () => {
    expect(traceToExample([root, asked]).metadata?.['toolCalls']).toEqual([{ name: 'weather', arguments: { city: 'Paris' } }]);
    expect(traceToExample([root]).metadata?.['toolCalls']).toBeUndefined();
  });
});
