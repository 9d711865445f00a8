import { describe, expect, it } from 'vitest';
import type { FeedbackRecord } from '../core/feedback.js';
import type { SpanHead } from '../store/span-queries.js';
import { summariseFeedback } from './feedback-summary.js';
import { summariseTrace } from './trace-summary.js';

const head = (over: Partial<SpanHead> & Pick<SpanHead, 'spanId' | 'startTimeMs'>): SpanHead => ({ traceId: 't', name: over.spanId, kind: 'CHAIN', status: 'ok', endTimeMs: over.startTimeMs + 10, ...over });
const fb = (over: Partial<FeedbackRecord>): FeedbackRecord => ({ id: 'f', traceId: 't', kind: 'thumbs', value: 1, name: null, comment: null, userId: null, createdAt: '2025-01-01T00:00:00Z', ...over });

describe('summariseTrace', () => {
  it('takes the earliest parentless span as the root and sums over every span', () => {
    const s = summariseTrace(
      [
        head({ spanId: 'c', parentSpanId: 'a', startTimeMs: 5, kind: 'LLM', model: 'm', inputTokens: 10, outputTokens: 2, costUsd: 0.5, sessionId: 'from-child', status: 'error', endTimeMs: 50 }),
        head({ spanId: 'b', startTimeMs: 3, name: 'late-root' }),
        head({ spanId: 'a', startTimeMs: 1, name: 'root', kind: 'AGENT', userId: 'u', costUsd: 0.25 }),
      ],
      [],
    );
    expect(s).toMatchObject({ name: 'root', kind: 'AGENT', startTimeMs: 1, durationMs: 49, spans: 3, errors: 1, inputTokens: 10, outputTokens: 2, costUsd: 0.75, model: 'm', sessionId: 'from-child', userId: 'u' });
  });

  it('leaves out cost when no span reported one, and refuses an empty trace', () => {
    expect(summariseTrace([head({ spanId: 'a', startTimeMs: 1 })], [])).not.toHaveProperty('costUsd');
    expect(() => summariseTrace([], [])).toThrow(TypeError);
  });
});

describe('summariseFeedback', () => {
  it('counts thumbs, comments and averages each signal', () => {
    expect(
      summariseFeedback([
        fb({ value: 1 }),
        fb({ value: 0, comment: 'bad' }),
        fb({ kind: 'text', value: null, comment: 'hm' }),
        fb({ kind: 'signal', name: 'frustration', value: 0.2 }),
        fb({ kind: 'signal', name: 'frustration', value: 0.6 }),
        fb({ kind: 'signal', name: 'drop_off', value: 1 }),
      ]),
    ).toEqual({ count: 6, up: 1, down: 1, comments: 2, signals: { drop_off: { count: 1, mean: 1 }, frustration: { count: 2, mean: 0.4 } } });
  });
});
