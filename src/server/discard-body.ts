/** How a refused request's body ended: read to its end, or given up on (the connection must then close). */
export type DiscardOutcome = 'drained' | 'over_limit' | 'too_slow' | 'aborted';

export interface DiscardLimits {
  /** Bytes read and dropped at most; a body declared or streaming past this is not read further. */
  readonly maxBytes: number;
  /** Milliseconds spent reading at most (a client trickling its body does not hold the server). */
  readonly maxMs: number;
}

/**
 * Reads the rest of a refused request's body and drops it, so that the answer leaves the keep-alive
 * connection clean: the client finishes sending, reads the refusal, and sends its next request on the
 * same socket. Left unread, the body is drained by the HTTP adapter for a moment only, and the socket
 * is then cut under a client still sending (it sees a reset instead of the 401 or 503 it could act
 * on). Nothing is kept: memory stays one chunk. Past `maxBytes` (or a declared length over it) or
 * `maxMs` it stops, and the caller answers with `Connection: close`.
 *
 * The stream may have been partly read already (a body found too large while being read): reading
 * goes on from where it stopped, as long as the earlier reader released its lock.
 *
 * @example if ((await discardBody(c.req.raw, { maxBytes: 64 << 20, maxMs: 10_000 })) !== 'drained') c.header('Connection', 'close');
 */
export async function discardBody(request: Request, limits: DiscardLimits): Promise<DiscardOutcome> {
  const body = request.body;
  if (!body) return 'drained';
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > limits.maxBytes) return 'over_limit';
  if (body.locked) return 'aborted';
  const reader = body.getReader();
  let seen = 0;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void reader.cancel().catch(() => undefined);
  }, limits.maxMs);
  timer.unref?.();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (timedOut) return 'too_slow';
      if (done) return 'drained';
      seen += value.byteLength;
      if (seen > limits.maxBytes) {
        reader.releaseLock();
        return 'over_limit';
      }
    }
  } catch {
    return timedOut ? 'too_slow' : 'aborted';
  } finally {
    clearTimeout(timer);
  }
}
