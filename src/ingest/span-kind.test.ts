import { describe, expect, it } from 'vitest';
import { otelSpanKind, spanKind } from './span-kind.js';

describe('spanKind', () => {
  it('takes openinference.span.kind in any case, and UNKNOWN for a value it does not know', () => {
    expect(spanKind({ 'openinference.span.kind': 'retriever' })).toBe('RETRIEVER');
    expect(spanKind({ 'openinference.span.kind': 'GUARDRAIL', 'gen_ai.operation.name': 'chat' })).toBe('GUARDRAIL');
    expect(spanKind({ 'openinference.span.kind': 'WIZARD' })).toBe('UNKNOWN');
  });

  it('maps gen_ai.operation.name, then a requested model, else UNKNOWN', () => {
    expect(spanKind({ 'gen_ai.operation.name': 'embeddings' })).toBe('EMBEDDING');
    expect(spanKind({ 'gen_ai.operation.name': 'invoke_agent' })).toBe('AGENT');
    expect(spanKind({ 'gen_ai.operation.name': 'execute_tool' })).toBe('TOOL');
    expect(spanKind({ 'gen_ai.operation.name': 'something_new', 'gen_ai.request.model': 'm' })).toBe('LLM');
    expect(spanKind({ 'http.method': 'GET' })).toBe('UNKNOWN');
  });
});

describe('otelSpanKind', () => {
  it('names the OTLP kinds and reads unspecified or unknown numbers as internal', () => {
    expect([0, 1, 2, 3, 4, 5, 6, -1].map(otelSpanKind)).toEqual([
      'internal',
      'internal',
      'server',
      'client',
      'producer',
      'consumer',
      'internal',
      'internal',
    ]);
  });
});
