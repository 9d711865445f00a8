import { describe, expect, it } from 'vitest';
import { EvalOpsError } from '../core/errors.js';
import { isRetryable, retryAfterOf, withRetry } from './with-retry.js';

const retryable = (details?: unknown) => new EvalOpsError('provider', 'busy', { retryable: true, details });
const fatal = () => new EvalOpsError('provider', 'bad request', { retryable: false });

describe('withRetry', () => {
  it('returns the first success and passes the attempt number', async () => {
    const seen: number[] = [];
    const result = await withRetry(
      async (attempt) => {
        seen.push(attempt);
        if (attempt < 3) throw retryable();
        return 'done';
      },
      { attempts: 3, baseMs: 1 },
    );
    expect(result).toBe('done');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('throws the last error once the attempts are used up', async () => {
    let calls = 0;
    const last = retryable({ n: 'last' });
    const p = withRetry(
      async () => {
        calls++;
        throw calls === 2 ? last : retryable();
      },
      { attempts: 2, baseMs: 1 },
    );
    await expect(p).rejects.toBe(last);
    expect(calls).toBe(2);
  });

  it('does not retry an error that is not retryable', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw fatal();
        },
        { attempts: 5, baseMs: 1 },
      ),
    ).rejects.toMatchObject({ message: 'bad request' });
    expect(calls).toBe(1);
  });

  it('waits at least the Retry-After the error carries', async () => {
    const delays: number[] = [];
    let calls = 0;
    await withRetry(
      async () => {
        if (calls++ === 0) throw retryable({ retryAfterMs: 30 });
        return 1;
      },
      { attempts: 2, baseMs: 1, onRetry: ({ delayMs }) => delays.push(delayMs) },
    );
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThanOrEqual(30);
  });

  it('stops waiting when the signal aborts, with the abort reason', async () => {
    const controller = new AbortController();
    const p = withRetry(
      async () => {
        throw retryable();
      },
      { attempts: 3, baseMs: 60_000, signal: controller.signal, onRetry: () => controller.abort(new Error('stopped')) },
    );
    await expect(p).rejects.toThrow('stopped');
  });

  it('does not call fn when the signal is already aborted', async () => {
    let calls = 0;
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    await expect(withRetry(async () => ++calls, { attempts: 3, baseMs: 1, signal: controller.signal })).rejects.toThrow('gone');
    expect(calls).toBe(0);
  });
});

describe('isRetryable / retryAfterOf', () => {
  it('reads retryable and details.retryAfterMs from any thrown value', () => {
    expect(isRetryable(retryable())).toBe(true);
    expect(isRetryable(fatal())).toBe(false);
    expect(isRetryable('boom')).toBe(false);
    expect(retryAfterOf(retryable({ retryAfterMs: 1500 }))).toBe(1500);
    expect(retryAfterOf(retryable({ retryAfterMs: -1 }))).toBeUndefined();
    expect(retryAfterOf(retryable())).toBeUndefined();
    expect(retryAfterOf(null)).toBeUndefined();
  });
});
