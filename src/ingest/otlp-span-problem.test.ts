import { describe, expect, it } from 'vitest';
import { otlpSpanProblem } from './otlp-span-problem.js';
import type { OtlpSpan } from './otlp-span.js';

const NOW_MS = Date.UTC(2025, 6, 1);
const span: OtlpSpan = {
  resource: {},
  scope: { name: '', version: '' },
  traceId: '5b8efff798038103d269b633813fc60c',
  spanId: 'eee19b7ec3c1b174',
  parentSpanId: '',
  name: 's',
  kind: 1,
  startTimeUnixNano: 1_750_000_000_000_000_000n,
  endTimeUnixNano: 1_750_000_000_000_000_000n,
  attributes: {},
  events: [],
  statusCode: 0,
  statusMessage: '',
};

describe('otlpSpanProblem', () => {
  it('accepts a well-formed span, also one of zero duration', () => {
    expect(otlpSpanProblem(span, NOW_MS)).toBeUndefined();
  });

  it('names the first problem: decoder problem, ids, then times', () => {
    expect(otlpSpanProblem({ ...span, problem: 'bad shape', traceId: '' }, NOW_MS)).toBe('bad shape');
    expect(otlpSpanProblem({ ...span, traceId: '', spanId: '' }, NOW_MS)).toBe('traceId is missing');
    expect(otlpSpanProblem({ ...span, spanId: '0000000000000000' }, NOW_MS)).toBe('spanId is all zeros');
    expect(otlpSpanProblem({ ...span, traceId: 'x'.repeat(100) }, NOW_MS)).toBe(`traceId "${'x'.repeat(40)}…" is not 32 hex characters (16 bytes)`);
    expect(otlpSpanProblem({ ...span, endTimeUnixNano: span.startTimeUnixNano - 1n }, NOW_MS)).toBe(
      'ends before it starts (endTimeUnixNano 1749999999999999999 < startTimeUnixNano 1750000000000000000)',
    );
    expect(otlpSpanProblem({ ...span, startTimeUnixNano: 946_684_799_999_999_999n }, NOW_MS)).toMatch(/before the year 2000/);
    expect(otlpSpanProblem({ ...span, startTimeUnixNano: 946_684_800_000_000_000n }, NOW_MS)).toBeUndefined();
  });
});
