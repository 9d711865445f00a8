import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { EvalOpsError } from '../../core/errors.js';
import { decodeOtlpRequest, otlpFormatOf } from '../../ingest/decode-otlp-request.js';
import { mapOtlpSpans } from '../../ingest/map-span.js';
import { encodeOtlpTraceResponse, partialSuccess } from '../../ingest/otlp-trace-response.js';
import type { Redactor } from '../../ingest/redact.js';
import type { SpanWriteQueue } from '../../ingest/span-write-queue.js';
import type { AppEnv, ServerDeps } from '../app-env.js';
import { requireAuth } from '../require-auth.js';

export interface OtlpDeps extends ServerDeps {
  readonly queue: SpanWriteQueue;
  readonly redactor: Redactor;
  readonly maxBodyBytes: number;
}

const REASON_STATUS = { unsupported_media_type: 415, unsupported_encoding: 415, body_too_large: 413, malformed: 400 } as const;

/**
 * `POST /v1/traces` (OTLP/HTTP, protobuf or JSON, optionally gzip): decodes, maps each span by the
 * OpenInference and GenAI conventions, rejects bad spans individually (`partial_success`), redacts,
 * and answers 200 only after the spans are committed. A full write queue answers 503 with Retry-After.
 * The project is the key's; an instance-wide key names it in `X-EvalOps-Project`.
 */
export function otlpRoutes(deps: OtlpDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post(
    '/v1/traces',
    bodyLimit({ maxSize: deps.maxBodyBytes, onError: (c) => c.json({ error: { code: 'body_too_large', message: `the body is over ${deps.maxBodyBytes} bytes` } }, 413) }),
    requireAuth(deps, 'traces:write'),
    async (c) => {
      const principal = c.get('principal');
      const projectName = principal.projectName ?? c.req.header('x-evalops-project');
      if (!projectName) throw new EvalOpsError('usage', 'an instance-wide key must name the project in the X-EvalOps-Project header');
      const format = otlpFormatOf(c.req.header('content-type'));
      const decoded = await decodeOtlpRequest({
        body: new Uint8Array(await c.req.arrayBuffer()),
        contentType: c.req.header('content-type'),
        contentEncoding: c.req.header('content-encoding'),
        maxBodyBytes: deps.maxBodyBytes * 8,
      });
      if (!decoded.ok) {
        const reason = (decoded.error.details as { reason?: keyof typeof REASON_STATUS } | undefined)?.reason ?? 'malformed';
        deps.metrics.increment('evalops_otlp_requests_rejected_total', 'OTLP requests refused whole (bad body, type, encoding or size).');
        return c.json({ error: { code: reason, message: decoded.error.message } }, REASON_STATUS[reason]);
      }
      const { spans, rejected } = mapOtlpSpans(decoded.spans, { nowMs: Date.now() });
      const project = principal.projectId !== null ? { id: principal.projectId } : await deps.store.projects.ensure(projectName);
      const outcome = deps.queue.enqueue(spans.map((span) => ({ projectId: project.id, span: deps.redactor.redactSpan(span) })));
      if (outcome === 'overloaded') {
        deps.metrics.increment('evalops_otlp_overloaded_total', 'OTLP requests refused because the write queue was full.');
        c.header('Retry-After', '1');
        return c.json({ error: { code: 'overloaded', message: 'the ingest queue is full; retry after 1 s' } }, 503);
      }
      await outcome;
      deps.metrics.increment('evalops_spans_accepted_total', 'Spans committed (duplicates included).', spans.length);
      if (rejected.length) deps.metrics.increment('evalops_spans_rejected_total', 'Spans rejected individually (partial_success).', rejected.length);
      const body = encodeOtlpTraceResponse(format ?? 'json', partialSuccess(rejected, decoded.spans.length));
      return typeof body === 'string'
        ? c.body(body, 200, { 'content-type': 'application/json' })
        : c.body(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer, 200, { 'content-type': 'application/x-protobuf' });
    },
  );
  return app;
}
