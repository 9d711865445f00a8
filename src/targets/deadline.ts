import { targetAbortedError, targetTimeoutError } from './target-errors.js';

/**
 * One call's limits: the caller's abort signal and the target's timeout, merged into one signal whose
 * `reason` is already the target error to reject with (aborted, or timed out and retryable).
 */
export interface Deadline {
  /** Aborts when the caller aborts or the timeout passes; pass it to user code, fetch, etc. */
  readonly signal: AbortSignal;
  /** Rejects with `signal.reason` once the signal aborts; never resolves. Race the work against it. */
  readonly expired: Promise<never>;
  /** Clears the timer and the listener on the caller's signal; call it when the work settles. */
  dispose(): void;
}

/**
 * @example
 * const deadline = startDeadline(context.signal, 5_000);
 * try { return await Promise.race([work(deadline.signal), deadline.expired]); } finally { deadline.dispose(); }
 */
export function startDeadline(parent: AbortSignal, timeoutMs: number | undefined): Deadline {
  const controller = new AbortController();
  const onParentAbort = (): void => controller.abort(targetAbortedError(parent.reason));
  let timer: NodeJS.Timeout | undefined;
  if (parent.aborted) onParentAbort();
  else {
    parent.addEventListener('abort', onParentAbort, { once: true });
    if (timeoutMs !== undefined) timer = setTimeout(() => controller.abort(targetTimeoutError(timeoutMs)), timeoutMs);
  }
  const expired = new Promise<never>((_, reject) => {
    if (controller.signal.aborted) reject(controller.signal.reason);
    else controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
  });
  // Nobody has to await `expired`; an unobserved rejection must not crash the process.
  expired.catch(() => undefined);
  return {
    signal: controller.signal,
    expired,
    dispose(): void {
      if (timer !== undefined) clearTimeout(timer);
      parent.removeEventListener('abort', onParentAbort);
    },
  };
}
