/**
 * OTLP/HTTP protobuf request bodies for the ingest bench, made by the real OpenTelemetry SDK and
 * serialised by the official `ProtobufTraceSerializer` (the code the OTLP proto exporter uses).
 *
 * A body holds 512 spans: 64 traces of 8 spans, each trace an OpenInference agent turn — an AGENT
 * root, 5 LLM calls (system and user messages, an assistant answer or tool call, token counts, model,
 * provider, session and user ids) and 2 TOOL calls. The bodies are serialised once, before any
 * timing; `BodyStamper` then gives every request its own trace and span ids (and later times) by
 * overwriting those bytes in place (the protobuf length prefixes do not change), so no two requests
 * share a span and nothing can be deduplicated, at a cost of tens of microseconds per request.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { randomBytes } from 'node:crypto';

export const SPANS_PER_BODY = 512;
const SPANS_PER_TRACE = 8;
const TRACES_PER_BODY = SPANS_PER_BODY / SPANS_PER_TRACE;
const TRACE_SPACING_MS = 15;

const QUESTIONS = [
  'Where is my refund for order {o}? It has been two weeks since I returned the item and nobody answered my e-mail.',
  'Can I change the delivery address of order {o}? I am moving next week and will not be home.',
  'The blender from order {o} arrived broken. Do I send it back or do you send a courier?',
  'Why was I charged twice for order {o}? My bank shows two payments of the same amount.',
  'Do you ship order {o} to Canary Islands, and are there customs fees I should expect?',
];

/** The spans of one body (`variant` varies the text), made by the SDK with its random ids. */
function bodySpans(variant) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'support-bot', 'service.version': `1.4.${variant % 3}`, 'deployment.environment.name': 'production' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('openinference.instrumentation.openai', '0.1.0');
  // An hour ago, so that stamped times (shifted forward per request) stay in the past.
  const base = (BigInt(Date.now()) - 3_600_000n) * 1_000_000n;
  const at = (ms) => {
    const ns = base + BigInt(Math.round(ms * 1000)) * 1000n;
    return [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];
  };
  for (let t = 0; t < TRACES_PER_BODY; t++) {
    const n = variant * TRACES_PER_BODY + t;
    const order = `A-${10_000 + n}`;
    const question = QUESTIONS[n % QUESTIONS.length].replace('{o}', order);
    const session = `sess-${n % 997}`;
    const user = `user-${n % 211}`;
    // Traces 15 ms apart, spans 1 ms apart inside: a body covers about a second of traffic.
    const traceMs = t * TRACE_SPACING_MS;
    const root = tracer.startSpan('support_agent', { startTime: at(traceMs), kind: SpanKind.SERVER }, ROOT_CONTEXT);
    root.setAttributes({ 'openinference.span.kind': 'AGENT', 'input.value': question, 'output.value': `Your order ${order} was refunded on Monday; the money reaches your account in 3-5 working days.`, 'session.id': session, 'user.id': user });
    const parent = trace.setSpan(ROOT_CONTEXT, root);
    for (let i = 0; i < SPANS_PER_TRACE - 1; i++) {
      const start = at(traceMs + i + 1);
      const end = at(traceMs + i + 1.8);
      if (i === 1 || i === 4) {
        const span = tracer.startSpan('lookup_order', { startTime: start, kind: SpanKind.INTERNAL }, parent);
        span.setAttributes({
          'openinference.span.kind': 'TOOL',
          'tool.name': 'lookup_order',
          'tool.description': 'Looks an order up by id',
          'input.value': `{"orderId":"${order}"}`,
          'input.mime_type': 'application/json',
          'output.value': `{"orderId":"${order}","status":"refunded","amount":${(42.5 + i).toFixed(2)},"currency":"EUR"}`,
          'output.mime_type': 'application/json',
        });
        span.setStatus({ code: SpanStatusCode.OK });
        span.end(end);
        continue;
      }
      const toolCall = i === 0 || i === 3;
      const span = tracer.startSpan('ChatCompletion', { startTime: start, kind: SpanKind.CLIENT }, parent);
      span.setAttributes({
        'openinference.span.kind': 'LLM',
        'llm.model_name': i % 2 === 0 ? 'gpt-4.1-mini' : 'gpt-4.1',
        'llm.provider': 'openai',
        'llm.system': 'openai',
        'llm.invocation_parameters': '{"temperature":0.2,"max_tokens":512}',
        'llm.input_messages.0.message.role': 'system',
        'llm.input_messages.0.message.content': 'You are a helpful support agent for ACME. Answer briefly, in the language of the customer, and cite the policy you rely on.',
        'llm.input_messages.1.message.role': 'user',
        'llm.input_messages.1.message.content': question,
        'llm.output_messages.0.message.role': 'assistant',
        ...(toolCall
          ? {
              'llm.output_messages.0.message.tool_calls.0.tool_call.id': `call_${n}_${i}`,
              'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'lookup_order',
              'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': `{"orderId":"${order}"}`,
            }
          : { 'llm.output_messages.0.message.content': `Order ${order} was refunded on Monday (policy R-2: refunds within 14 days of the return). The money reaches your account in 3-5 working days.` }),
        'llm.token_count.prompt': 380 + (n % 97),
        'llm.token_count.completion': 20 + (n % 41),
        'llm.token_count.total': 400 + (n % 97) + (n % 41),
        'session.id': session,
        'user.id': user,
        'http.status_code': 200,
      });
      span.setStatus({ code: SpanStatusCode.OK });
      span.end(end);
    }
    root.setStatus({ code: SpanStatusCode.OK });
    root.end(at(traceMs + SPANS_PER_TRACE + 1));
  }
  const spans = exporter.getFinishedSpans();
  if (spans.length !== SPANS_PER_BODY) throw new Error(`built ${spans.length} spans, expected ${SPANS_PER_BODY}`);
  return spans;
}

/** Every offset of `needle` in `haystack`. */
function offsetsOf(haystack, needle) {
  const out = [];
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) out.push(at);
  return out;
}

/** A span's time as OTLP nanoseconds. */
const nanos = ([seconds, ns]) => BigInt(seconds) * 1_000_000_000n + BigInt(ns);

/** The bytes of a protobuf fixed64 field: its tag (field number, wire type 1) and the value, little-endian. */
function fixed64Field(field, value) {
  const bytes = Buffer.alloc(9);
  bytes[0] = (field << 3) | 1;
  bytes.writeBigUInt64LE(value, 1);
  return bytes;
}

/**
 * One serialised body and where its ids and times sit: for every trace id the offsets of its 16 bytes,
 * for every span id the offsets of its 8 bytes (as span_id and as the children's parent_span_id), for
 * every start and end time (Span fields 7 and 8, fixed64) the offset of its 8 bytes and its value.
 * Checks that each occurs exactly as often as the spans say, so stamping cannot miss or hit stray bytes.
 */
function template(variant) {
  const spans = bodySpans(variant);
  const bytes = ProtobufTraceSerializer.serializeRequest(spans);
  if (bytes === undefined) throw new Error('the protobuf serialiser returned nothing');
  const body = Buffer.from(bytes);
  const traceIds = [...new Set(spans.map((s) => s.spanContext().traceId))];
  const children = new Map();
  for (const s of spans) {
    const parent = s.parentSpanContext?.spanId;
    if (parent) children.set(parent, (children.get(parent) ?? 0) + 1);
  }
  const exactly = (needle, expected, what) => {
    const at = offsetsOf(body, needle);
    if (at.length !== expected) throw new Error(`${what} occurs ${at.length} times in the body, expected ${expected}`);
    return at;
  };
  const traceOffsets = traceIds.map((id) => exactly(Buffer.from(id, 'hex'), spans.filter((s) => s.spanContext().traceId === id).length, `trace id ${id}`));
  const spanOffsets = spans.map((s) => exactly(Buffer.from(s.spanContext().spanId, 'hex'), 1 + (children.get(s.spanContext().spanId) ?? 0), `span id ${s.spanContext().spanId}`));
  const timeFields = spans.flatMap((s) =>
    [
      [7, nanos(s.startTime)],
      [8, nanos(s.endTime)],
    ].map(([field, value]) => ({ at: exactly(fixed64Field(field, value), 1, `time field ${field} = ${value}`)[0] + 1, value })),
  );
  if (traceIds.length !== TRACES_PER_BODY) throw new Error(`a body has ${traceIds.length} traces, expected ${TRACES_PER_BODY}`);
  return { body, traceOffsets, spanOffsets, timeFields };
}

/**
 * Builds `variants` distinct bodies with the SDK and the official serialiser (call before timing).
 * @returns {{ templates: ReturnType<typeof template>[], bytesPerBody: number, buildMs: number }}
 */
export function buildTemplates(variants = 8) {
  const started = performance.now();
  const templates = Array.from({ length: variants }, (_, v) => template(v));
  return { templates, bytesPerBody: Math.round(templates.reduce((a, t) => a + t.body.length, 0) / variants), buildMs: performance.now() - started };
}

/** How far each request's spans are shifted forward in time from the previous request's. */
const SHIFT_PER_REQUEST_NS = 10_000_000n;

/**
 * Hands out request bodies whose spans were never sent before: request `seq` gets trace ids
 * `random(8) · seq(4) · trace index(4)` (random where it decides the position in the primary-key
 * index, as real W3C trace ids are; unique by the suffix), span ids `seq(4) · span index + 1 (4)`,
 * and its times shifted by `seq` × 10 ms, so that start times rise over the run as real traffic's do
 * instead of repeating. Each sender owns one buffer (`newBuffer`) and stamps it in place before each
 * send; a re-send after a 429/503 re-uses the same bytes, so a retried batch keeps its ids.
 */
export class BodyStamper {
  /** @param {ReturnType<typeof template>[]} templates */
  constructor(templates) {
    this.templates = templates;
    this.seq = 0;
    this.stampNs = 0n;
  }

  newBuffer() {
    return Buffer.alloc(Math.max(...this.templates.map((t) => t.body.length)));
  }

  /** Fills `buffer` with the next body; returns the view to send and its first trace id (hex). */
  next(buffer) {
    const started = process.hrtime.bigint();
    const seq = ++this.seq;
    const t = this.templates[seq % this.templates.length];
    t.body.copy(buffer, 0);
    const random = randomBytes(8 * t.traceOffsets.length);
    t.traceOffsets.forEach((offsets, index) => {
      for (const at of offsets) {
        random.copy(buffer, at, index * 8, index * 8 + 8);
        buffer.writeUInt32BE(seq, at + 8);
        buffer.writeUInt32BE(index, at + 12);
      }
    });
    t.spanOffsets.forEach((offsets, index) => {
      for (const at of offsets) {
        buffer.writeUInt32BE(seq, at);
        buffer.writeUInt32BE(index + 1, at + 4);
      }
    });
    const shift = BigInt(seq) * SHIFT_PER_REQUEST_NS;
    for (const { at, value } of t.timeFields) buffer.writeBigUInt64LE(value + shift, at);
    this.stampNs += process.hrtime.bigint() - started;
    const view = buffer.subarray(0, t.body.length);
    return { body: view, seq, firstTraceId: view.subarray(t.traceOffsets[0][0], t.traceOffsets[0][0] + 16).toString('hex') };
  }
}
