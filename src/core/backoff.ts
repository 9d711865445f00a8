/**
 * Delay before retry number `attempt` (1 = first retry): exponential from `baseMs`, capped at `maxMs`,
 * with full jitter (AWS architecture blog, "Exponential Backoff and Jitter"); a server's Retry-After
 * wins when it asks for longer. `random` is injectable for tests.
 * @example backoffDelay(2, { baseMs: 100, maxMs: 10_000, random: () => 1 }) // 200
 */
export interface BackoffOptions {
  readonly baseMs?: number;
  readonly maxMs?: number;
  readonly retryAfterMs?: number;
  readonly random?: () => number;
}

export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 250;
  const max = options.maxMs ?? 30_000;
  const random = options.random ?? Math.random;
  const ceiling = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(ceiling * (0.5 + 0.5 * random()));
  const retryAfter = options.retryAfterMs === undefined ? 0 : Math.min(options.retryAfterMs, 5 * 60_000);
  return Math.max(jittered, retryAfter);
}
