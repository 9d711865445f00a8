import { describe, expect, it } from 'vitest';
import { IngestAdmission, type AdmissionQueue } from './ingest-admission.js';

function queue(full: boolean, retryAfterSeconds = 3): AdmissionQueue {
  return { isFull: () => full, retryAfterSeconds: () => retryAfterSeconds };
}

describe('IngestAdmission', () => {
  it('refuses every request while the write queue is full, with the queue\'s retry delay', () => {
    const admission = new IngestAdmission(queue(true, 4));
    expect(admission.tryAdmit(100)).toEqual({ ok: false, reason: 'queue_full', retryAfterSeconds: 4 });
    expect(admission.inFlightBytes).toBe(0);
  });

  it('counts the declared bytes of admitted bodies until they are released', () => {
    const admission = new IngestAdmission(queue(false), { maxInFlightBytes: 1_000 });
    const a = admission.tryAdmit(600);
    const b = admission.tryAdmit(400);
    expect(a.ok && b.ok).toBe(true);
    expect(admission.inFlightBytes).toBe(1_000);
    expect(admission.tryAdmit(1)).toEqual({ ok: false, reason: 'too_many_bytes', retryAfterSeconds: 1 });
    if (a.ok) {
      a.release();
      a.release(); // twice is once
    }
    expect(admission.inFlightBytes).toBe(400);
    expect(admission.tryAdmit(600).ok).toBe(true);
  });

  it('charges bytes a request grows by (inflated gzip) and refuses growth past the bound while others are in flight', () => {
    const admission = new IngestAdmission(queue(false), { maxInFlightBytes: 1_000 });
    const a = admission.tryAdmit(100);
    const b = admission.tryAdmit(100);
    if (!a.ok || !b.ok) throw new Error('not admitted');
    expect(a.charge(700)).toBe(true);
    expect(admission.inFlightBytes).toBe(900);
    expect(b.charge(200)).toBe(false); // would pass 1,000 with a in flight
    expect(admission.inFlightBytes).toBe(900);
    a.release();
    expect(admission.inFlightBytes).toBe(100); // a's charged bytes go with it
    expect(b.charge(5_000)).toBe(true); // alone, a request may grow (its own size bound applies)
    b.release();
    expect(admission.inFlightBytes).toBe(0);
  });

  it('admits one body alone however large, so a big request is never starved', () => {
    const admission = new IngestAdmission(queue(false), { maxInFlightBytes: 10 });
    const big = admission.tryAdmit(5_000);
    expect(big.ok).toBe(true);
    expect(admission.tryAdmit(1).ok).toBe(false);
  });

  it('counts a body of undeclared length as unknownLengthBytes', () => {
    const admission = new IngestAdmission(queue(false), { maxInFlightBytes: 100, unknownLengthBytes: 60 });
    expect(admission.tryAdmit(undefined).ok).toBe(true);
    expect(admission.tryAdmit(Number.NaN)).toMatchObject({ ok: false, reason: 'too_many_bytes' });
    expect(admission.inFlightBytes).toBe(60);
  });

  it('spreads refused senders: Retry-After grows with the refusals per admission, up to the maximum', () => {
    let now = 0;
    const admission = new IngestAdmission(queue(false), { maxInFlightBytes: 100, maxRetryAfterSeconds: 6, now: () => now });
    expect(admission.tryAdmit(60).ok).toBe(true);
    expect(admission.tryAdmit(60).ok).toBe(false); // nothing released: every later request is refused
    const delays = Array.from({ length: 9 }, () => {
      const a = admission.tryAdmit(60);
      return a.ok ? 0 : a.retryAfterSeconds;
    });
    expect(delays).toEqual([2, 3, 4, 5, 6, 6, 6, 6, 6]);
    now = 5_000; // two quiet windows later the counts start again
    expect(admission.tryAdmit(60)).toEqual({ ok: false, reason: 'too_many_bytes', retryAfterSeconds: 1 });
  });
});
