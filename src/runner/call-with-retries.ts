import { backoffDelay } from '../core/backoff.js';
import { errorMessage, isEvalOpsError } from '../core/errors.js';
import { retryAfterOf } from '../models/with-retry.js';

export interface RetryPolicy {
  /** Aborting stops retrying and answers undefined (the call did not finish). */
  readonly signal: AbortSignal;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly now: () => number;
  /** Retries after the first attempt, for retryable failures. */
  readonly retries: number;
  /** Per-attempt timeout on top of the callee's own. */
  readonly timeoutMs?: number;
}

export type Attempted<T> =
  | { readonly ok: true; readonly value: T; readonly latencyMs: number; readonly attempts: number }
  | { readonly ok: false; readonly error: unknown; readonly message: string; readonly latencyMs: number; readonly attempts: number };

/**
 * Calls `call` until it succeeds, fails for good, or the retries of a retryable failure (EvalOpsError
 * with `retryable`, or the per-attempt timeout) run out, waiting with backoff and honouring
 * Retry-After between attempts. The latency is the last attempt's. Undefined when the run was aborted.
 * @example const r = await callWithRetries((signal) => target.invoke(input, { ...ctx, signal }), policy)
 */
export async function callWithRetries<T>(call: (signal: AbortSignal) => Promise<T>, policy: RetryPolicy): Promise<Attempted<T> | undefined> {
  const { signal, sleep, now, retries, timeoutMs } = policy;
  let attempts = 0;
  for (;;) {
    attempts++;
    const started = now();
    const callSignal = timeoutMs ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : signal;
    try {
      const value = await call(callSignal);
      return { ok: true, value, latencyMs: now() - started, attempts };
    } catch (e) {
      if (signal.aborted) return undefined;
      const retryable = isEvalOpsError(e) ? e.retryable : callSignal.aborted;
      if (retryable && attempts <= retries) {
        const retryAfterMs = retryAfterOf(e);
        await sleep(backoffDelay(attempts, retryAfterMs === undefined ? {} : { retryAfterMs }), signal).catch(() => undefined);
        if (signal.aborted) return undefined;
        continue;
      }
      const message = callSignal.aborted && !isEvalOpsError(e) ? `timed out after ${timeoutMs} ms` : errorMessage(e);
      return { ok: false, error: e, message, latencyMs: now() - started, attempts };
    }
  }
}
