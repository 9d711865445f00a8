import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';

/**
 * Spans made by the real OpenTelemetry SDK and serialised by the official OTLP serialisers (the code
 * the exporters use), without HTTP: payloads for decoder tests and the ingest micro-benchmark.
 */
export function sdkSpans(build: (tracer: Tracer) => void): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'support-bot', 'service.version': '1.4.2' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  build(provider.getTracer('payload-test', '1.0.0'));
  return exporter.getFinishedSpans();
}

export function protobufPayload(spans: ReadableSpan[]): Uint8Array {
  const bytes = ProtobufTraceSerializer.serializeRequest(spans);
  if (bytes === undefined) throw new Error('the protobuf serialiser returned nothing');
  return bytes;
}

export function jsonPayload(spans: ReadableSpan[]): unknown {
  const bytes = JsonTraceSerializer.serializeRequest(spans);
  if (bytes === undefined) throw new Error('the JSON serialiser returned nothing');
  return JSON.parse(Buffer.from(bytes).toString('utf8'));
}

/**
 * `count` spans shaped like production LLM traffic: an OpenInference LLM span with two input
 * messages, an output message with a tool call, token counts, and some plain attributes; every
 * fourth a TOOL span. Times are fixed.
 */
export function llmTraffic(count: number): ReadableSpan[] {
  return sdkSpans((tracer) => {
    const root = tracer.startSpan('agent', { startTime: [1_750_000_000, 0] }, ROOT_CONTEXT);
    const parent = trace.setSpan(ROOT_CONTEXT, root);
    for (let i = 0; i < count - 1; i++) {
      const span = tracer.startSpan(i % 4 === 3 ? 'lookup_order' : 'ChatCompletion', { startTime: [1_750_000_000, i], kind: SpanKind.CLIENT }, parent);
      if (i % 4 === 3) {
        span.setAttributes({
          'openinference.span.kind': 'TOOL',
          'tool.name': 'lookup_order',
          'input.value': `{"orderId":"A-${i}"}`,
          'output.value': '{"status":"refunded","amount":42.5}',
        });
      } else {
        span.setAttributes({
          'openinference.span.kind': 'LLM',
          'llm.model_name': 'gpt-4.1-mini',
          'llm.provider': 'openai',
          'llm.input_messages.0.message.role': 'system',
          'llm.input_messages.0.message.content': 'You are a helpful support agent for ACME. Answer briefly and cite the policy.',
          'llm.input_messages.1.message.role': 'user',
          'llm.input_messages.1.message.content': `Where is my refund for order A-${i}? It has been two weeks since I returned the item.`,
          'llm.output_messages.0.message.role': 'assistant',
          'llm.output_messages.0.message.content': 'Let me look that order up for you.',
          'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'lookup_order',
          'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': `{"orderId":"A-${i}"}`,
          'llm.token_count.prompt': 412,
          'llm.token_count.completion': 38,
          'llm.token_count.total': 450,
          'session.id': `sess-${i % 50}`,
          'user.id': `user-${i % 200}`,
          'http.status_code': 200,
        });
      }
      span.setStatus({ code: SpanStatusCode.OK });
      span.end([1_750_000_001, i]);
    }
    root.end([1_750_000_002, 0]);
  });
}
