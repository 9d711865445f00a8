/** What admission needs to know of the write queue. */
export interface AdmissionQueue {
  isFull(): boolean;
  retryAfterSeconds(): number;
}

export interface IngestAdmissionOptions {
  /** Request bodies being received or decoded at once, in bytes (default 64 MiB). */
  readonly maxInFlightBytes?: number;
  /** Bytes counted for a body sent without Content-Length (default 1 MiB). */
  readonly unknownLengthBytes?: number;
  /** Longest Retry-After answered, in seconds (default 10: within an OpenTelemetry exporter's default timeout). */
  readonly maxRetryAfterSeconds?: number;
  readonly now?: () => number;
}

/** Length of the windows in which admissions and refusals are counted. */
const WINDOW_MS = 1_000;

/**
 * Admitted: call `release` once the body is decoded and its spans are queued (or refused). `charge`
 * adds bytes the request grew by after admission (a gzip body's inflated bytes); it answers false,
 * adding nothing, when that would pass the in-flight bound while other requests are in flight.
 */
export type Admission =
  | { readonly ok: true; readonly release: () => void; readonly charge: (bytes: number) => boolean }
  | { readonly ok: false; readonly reason: 'queue_full' | 'too_many_bytes'; readonly retryAfterSeconds: number };

/**
 * Load shedding for OTLP ingest, decided before a request's body is read: refuses when the write
 * queue is full (its backlog would not drain in time) or when the bodies already being received and
 * decoded add up to `maxInFlightBytes` — counted after decompression, as a gzip body is inflated
 * (`charge`), so small compressed bodies cannot hold large memory. A refused request costs no reading, decoding or mapping, so
 * overload does not eat the CPU the accepted requests need, and memory is bounded whatever the
 * number of clients: bodies in flight by this bound, queued rows by the queue's.
 *
 * @example
 * const admission = ingestAdmission.tryAdmit(Number(req.header('content-length')));
 * if (!admission.ok) return respond503(admission.retryAfterSeconds);
 * try { queue.enqueue(decode(await req.arrayBuffer())); } finally { admission.release(); }
 */
export class IngestAdmission {
  private bytes = 0;
  private readonly maxInFlightBytes: number;
  private readonly unknownLengthBytes: number;
  private readonly maxRetryAfterSeconds: number;
  private readonly now: () => number;
  /** Admissions and refusals in the current and the previous window. */
  private windowStartMs = Number.NEGATIVE_INFINITY;
  private current = { admitted: 0, refused: 0 };
  private previous = { admitted: 0, refused: 0 };

  constructor(private readonly queue: AdmissionQueue, options: IngestAdmissionOptions = {}) {
    this.maxInFlightBytes = options.maxInFlightBytes ?? 64 * 1024 * 1024;
    this.unknownLengthBytes = options.unknownLengthBytes ?? 1024 * 1024;
    this.maxRetryAfterSeconds = options.maxRetryAfterSeconds ?? 10;
    this.now = options.now ?? (() => performance.now());
  }

  /** Bytes of the admitted bodies not yet released. */
  get inFlightBytes(): number {
    return this.bytes;
  }

  /** Admits a request whose declared body length is `contentLength` (undefined or NaN: not declared). */
  tryAdmit(contentLength: number | undefined): Admission {
    this.roll();
    if (this.queue.isFull()) return this.refuse('queue_full', this.queue.retryAfterSeconds());
    const bytes = contentLength !== undefined && Number.isFinite(contentLength) && contentLength >= 0 ? contentLength : this.unknownLengthBytes;
    // One request is always admitted, however large (the body limit bounds it), so nothing starves.
    if (this.bytes > 0 && this.bytes + bytes > this.maxInFlightBytes) return this.refuse('too_many_bytes', 1);
    this.current.admitted++;
    this.bytes += bytes;
    let released = false;
    let own = bytes;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        this.bytes -= own;
      },
      charge: (more) => {
        if (released) return false;
        if (this.bytes > own && this.bytes + more > this.maxInFlightBytes) return false;
        this.bytes += more;
        own += more;
        return true;
      },
    };
  }

  /**
   * A refusal whose Retry-After spreads the refused senders over time: at least `base`, and as many
   * seconds as there were refusals per admission lately, so that retries arrive at about the rate
   * requests are admitted instead of all again a second later (each refusal still costs receiving
   * its body).
   */
  private refuse(reason: 'queue_full' | 'too_many_bytes', base: number): Admission {
    this.current.refused++;
    const refused = this.current.refused + this.previous.refused;
    const admitted = Math.max(1, this.current.admitted + this.previous.admitted);
    const retryAfterSeconds = Math.min(this.maxRetryAfterSeconds, Math.max(base, Math.ceil(refused / admitted)));
    return { ok: false, reason, retryAfterSeconds };
  }

  private roll(): void {
    const now = this.now();
    if (now - this.windowStartMs < WINDOW_MS) return;
    this.previous = now - this.windowStartMs < 2 * WINDOW_MS ? this.current : { admitted: 0, refused: 0 };
    this.current = { admitted: 0, refused: 0 };
    this.windowStartMs = now;
  }
}
