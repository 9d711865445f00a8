import { backoffDelay } from '../backoff.js';
import { sha256 } from '../hash.js';

/**
 * The webhook retry schedule, pure. A failed attempt is retried after 30 s, 1 min, 2 min, … doubling
 * up to 15 min between attempts; a delivery is given up (`failed`) once its first attempt is more
 * than two hours old or it has had 15 attempts, whichever comes first. Jitter, when seeded (by the
 * delivery id), spreads the retries of many deliveries after an outage and is reproducible.
 */

export interface WebhookRetryPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
  readonly giveUpAfterMs: number;
  readonly maxAttempts: number;
}

export const DEFAULT_WEBHOOK_RETRY: WebhookRetryPolicy = { baseMs: 30_000, maxMs: 15 * 60_000, giveUpAfterMs: 2 * 60 * 60_000, maxAttempts: 15 };

/** Seeded jitter takes up to this share off a delay: small enough that 15 attempts still span the two hours. */
export const WEBHOOK_JITTER = 0.2;

/**
 * Wait after failed attempt number `attempt` (1 = the first attempt failed). Without a seed, the
 * exact schedule; with one, 80–100 % of it, the same for the same seed and attempt.
 * @example webhookRetryDelay(3) // 120_000
 */
export function webhookRetryDelay(attempt: number, options: { readonly policy?: Partial<WebhookRetryPolicy>; readonly jitterSeed?: string } = {}): number {
  const policy = { ...DEFAULT_WEBHOOK_RETRY, ...options.policy };
  const ceiling = backoffDelay(attempt, { baseMs: policy.baseMs, maxMs: policy.maxMs, random: () => 1 });
  const seed = options.jitterSeed;
  return seed === undefined ? ceiling : Math.round(ceiling * (1 - WEBHOOK_JITTER * unitFraction(`${seed}:${attempt}`)));
}

export interface FailedAttempt {
  /** Attempts made in this round, the one that just failed included. */
  readonly attempts: number;
  /** When the round's first attempt was made (epoch ms). */
  readonly firstAttemptMs: number;
  readonly nowMs: number;
  readonly jitterSeed?: string;
}

export type RetryDecision = { readonly kind: 'retry'; readonly nextAttemptMs: number } | { readonly kind: 'give_up'; readonly reason: string };

/**
 * What to do after a failed attempt: retry at a time, or give up.
 * @example webhookRetryDecision({ attempts: 1, firstAttemptMs: 0, nowMs: 0 }) // { kind: 'retry', nextAttemptMs: 30_000 }
 */
export function webhookRetryDecision(failed: FailedAttempt, policy: Partial<WebhookRetryPolicy> = {}): RetryDecision {
  const p = { ...DEFAULT_WEBHOOK_RETRY, ...policy };
  if (failed.attempts >= p.maxAttempts) return { kind: 'give_up', reason: `${failed.attempts} attempts failed` };
  const age = failed.nowMs - failed.firstAttemptMs;
  if (age > p.giveUpAfterMs) return { kind: 'give_up', reason: `still failing ${Math.round(age / 60_000)} min after the first attempt` };
  const delay = webhookRetryDelay(failed.attempts, { policy: p, ...(failed.jitterSeed === undefined ? {} : { jitterSeed: failed.jitterSeed }) });
  return { kind: 'retry', nextAttemptMs: failed.nowMs + delay };
}

/** A number in [0, 1) from a string, stable across processes. */
function unitFraction(text: string): number {
  return Number.parseInt(sha256(text).slice(0, 12), 16) / 2 ** 48;
}
