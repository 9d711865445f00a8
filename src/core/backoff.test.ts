import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  it('doubles per attempt up to the cap', () => {
    const top = () => 1;
    expect(backoffDelay(1, { baseMs: 100, random: top })).toBe(100);
    expect(backoffDelay(3, { baseMs: 100, random: top })).toBe(400);
    expect(backoffDelay(20, { baseMs: 100, maxMs: 1000, random: top })).toBe(1000);
  });
  it('jitters between half and all of the ceiling', () => {
    expect(backoffDelay(2, { baseMs: 100, random: () => 0 })).toBe(100);
  });
  it('waits at least as long as Retry-After asks', () => {
    expect(backoffDelay(1, { baseMs: 100, retryAfterMs: 2000, random: () => 1 })).toBe(2000);
    expect(backoffDelay(1, { baseMs: 100, retryAfterMs: 10 * 60_000 })).toBe(5 * 60_000);
  });
});
