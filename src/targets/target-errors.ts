/**
 * The errors every target kind rejects with, so the runner sees the same shapes whatever the target:
 * code `target`, `retryable` for timeouts, 429/5xx and network failures, `details.retryAfterMs` when
 * the system under test said how long to wait.
 */
import { EvalOpsError } from '../core/errors.js';
import { isRetryableStatus, parseRetryAfter } from '../core/retry-after.js';

/** The call took longer than the target's `timeoutMs`; worth retrying. */
export function targetTimeoutError(timeoutMs: number): EvalOpsError {
  return new EvalOpsError('target', `timed out after ${timeoutMs} ms`, { retryable: true, details: { timeoutMs } });
}

/** The caller cancelled the call (the run was stopped); not retried. */
export function targetAbortedError(reason?: unknown): EvalOpsError {
  return new EvalOpsError('target', 'aborted', { cause: reason, details: { aborted: true } });
}

/**
 * Wraps whatever user code threw. Retryable when the thrown value says so: `retryable: true`, or an
 * HTTP-like `status` (429, 5xx, …) as SDK clients attach, with `Retry-After` read from its `headers`.
 * @example userCodeError(Object.assign(new Error('busy'), { status: 503 })).retryable // true
 */
export function userCodeError(thrown: unknown): EvalOpsError {
  if (thrown instanceof EvalOpsError && thrown.code === 'target') return thrown;
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  const fields = thrown !== null && typeof thrown === 'object' ? (thrown as Record<string, unknown>) : {};
  const status = typeof fields['status'] === 'number' ? fields['status'] : undefined;
  const retryable =
    fields['retryable'] === true || (status !== undefined && (status === 429 || status >= 500 || status === 408));
  const retryAfterMs = status !== undefined && isRetryableStatus(status) ? retryAfterOf(fields['headers']) : undefined;
  const details =
    status === undefined ? undefined : { status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  return new EvalOpsError('target', message || 'target failed', {
    cause: thrown,
    retryable,
    ...(details === undefined ? {} : { details }),
  });
}

function retryAfterOf(headers: unknown): number | undefined {
  if (headers === null || typeof headers !== 'object') return undefined;
  const get = (headers as { get?: unknown }).get;
  if (typeof get === 'function') {
    const value: unknown = get.call(headers, 'retry-after');
    return typeof value === 'string' ? parseRetryAfter(value) : undefined;
  }
  const value = (headers as Record<string, unknown>)['retry-after'];
  return typeof value === 'string' ? parseRetryAfter(value) : undefined;
}
