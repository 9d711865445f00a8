import { describe, expect, it } from 'vitest';
import type { FeedbackRecord } from '../core/feedback.js';
import { summariseFeedback, summariseFeedbackCounts } from './feedback-summary.js';

describe('summariseFeedbackCounts', () => {
  it('gives what summariseFeedback gives for the records the counts were taken from', () => {
    const at = '2026-01-01T00:00:00.000Z';
    const records: FeedbackRecord[] = [
      { id: '1', traceId: 't1', kind: 'thumbs', value: 1, name: null, comment: null, userId: null, createdAt: at },
      { id: '2', traceId: 't1', kind: 'thumbs', value: 0, name: null, comment: 'wrong', userId: null, createdAt: at },
      { id: '3', traceId: 't2', kind: 'signal', value: 0.9, name: 'frustration', comment: null, userId: null, createdAt: at },
      { id: '4', traceId: 't2', kind: 'signal', value: 0.5, name: 'frustration', comment: null, userId: null, createdAt: at },
      { id: '5', traceId: 't2', kind: 'signal', value: 0.2, name: 'confusion', comment: '', userId: null, createdAt: at },
      { id: '6', traceId: 't3', kind: 'text', value: null, name: null, comment: 'slow', userId: null, createdAt: at },
    ];
    const counts = [
      { kind: 'thumbs', name: null, count: 2, up: 1, down: 1, comments: 1, valueSum: 1, valueCount: 2 },
      { kind: 'signal', name: 'frustration', count: 2, up: 0, down: 0, comments: 0, valueSum: 1.4, valueCount: 2 },
      { kind: 'signal', name: 'confusion', count: 1, up: 0, down: 0, comments: 0, valueSum: 0.2, valueCount: 1 },
      { kind: 'text', name: null, count: 1, up: 0, down: 0, comments: 1, valueSum: 0, valueCount: 0 },
    ];
    const fromCounts = summariseFeedbackCounts(counts);
    expect(fromCounts).toEqual(summariseFeedback(records));
    expect(Object.keys(fromCounts.signals)).toEqual(['confusion', 'frustration']);
  });

  it('is empty for no counts', () => {
    expect(summariseFeedbackCounts([])).toEqual({ count: 0, up: 0, down: 0, comments: 0, signals: {} });
  });
});
