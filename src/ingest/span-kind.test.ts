import { describe, expect, it } from 'vitest';
import { fallbackKind, otelSpanKind } from './span-kind.js';

describe('fallbackKind', () => {
  it('reads a root span with an input or output as CHAIN, and anything else as UNKNOWN', () => {
    expect(fallbackKind({ hasParent: false, hasInputOrOutput: true })).toBe('CHAIN');
    expect(fallbackKind({ hasParent: false, hasInputOrOutput: false })).toBe('UNKNOWN');
    expect(fallbackKind({ hasParent: true, hasInputOrOutput: true })).toBe('UNKNOWN');
  });
});

describe('otelSpanKind', () => {
  it('names the OTLP kinds and reads unspecified or unknown numbers as internal', () => {
    expect([0, 1, 2, 3, 4, 5, 6, -1].map(otelSpanKind)).toEqual(['internal', 'internal', 'server', 'client', 'producer', 'consumer', 'internal', 'internal']);
  });
});
