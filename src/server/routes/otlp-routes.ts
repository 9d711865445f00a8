import { Hono, type Context } from 'hono';
import { isEvalOpsError } from '../../core/errors.js';
import { decodeOtlpRequest, otlpFormatOf, type OtlpFormat, type OtlpRequestErrorReason } from '../../ingest/decode-otlp-request.js';
import type { IngestAdmission } from '../../ingest/ingest-admission.js';
import { mapOtlpSpans } from '../../ingest/map-span.js';
import { mappingCounts } from '../../ingest/mapping-counts.js';
import { encodeOtlpStatus, GRPC_CODE, type GrpcCode } from '../../ingest/otlp-status.js';
import { encodeOtlpTraceResponse, partialSuccess, type PartialSuccess } from '../../ingest/otlp-trace-response.js';
import type { Redactor } from '../../ingest/redact.js';
import type { SpanWriteQueue } from '../../ingest/span-write-queue.js';
import type { AppEnv, ServerDeps } from '../app-env.js';
import { drainRefusedBody } from '../drain-refused-body.js';
import { readBodyBounded } from '../read-body-bounded.js';
import { requireAuth } from '../require-auth.js';

export interface OtlpDeps extends ServerDeps {
  readonly queue: SpanWriteQueue;
  /** Load shedding before a body is read (queue full, too many bytes in flight). */
  readonly admission: IngestAdmission;
  readonly redactor: Redactor;
  /** Largest request body, in bytes, counted after gzip is undone. */
  readonly maxBodyBytes: number;
  /**
   * Bytes of a refused request's body read and dropped so its connection stays usable (default the
   * larger of maxBodyBytes and 64 MiB); a larger body is answered with `Connection: close`.
   */
  readonly maxDrainBytes?: number;
}

const DEFAULT_MAX_DRAIN_BYTES = 64 * 1024 * 1024;
/** A refused body trickling in longer than this is given up on (the connection is then closed). */
const MAX_DRAIN_MS = 10_000;
/** Longest Retry-After ever answered: within an OpenTelemetry exporter's default 10 s timeout. */
export const MAX_RETRY_AFTER_SECONDS = 10;

/** Whole seconds, 1 to MAX_RETRY_AFTER_SECONDS: an exporter retrying later than its timeout gives the batch up. */
function clampRetryAfter(seconds: number): number {
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(seconds)));
}

type FailureStatus = 400 | 413 | 415 | 429 | 503;

const REASON_STATUS: Readonly<Record<OtlpRequestErrorReason, FailureStatus>> = { unsupported_media_type: 415, unsupported_encoding: 415, body_too_large: 413, malformed: 400, overloaded: 503 };

/** The google.rpc.Code answered with each failure status. */
const STATUS_CODE: Readonly<Record<FailureStatus, GrpcCode>> = {
  400: GRPC_CODE.INVALID_ARGUMENT,
  413: GRPC_CODE.RESOURCE_EXHAUSTED,
  415: GRPC_CODE.UNIMPLEMENTED,
  429: GRPC_CODE.RESOURCE_EXHAUSTED,
  503: GRPC_CODE.UNAVAILABLE,
};

/**
 * A failed OTLP request: the status and a `google.rpc.Status` body in the request's encoding, as
 * OTLP/HTTP specifies (429 and 503 with Retry-After, which exporters honour).
 */
function otlpFailure(c: Context<AppEnv>, status: FailureStatus, message: string, retryAfterSeconds?: number): Response {
  const format = otlpFormatOf(c.req.header('content-type'));
  if (retryAfterSeconds !== undefined) c.header('Retry-After', String(clampRetryAfter(retryAfterSeconds)));
  return respond(c, format ?? 'json', encodeOtlpStatus(format, { code: STATUS_CODE[status], message }), status);
}

function respond(c: Context<AppEnv>, format: OtlpFormat, body: Uint8Array | string, status: 200 | FailureStatus): Response {
  return typeof body === 'string'
    ? c.body(body, status, { 'content-type': 'application/json' })
    : c.body(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer, status, { 'content-type': format === 'protobuf' ? 'application/x-protobuf' : 'application/json' });
}

/** What a decoded request left to wait for: the commit, and the answer's counts (no span objects). */
type Prepared = { readonly ok: true; readonly committed: Promise<number>; readonly accepted: number; readonly partial: PartialSuccess | undefined } | { readonly ok: false; readonly response: Response };

/**
 * `POST /v1/traces` (OTLP/HTTP, protobuf or JSON, optionally gzip). Before the body is read, load is
 * shed: a full write queue, or too many body bytes in flight, answers 503 with Retry-After at once.
 * Then it decodes, maps each span by the OpenInference and GenAI conventions, rejects bad spans
 * individually (`partial_success`), redacts, enqueues, and answers 200 only after the spans are
 * committed. Failures answer a `google.rpc.Status` in the request's encoding. The project is the
 * key's; an instance-wide key names it in `X-EvalOps-Project`.
 */
export function otlpRoutes(deps: OtlpDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const tooLargeMessage = `the body is over ${deps.maxBodyBytes} bytes`;

  const overloaded = (c: Context<AppEnv>, why: string, retryAfterSeconds: number): Response => {
    deps.metrics.increment('evalops_otlp_overloaded_total', 'OTLP requests refused because the write queue was full or too many bodies were in flight.');
    const seconds = clampRetryAfter(retryAfterSeconds);
    return otlpFailure(c, 503, `${why}; retry after ${seconds} s`, seconds);
  };

  /** Reads, decodes, maps, redacts and enqueues; returns only what the answer needs after the commit. */
  const prepare = async (c: Context<AppEnv>, projectId: () => Promise<string>, admitInflated: (bytes: number) => boolean): Promise<Prepared> => {
    const body = await readBodyBounded(c.req.raw, deps.maxBodyBytes);
    if (!body.ok) {
      return { ok: false, response: otlpFailure(c, body.reason === 'too_large' ? 413 : 400, body.reason === 'too_large' ? tooLargeMessage : 'the request body was cut off') };
    }
    const decoded = await decodeOtlpRequest({
      body: body.bytes,
      contentType: c.req.header('content-type'),
      contentEncoding: c.req.header('content-encoding'),
      maxBodyBytes: deps.maxBodyBytes,
      admitInflated,
    });
    if (!decoded.ok) {
      const reason = (decoded.error.details as { reason?: OtlpRequestErrorReason } | undefined)?.reason ?? 'malformed';
      if (reason === 'overloaded') return { ok: false, response: overloaded(c, 'too many request bodies are being decoded', 1) };
      deps.metrics.increment('evalops_otlp_requests_rejected_total', 'OTLP requests refused whole (bad body, type, encoding or size).');
      return { ok: false, response: otlpFailure(c, REASON_STATUS[reason], decoded.error.message) };
    }
    const { spans, rejected } = mapOtlpSpans(decoded.spans, { nowMs: Date.now() });
    const project = await projectId();
    const outcome = deps.queue.enqueue(spans.map((span) => ({ projectId: project, span: deps.redactor.redactSpan(span) })));
    if (outcome === 'overloaded') return { ok: false, response: overloaded(c, 'the ingest queue is full', deps.queue.retryAfterSeconds()) };
    if (rejected.length) deps.metrics.increment('evalops_spans_rejected_total', 'Spans rejected individually (partial_success).', rejected.length);
    const counts = mappingCounts(spans);
    if (counts.withNotices) deps.metrics.increment('evalops_spans_mapping_notices_total', 'Spans stored with a mapping notice (e.g. a message attribute that is not JSON; the raw value is kept).', counts.withNotices);
    if (counts.rootsWithoutIo) deps.metrics.increment('evalops_root_spans_without_io_total', 'Root spans stored with no input or output recognised by any convention: online rules and promotion see nothing of such traces.', counts.rootsWithoutIo);
    return { ok: true, committed: outcome, accepted: spans.length, partial: partialSuccess(rejected, decoded.spans.length) };
  };

  app.post(
    '/v1/traces',
    // Every refusal below (401, 403, 400, 413, 415, 503) leaves the keep-alive connection clean.
    drainRefusedBody(() => ({ maxBytes: deps.maxDrainBytes ?? Math.max(deps.maxBodyBytes, DEFAULT_MAX_DRAIN_BYTES), maxMs: MAX_DRAIN_MS })),
    // A declared length over the bound is refused before the key is looked up (the drain above then
    // reads and drops the body, or closes the connection past its bound). A body without a declared
    // length is counted as it is read (readBodyBounded).
    async (c, next) => {
      if (Number(c.req.header('content-length') ?? Number.NaN) > deps.maxBodyBytes) return otlpFailure(c, 413, tooLargeMessage);
      await next();
    },
    requireAuth(deps, 'traces:write'),
    async (c) => {
      const principal = c.get('principal');
      const projectName = principal.projectName ?? c.req.header('x-evalops-project');
      if (!projectName) return otlpFailure(c, 400, 'an instance-wide key must name the project in the X-EvalOps-Project header');
      const admission = deps.admission.tryAdmit(Number(c.req.header('content-length') ?? Number.NaN));
      if (!admission.ok) {
        return overloaded(c, admission.reason === 'queue_full' ? 'the ingest queue is full' : 'too many request bodies are being received', admission.retryAfterSeconds);
      }
      let prepared: Prepared;
      try {
        prepared = await prepare(c, async () => (principal.projectId !== null ? principal.projectId : (await deps.store.projects.ensure(projectName)).id), admission.charge);
      } finally {
        admission.release();
      }
      if (!prepared.ok) return prepared.response;
      try {
        await prepared.committed;
      } catch (e) {
        if (!isEvalOpsError(e) || e.code !== 'infrastructure') throw e;
        deps.log({ level: 'error', msg: 'could not store spans', error: e.message });
        return otlpFailure(c, 503, `${e.message}; re-send the request (a span sent twice is stored once)`, 1);
      }
      deps.metrics.increment('evalops_spans_accepted_total', 'Spans committed (duplicates included).', prepared.accepted);
      const format = otlpFormatOf(c.req.header('content-type')) ?? 'json';
      return respond(c, format, encodeOtlpTraceResponse(format, prepared.partial), 200);
    },
  );
  return app;
}
