import { describe, expect, it } from 'vitest';
import type { Span } from '../span.js';
import { endsSession, sessionTranscript } from './session-transcript.js';

let n = 0;
function span(over: Partial<Span>): Span {
  n += 1;
  return {
    traceId: 'a'.repeat(31) + 'b',
    spanId: n.toString(16).padStart(16, '1'),
    name: 'agent',
    kind: 'AGENT',
    otelKind: 'server',
    startTimeMs: 0,
    endTimeMs: 10,
    durationMs: 10,
    status: 'ok',
    toolCalls: [],
    usage: {},
    attributes: {},
    resource: {},
    events: [],
    ...over,
  };
}

describe('sessionTranscript', () => {
  it('makes one turn per trace in start order: root input → user, output → answer', () => {
    const t2 = [span({ traceId: 'c'.repeat(32), startTimeMs: 200, input: 'second', output: 'answer 2' })];
    const t1 = [span({ traceId: 'd'.repeat(32), startTimeMs: 100, input: [{ role: 'system', content: 'be nice' }, { role: 'user', content: 'first' }], output: [{ role: 'assistant', content: 'answer 1' }] })];
    const transcript = sessionTranscript([t2, t1]);
    expect(transcript.turns.map((t) => [t.index, t.user, t.text])).toEqual([
      [0, 'first', 'answer 1'],
      [1, 'second', 'answer 2'],
    ]);
    expect(transcript).toMatchObject({ kind: 'transcript', endedBy: 'script-end', goalMet: null });
  });

  it('keeps tool spans as tool calls with their result, and the error of a failed one', () => {
    const root = span({ input: 'refund A1', output: 'sorry', costUsd: 0.001 });
    const ok = span({ parentSpanId: root.spanId, kind: 'TOOL', startTimeMs: 1, tool: { name: 'lookup', arguments: { id: 'A1' }, result: { found: true } }, costUsd: 0.002 });
    const bad = span({ parentSpanId: root.spanId, kind: 'TOOL', startTimeMs: 2, status: 'error', statusMessage: 'timeout', tool: { name: 'refund', arguments: { id: 'A1' } } });
    const [turn] = sessionTranscript([[bad, root, ok]]).turns;
    expect(turn!.toolCalls).toEqual([
      { name: 'lookup', arguments: { id: 'A1' }, result: { found: true } },
      { name: 'refund', arguments: { id: 'A1' }, error: 'timeout' },
    ]);
    expect(turn!.costUsd).toBeCloseTo(0.003, 12);
    expect(turn!.error).toBeUndefined();
  });

  it('ends user-done when a span carries evalops.session.end, error when the last turn failed', () => {
    const ended = sessionTranscript([[span({ input: 'bye', output: 'bye', attributes: { 'evalops.session.end': true } })]]);
    expect(ended.endedBy).toBe('user-done');
    const failed = sessionTranscript([[span({ input: 'hi', status: 'error', statusMessage: 'boom' })]]);
    expect(failed.endedBy).toBe('error');
    expect(failed.turns[0]!.error).toBe('boom');
  });

  it('reads the end attribute as true or "true" only', () => {
    expect(endsSession({ attributes: { 'evalops.session.end': true } })).toBe(true);
    expect(endsSession({ attributes: { 'evalops.session.end': 'true' } })).toBe(true);
    expect(endsSession({ attributes: { 'evalops.session.end': false } })).toBe(false);
    expect(endsSession({ attributes: {} })).toBe(false);
  });
});
