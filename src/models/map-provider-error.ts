/**
 * Turns whatever the AI SDK threw into the port's one error shape: EvalOpsError code `provider`,
 * `retryable` for 408/409/425/429/5xx, network failures and timeouts, and `details` with the HTTP
 * `status` and the server's `retryAfterMs` (from `retry-after-ms` or `Retry-After`).
 */
import { APICallError, LoadAPIKeyError, NoObjectGeneratedError } from 'ai';
import { EvalOpsError } from '../core/errors.js';
import { isRetryableStatus, parseRetryAfter } from '../core/retry-after.js';

export interface ProviderErrorDetails {
  readonly status?: number;
  readonly retryAfterMs?: number;
}

/**
 * @param modelRef the `provider:model` that was called, named in the message.
 * @example mapProviderError(apiCallErrorWith429, 'openai:gpt-4.1-mini').retryable // true
 */
export function mapProviderError(error: unknown, modelRef: string): EvalOpsError {
  if (error instanceof EvalOpsError) return error;
  if (APICallError.isInstance(error)) return fromApiCallError(error, modelRef);
  if (LoadAPIKeyError.isInstance(error)) {
    return new EvalOpsError('config', `${modelRef}: ${error.message}`, { cause: error });
  }
  if (NoObjectGeneratedError.isInstance(error)) {
    const text = error.text === undefined ? '' : `; the model answered: ${truncate(error.text, 200)}`;
    const why = error.cause instanceof Error ? `: ${truncate(error.cause.message, 300)}` : '';
    // The raw answer is kept whole in details.rawText (e.g. a simulated user's malformed turn).
    return new EvalOpsError('provider', `${modelRef}: invalid structured output${why}${text}`, {
      cause: error,
      ...(error.text === undefined ? {} : { details: { rawText: error.text } }),
    });
  }
  if (isTimeout(error)) {
    return new EvalOpsError('provider', `${modelRef}: request timed out`, { cause: error, retryable: true });
  }
  if (isAbort(error)) {
    return new EvalOpsError('provider', `${modelRef}: request aborted`, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new EvalOpsError('provider', `${modelRef}: ${message}`, { cause: error });
}

function fromApiCallError(error: APICallError, modelRef: string): EvalOpsError {
  const status = error.statusCode;
  // No status means the request never got an answer (connection refused, reset): worth retrying.
  const retryable = status === undefined ? error.isRetryable : isRetryableStatus(status);
  const retryAfterMs = retryable ? retryAfterFrom(error.responseHeaders) : undefined;
  const details: ProviderErrorDetails = {
    ...(status === undefined ? {} : { status }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
  const prefix = status === undefined ? '' : `HTTP ${status}: `;
  return new EvalOpsError('provider', `${modelRef}: ${prefix}${error.message}`, { cause: error, retryable, details });
}

/** Milliseconds the server asked to wait: `retry-after-ms` (OpenAI) first, then `Retry-After`. */
export function retryAfterFrom(headers: Readonly<Record<string, string>> | undefined): number | undefined {
  if (!headers) return undefined;
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const ms = lower['retry-after-ms'];
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.round(Number(ms));
  return parseRetryAfter(lower['retry-after']);
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError';
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'ResponseAborted');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
