/**
 * One agent trace made by the real OpenTelemetry JS SDK — an OpenInference AGENT root with an LLM and a
 * TOOL child, an OTel GenAI chat span (with an event and an error status), a GenAI execute_tool span
 * and a legacy gen_ai.prompt/completion span — and the real OTLP/HTTP exporters that send it
 * (protobuf and JSON, plain and gzip). Attribute names come from the official convention packages, so
 * a misspelt key in the mapper fails the tests that use it.
 */
import { OpenInferenceSpanKind, SemanticConventions as OI } from '@arizeai/openinference-semantic-conventions';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import {
  ATTR_GEN_AI_COMPLETION,
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_OUTPUT_MESSAGES,
  ATTR_GEN_AI_PROMPT,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_SYSTEM,
  ATTR_GEN_AI_SYSTEM_INSTRUCTIONS,
  ATTR_GEN_AI_TOOL_CALL_ARGUMENTS,
  ATTR_GEN_AI_TOOL_CALL_RESULT,
  ATTR_GEN_AI_TOOL_DEFINITIONS,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_USAGE_COMPLETION_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_PROMPT_TOKENS,
  ATTR_DEPLOYMENT_ENVIRONMENT_NAME,
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
  GEN_AI_OPERATION_NAME_VALUE_CHAT,
  GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL,
} from '@opentelemetry/semantic-conventions/incubating';

/** Fixed times, so the nanosecond path (hrtime → fixed64 / string → ms) is checked exactly. */
export const T0: [number, number] = [1_750_000_000, 123_456_789];
export const T1: [number, number] = [1_750_000_001, 0];

export interface Produced {
  readonly ids: Record<string, { traceId: string; spanId: string }>;
}

export function produceSpans(tracer: Tracer): Produced {
  const ids: Produced['ids'] = {};
  const keep = (key: string, span: ReturnType<Tracer['startSpan']>) => {
    const { traceId, spanId } = span.spanContext();
    ids[key] = { traceId, spanId };
  };

  const agent = tracer.startSpan('support-agent', { startTime: T0, kind: SpanKind.SERVER }, ROOT_CONTEXT);
  keep('agent', agent);
  agent.setAttributes({
    [OI.OPENINFERENCE_SPAN_KIND]: OpenInferenceSpanKind.AGENT,
    [OI.INPUT_VALUE]: 'Where is my refund for order A-17?',
    [OI.INPUT_MIME_TYPE]: 'text/plain',
    [OI.OUTPUT_VALUE]: 'Your refund was issued yesterday.',
    [OI.SESSION_ID]: 'sess-42',
    [OI.USER_ID]: 'user-7',
    [OI.TAG_TAGS]: ['refund', 'es'],
    'evalops.release': 'rel-2025-06',
    'evalops.variant': 'v-abc123',
    'app.retry_count': 3,
    'app.big_number': 2 ** 40,
    'app.ratio': 0.25,
    'app.flag': true,
  });
  const parent = trace.setSpan(ROOT_CONTEXT, agent);

  const llm = tracer.startSpan('ChatCompletion', { startTime: T0, kind: SpanKind.CLIENT }, parent);
  keep('llm', llm);
  llm.setAttributes({
    [OI.OPENINFERENCE_SPAN_KIND]: OpenInferenceSpanKind.LLM,
    [OI.LLM_MODEL_NAME]: 'gpt-4.1-mini',
    [OI.LLM_PROVIDER]: 'openai',
    [OI.LLM_SYSTEM]: 'openai',
    [`${OI.LLM_INPUT_MESSAGES}.0.${OI.MESSAGE_ROLE}`]: 'system',
    [`${OI.LLM_INPUT_MESSAGES}.0.${OI.MESSAGE_CONTENT}`]: 'You are a support agent.',
    [`${OI.LLM_INPUT_MESSAGES}.1.${OI.MESSAGE_ROLE}`]: 'user',
    [`${OI.LLM_INPUT_MESSAGES}.1.${OI.MESSAGE_CONTENTS}.0.${OI.MESSAGE_CONTENT_TYPE}`]: 'text',
    [`${OI.LLM_INPUT_MESSAGES}.1.${OI.MESSAGE_CONTENTS}.0.${OI.MESSAGE_CONTENT_TEXT}`]: 'Refund for A-17 please, I am ana@example.com',
    [`${OI.LLM_OUTPUT_MESSAGES}.0.${OI.MESSAGE_ROLE}`]: 'assistant',
    [`${OI.LLM_OUTPUT_MESSAGES}.0.${OI.MESSAGE_CONTENT}`]: '',
    [`${OI.LLM_OUTPUT_MESSAGES}.0.${OI.MESSAGE_TOOL_CALLS}.0.${OI.TOOL_CALL_ID}`]: 'call_1',
    [`${OI.LLM_OUTPUT_MESSAGES}.0.${OI.MESSAGE_TOOL_CALLS}.0.${OI.TOOL_CALL_FUNCTION_NAME}`]: 'lookup_order',
    [`${OI.LLM_OUTPUT_MESSAGES}.0.${OI.MESSAGE_TOOL_CALLS}.0.${OI.TOOL_CALL_FUNCTION_ARGUMENTS_JSON}`]: '{"orderId":"A-17"}',
    [OI.LLM_TOKEN_COUNT_PROMPT]: 120,
    [OI.LLM_TOKEN_COUNT_COMPLETION]: 30,
    [OI.LLM_TOKEN_COUNT_TOTAL]: 150,
    [OI.LLM_COST_TOTAL]: 0.00042,
    [`${OI.LLM_TOOLS}.0.${OI.TOOL_JSON_SCHEMA}`]: JSON.stringify({
      type: 'function',
      function: { name: 'lookup_order', description: 'Find an order by id', parameters: { type: 'object', properties: { orderId: { type: 'string' } } } },
    }),
    [OI.INPUT_VALUE]: '{"model":"gpt-4.1-mini","api_key":"sk-proj-abcdefghijklmnopqrstuvwxyz012345"}',
    [OI.INPUT_MIME_TYPE]: 'application/json',
  });
  llm.end(T1);

  const tool = tracer.startSpan('lookup_order', { startTime: T0 }, parent);
  keep('tool', tool);
  tool.setAttributes({
    [OI.OPENINFERENCE_SPAN_KIND]: OpenInferenceSpanKind.TOOL,
    [OI.TOOL_NAME]: 'lookup_order',
    [OI.INPUT_VALUE]: '{"orderId":"A-17"}',
    [OI.OUTPUT_VALUE]: '{"status":"refunded"}',
  });
  tool.end(T1);

  const chat = tracer.startSpan('chat claude-sonnet', { startTime: T0, kind: SpanKind.CLIENT }, parent);
  keep('chat', chat);
  chat.setAttributes({
    [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION_NAME_VALUE_CHAT,
    [ATTR_GEN_AI_PROVIDER_NAME]: 'anthropic',
    [ATTR_GEN_AI_REQUEST_MODEL]: 'claude-sonnet',
    [ATTR_GEN_AI_RESPONSE_MODEL]: 'claude-sonnet-20250514',
    [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 200,
    [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: 50,
    [ATTR_GEN_AI_TOOL_DEFINITIONS]: JSON.stringify([{ type: 'function', name: 'get_weather', parameters: { type: 'object' } }]),
    [ATTR_GEN_AI_SYSTEM_INSTRUCTIONS]: JSON.stringify([{ type: 'text', content: 'Be brief.' }]),
    [ATTR_GEN_AI_INPUT_MESSAGES]: JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] }]),
    [ATTR_GEN_AI_OUTPUT_MESSAGES]: JSON.stringify([
      {
        role: 'assistant',
        parts: [
          { type: 'text', content: 'Let me check.' },
          { type: 'tool_call', id: 'call_w', name: 'get_weather', arguments: { city: 'Paris' } },
        ],
        finish_reason: 'tool_call',
      },
    ]),
  });
  chat.addEvent('retry', { attempt: 1 }, [1_750_000_000, 500_000_000]);
  chat.setStatus({ code: SpanStatusCode.ERROR, message: 'rate limited once' });
  chat.end(T1);

  const execute = tracer.startSpan('execute_tool get_weather', { startTime: T0, kind: SpanKind.INTERNAL }, parent);
  keep('execute', execute);
  execute.setAttributes({
    [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL,
    [ATTR_GEN_AI_TOOL_NAME]: 'get_weather',
    [ATTR_GEN_AI_TOOL_CALL_ARGUMENTS]: '{"city":"Paris"}',
    [ATTR_GEN_AI_TOOL_CALL_RESULT]: 'rainy, 14°C',
  });
  execute.end(T1);

  const legacy = tracer.startSpan('openai.chat', { startTime: T0, kind: SpanKind.CLIENT }, parent);
  keep('legacy', legacy);
  legacy.setAttributes({
    [ATTR_GEN_AI_SYSTEM]: 'openai',
    [ATTR_GEN_AI_REQUEST_MODEL]: 'gpt-4o',
    [`${ATTR_GEN_AI_PROMPT}.0.role`]: 'user',
    [`${ATTR_GEN_AI_PROMPT}.0.content`]: 'Say hi',
    [`${ATTR_GEN_AI_COMPLETION}.0.role`]: 'assistant',
    [`${ATTR_GEN_AI_COMPLETION}.0.content`]: 'Hi!',
    [ATTR_GEN_AI_USAGE_PROMPT_TOKENS]: 5,
    [ATTR_GEN_AI_USAGE_COMPLETION_TOKENS]: 2,
  });
  legacy.end(T1);

  agent.setStatus({ code: SpanStatusCode.OK });
  agent.end(T1);
  return { ids };
}

export async function exportWith(exporter: SpanExporter): Promise<Produced> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: 'support-bot',
      [ATTR_SERVICE_VERSION]: '1.4.2',
      [ATTR_DEPLOYMENT_ENVIRONMENT_NAME]: 'staging',
    }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  const produced = produceSpans(provider.getTracer('evalops-test', '0.0.1'));
  await provider.forceFlush();
  await provider.shutdown();
  return produced;
}

type Headers = Record<string, string>;

/** The four ways the SDK's exporters send OTLP/HTTP. */
export const VARIANTS = [
  { name: 'protobuf', format: 'protobuf', encoding: undefined, make: (url: string, headers: Headers = {}) => new ProtoExporter({ url, headers }) },
  {
    name: 'protobuf + gzip',
    format: 'protobuf',
    encoding: 'gzip',
    make: (url: string, headers: Headers = {}) => new ProtoExporter({ url, headers, compression: CompressionAlgorithm.GZIP }),
  },
  { name: 'JSON', format: 'json', encoding: undefined, make: (url: string, headers: Headers = {}) => new JsonExporter({ url, headers }) },
  { name: 'JSON + gzip', format: 'json', encoding: 'gzip', make: (url: string, headers: Headers = {}) => new JsonExporter({ url, headers, compression: CompressionAlgorithm.GZIP }) },
] as const;
