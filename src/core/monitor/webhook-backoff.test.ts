import { describe, expect, it } from 'vitest';
import { DEFAULT_WEBHOOK_RETRY, webhookRetryDecision, webhookRetryDelay } from './webhook-backoff.js';

const MIN = 60_000;

describe('webhookRetryDelay', () => {
  it('starts at 30 s and doubles up to 15 min', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => webhookRetryDelay(n))).toEqual([30_000, MIN, 2 * MIN, 4 * MIN, 8 * MIN, 15 * MIN, 15 * MIN, 15 * MIN]);
  });

  it('jitters between 80% and all of the delay, the same for the same seed and attempt', () => {
    for (let n = 1; n <= 10; n++) {
      const exact = webhookRetryDelay(n);
      const a = webhookRetryDelay(n, { jitterSeed: 'whd_a' });
      expect(a).toBeGreaterThanOrEqual(exact * 0.8);
      expect(a).toBeLessThanOrEqual(exact);
      expect(webhookRetryDelay(n, { jitterSeed: 'whd_a' })).toBe(a);
    }
    const spread = new Set(Array.from({ length: 20 }, (_, i) => webhookRetryDelay(3, { jitterSeed: `whd_${i}` })));
    expect(spread.size).toBeGreaterThan(10);
  });

  it('follows a custom policy', () => {
    expect(webhookRetryDelay(3, { policy: { baseMs: 1000, maxMs: 3000 } })).toBe(3000);
  });
});

describe('webhookRetryDecision', () => {
  it('retries after the backoff while the first attempt is under two hours old', () => {
    expect(webhookRetryDecision({ attempts: 1, firstAttemptMs: 0, nowMs: 0 })).toEqual({ kind: 'retry', nextAttemptMs: 30_000 });
    expect(webhookRetryDecision({ attempts: 4, firstAttemptMs: 0, nowMs: 120 * MIN })).toEqual({ kind: 'retry', nextAttemptMs: 124 * MIN });
  });

  it('gives up once the first attempt is more than two hours old', () => {
    expect(webhookRetryDecision({ attempts: 5, firstAttemptMs: 0, nowMs: 120 * MIN + 1 })).toMatchObject({ kind: 'give_up' });
  });

  it('gives up after the last allowed attempt', () => {
    expect(webhookRetryDecision({ attempts: DEFAULT_WEBHOOK_RETRY.maxAttempts - 1, firstAttemptMs: 0, nowMs: MIN }).kind).toBe('retry');
    expect(webhookRetryDecision({ attempts: DEFAULT_WEBHOOK_RETRY.maxAttempts, firstAttemptMs: 0, nowMs: MIN })).toMatchObject({ kind: 'give_up', reason: '15 attempts failed' });
    expect(webhookRetryDecision({ attempts: 3, firstAttemptMs: 0, nowMs: 0 }, { maxAttempts: 3 }).kind).toBe('give_up');
  });

  it('with the default schedule a receiver down for good gets 13 attempts over just over two hours', () => {
    let now = 0;
    let attempts = 0;
    for (;;) {
      attempts++;
      const d = webhookRetryDecision({ attempts, firstAttemptMs: 0, nowMs: now });
      if (d.kind === 'give_up') break;
      now = d.nextAttemptMs;
    }
    expect(attempts).toBe(13);
    expect(now).toBe(120.5 * MIN);
  });

  it('with jitter a receiver down for good still gets retries for two hours, in at most 15 attempts', () => {
    for (let d = 0; d < 200; d++) {
      const seed = `whd_${d}`;
      let now = 0;
      let attempts = 0;
      for (;;) {
        attempts++;
        const decision = webhookRetryDecision({ attempts, firstAttemptMs: 0, nowMs: now, jitterSeed: seed });
        if (decision.kind === 'give_up') break;
        now = decision.nextAttemptMs;
      }
      expect(attempts).toBeLessThanOrEqual(15);
      expect(now).toBeGreaterThan(120 * MIN);
    }
  });
});
