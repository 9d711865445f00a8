import { backoffDelay } from '../core/backoff.js';

export interface RetryOptions {
  /** Total attempts, first included (1 = no retry). */
  readonly attempts: number;
  /** Delay before the first retry; doubles after each. */
  readonly baseMs: number;
  /** Cap on one backoff delay (Retry-After may still ask for longer, up to five minutes). */
  readonly maxMs?: number;
  readonly signal?: AbortSignal;
  /** Called before each wait, e.g. to log "retrying in 2 s". */
  readonly onRetry?: (info: { readonly attempt: number; readonly delayMs: number; readonly error: unknown }) => void;
}

/**
 * Runs `fn` up to `attempts` times while it fails with a retryable error (`retryable: true`, as
 * EvalOpsError carries), waiting between attempts with exponential backoff and jitter, or longer when
 * the error's `details.retryAfterMs` asks for it. A non-retryable error, the last attempt's error or an
 * abort of `signal` is thrown as is.
 * @example
 * const result = await withRetry(() => models.completeObject(req), { attempts: 3, baseMs: 500, signal });
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const attempts = Math.max(1, Math.floor(options.attempts));
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error) || options.signal?.aborted) throw error;
      const retryAfterMs = retryAfterOf(error);
      const delayMs = backoffDelay(attempt, {
        baseMs: options.baseMs,
        ...(options.maxMs === undefined ? {} : { maxMs: options.maxMs }),
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      });
      options.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs, options.signal);
    }
  }
}

/** Whether a thrown value says it is worth retrying (`retryable: true`). */
export function isRetryable(error: unknown): boolean {
  return error !== null && typeof error === 'object' && (error as { retryable?: unknown }).retryable === true;
}

/** `details.retryAfterMs` of a thrown value, when it is a non-negative number. */
export function retryAfterOf(error: unknown): number | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const details = (error as { details?: unknown }).details;
  if (details === null || typeof details !== 'object') return undefined;
  const ms = (details as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/** Waits `ms`, rejecting with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
