import { describe, expect, it } from 'vitest';
import type { Span } from '../core/span.js';
import { traceNotices } from './trace-notices.js';

function span(over: Partial<Span>): Span {
  return { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), name: 's', kind: 'UNKNOWN', otelKind: 'internal', startTimeMs: 0, endTimeMs: 1, durationMs: 1, status: 'unset', toolCalls: [], usage: {}, attributes: {}, resource: {}, events: [], ...over };
}

describe('traceNotices', () => {
  it('names the attribute namespaces of a trace whose spans map to no input or output', () => {
    const spans = [span({ attributes: { 'foo.prompt': 'hi', 'ai.thing': 1, plain: true } }), span({ spanId: 'c'.repeat(16), attributes: { 'foo.answer': 'x' } })];
    expect(traceNotices(spans)).toEqual([{ kind: 'mapping', message: 'no input/output attributes recognised: saw ai.*, foo.*, plain' }]);
  });

  it('says nothing of the trace when one span has an input or an output', () => {
    expect(traceNotices([span({ attributes: { 'foo.prompt': 'hi' } }), span({ output: 'ok' })])).toEqual([]);
  });

  it("passes on each span's mapping notices with its span id", () => {
    const notices = traceNotices([span({ input: 'raw', mappingNotices: ['ai.prompt is not valid JSON; its text is kept as it is'] })]);
    expect(notices).toEqual([{ kind: 'mapping', spanId: 'b'.repeat(16), message: 'ai.prompt is not valid JSON; its text is kept as it is' }]);
  });

  it('names at most 12 namespaces', () => {
    const attributes = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`n${String(i).padStart(2, '0')}.k`, 1]));
    expect(traceNotices([span({ attributes })])[0]!.message).toMatch(/n11\.\*, … \(3 more\)$/);
  });
});
