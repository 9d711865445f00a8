import { describe, expect, it } from 'vitest';
import { toTokenUsage, usageCost } from './usage-cost.js';

describe('toTokenUsage', () => {
  it('keeps the counts the provider gave and derives a missing total', () => {
    expect(toTokenUsage({ inputTokens: 10, outputTokens: 5, totalTokens: 15 })).toEqual({ inputTokens: 10, outputTokens: 5, totalTokens: 15 });
    expect(toTokenUsage({ inputTokens: 10, outputTokens: 5 })).toEqual({ inputTokens: 10, outputTokens: 5, totalTokens: 15 });
    expect(toTokenUsage({ inputTokens: 10, outputTokens: undefined })).toEqual({ inputTokens: 10 });
  });

  it('is undefined when the provider gave no counts', () => {
    expect(toTokenUsage(undefined)).toBeUndefined();
    expect(toTokenUsage({ inputTokens: undefined, outputTokens: undefined, totalTokens: undefined })).toBeUndefined();
    expect(toTokenUsage({ inputTokens: Number.NaN })).toBeUndefined();
  });
});

describe('usageCost', () => {
  const pricing = { inputPerMTok: 2, outputPerMTok: 8 };

  it('prices input and output tokens per million', () => {
    expect(usageCost({ inputTokens: 1_000_000, outputTokens: 500_000 }, pricing)).toBe(6);
    expect(usageCost({ inputTokens: 1000 }, pricing)).toBeCloseTo(0.002, 12);
  });

  it('is undefined without a price or without token counts', () => {
    expect(usageCost({ inputTokens: 1000, outputTokens: 10 }, undefined)).toBeUndefined();
    expect(usageCost(undefined, pricing)).toBeUndefined();
    expect(usageCost({ totalTokens: 100 }, pricing)).toBeUndefined();
  });
});
