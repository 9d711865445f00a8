/**
 * OTLP payloads from the real OpenTelemetry JS SDK (BasicTracerProvider + BatchSpanProcessor) and its
 * real OTLP/HTTP exporters — protobuf and JSON, plain and gzip — captured by a local HTTP server, then
 * decoded and mapped by src/ingest. Attribute names come from the official convention packages
 * (OpenInference and OTel GenAI), so a misspelt key in the mapper fails here.
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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanSchema, type Span } from '../../src/core/span.js';
import { decodeOtlpRequest, otlpFormatOf } from '../../src/ingest/decode-otlp-request.js';
import { mapOtlpSpans } from '../../src/ingest/map-span.js';
import { createRedactor } from '../../src/ingest/redact.js';
import { startCaptureServer, type CaptureServer } from './otlp-capture-server.js';

/** Fixed times, so the nanosecond path (hrtime → fixed64 / string → ms) is checked exactly. */
const T0: [number, number] = [1_750_000_000, 123_456_789];
const T1: [number, number] = [1_750_000_001, 0];

interface Produced {
  readonly ids: Record<string, { traceId: string; spanId: string }>;
}

function produceSpans(tracer: Tracer): Produced {
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

async function exportWith(exporter: SpanExporter): Promise<Produced> {
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

const VARIANTS = [
  { name: 'protobuf', format: 'protobuf', encoding: undefined, make: (url: string) => new ProtoExporter({ url }) },
  {
    name: 'protobuf + gzip',
    format: 'protobuf',
    encoding: 'gzip',
    make: (url: string) => new ProtoExporter({ url, compression: CompressionAlgorithm.GZIP }),
  },
  { name: 'JSON', format: 'json', encoding: undefined, make: (url: string) => new JsonExporter({ url }) },
  { name: 'JSON + gzip', format: 'json', encoding: 'gzip', make: (url: string) => new JsonExporter({ url, compression: CompressionAlgorithm.GZIP }) },
] as const;

describe.each(VARIANTS)('OTLP from the OpenTelemetry JS SDK, $name exporter', (variant) => {
  let server: CaptureServer;
  let produced: Produced;
  let spans: Map<string, Span>;
  let rejectedCount: number;

  beforeAll(async () => {
    server = await startCaptureServer();
    produced = await exportWith(variant.make(server.tracesUrl));
    expect(server.requests).toHaveLength(1);
    const request = server.requests[0]!;
    expect(request.contentEncoding).toBe(variant.encoding);
    expect(otlpFormatOf(request.contentType)).toBe(variant.format);
    const decoded = await decodeOtlpRequest({
      body: request.body,
      contentType: request.contentType,
      contentEncoding: request.contentEncoding,
    });
    if (!decoded.ok) throw decoded.error;
    const mapped = mapOtlpSpans(decoded.spans, { nowMs: Date.UTC(2025, 6, 1) });
    rejectedCount = mapped.rejected.length;
    spans = new Map(mapped.spans.map((s) => [s.name, s]));
  });
  afterAll(() => server?.close());

  const span = (name: string): Span => {
    const found = spans.get(name);
    if (found === undefined) throw new Error(`no span named ${name}; got ${[...spans.keys()].join(', ')}`);
    return found;
  };

  it('keeps every span, each valid against the domain schema, with the ids the SDK gave', () => {
    expect(rejectedCount).toBe(0);
    expect(spans.size).toBe(6);
    for (const s of spans.values()) expect(SpanSchema.safeParse(s).success).toBe(true);
    expect(span('support-agent')).toMatchObject(produced.ids.agent!);
    expect(span('ChatCompletion')).toMatchObject(produced.ids.llm!);
    expect(span('ChatCompletion').parentSpanId).toBe(produced.ids.agent!.spanId);
    expect(span('support-agent').parentSpanId).toBeUndefined();
  });

  it('converts nanosecond times to milliseconds with the sub-millisecond part', () => {
    const agent = span('support-agent');
    expect(agent.startTimeMs).toBeCloseTo(1_750_000_000_123.4568, 3);
    expect(agent.endTimeMs).toBe(1_750_000_001_000);
    expect(agent.durationMs).toBeCloseTo(876.543211, 6);
    expect(span('chat claude-sonnet').events).toEqual([
      { name: 'retry', timeMs: 1_750_000_000_500, attributes: { attempt: 1 } },
    ]);
  });

  it('maps the resource, session, user, release, variant, status and OTel kind', () => {
    const agent = span('support-agent');
    expect(agent).toMatchObject({
      kind: 'AGENT',
      otelKind: 'server',
      status: 'ok',
      serviceName: 'support-bot',
      environment: 'staging',
      release: 'rel-2025-06',
      variant: 'v-abc123',
      sessionId: 'sess-42',
      userId: 'user-7',
      input: 'Where is my refund for order A-17?',
      inputMimeType: 'text/plain',
      output: 'Your refund was issued yesterday.',
      scope: { name: 'evalops-test', version: '0.0.1' },
    });
    expect(agent.resource).toMatchObject({ 'service.name': 'support-bot', 'service.version': '1.4.2' });
    // A span without evalops.release falls back to the resource's service.version.
    expect(span('lookup_order').release).toBe('1.4.2');
  });

  it('keeps every original attribute with its type', () => {
    expect(span('support-agent').attributes).toMatchObject({
      'tag.tags': ['refund', 'es'],
      'app.retry_count': 3,
      'app.big_number': 2 ** 40,
      'app.ratio': 0.25,
      'app.flag': true,
      'openinference.span.kind': 'AGENT',
    });
  });

  it('maps an OpenInference LLM span: model, provider, messages, tool calls, offered tools, tokens, cost', () => {
    const llm = span('ChatCompletion');
    expect(llm).toMatchObject({
      kind: 'LLM',
      otelKind: 'client',
      model: 'gpt-4.1-mini',
      provider: 'openai',
      usage: { inputTokens: 120, outputTokens: 30, totalTokens: 150 },
      costUsd: 0.00042,
      toolCalls: [{ id: 'call_1', name: 'lookup_order', arguments: { orderId: 'A-17' } }],
      availableTools: [
        { name: 'lookup_order', description: 'Find an order by id', parameters: { type: 'object', properties: { orderId: { type: 'string' } } } },
      ],
    });
    expect(llm.input).toEqual([
      { role: 'system', content: 'You are a support agent.' },
      { role: 'user', content: 'Refund for A-17 please, I am ana@example.com' },
    ]);
    expect(llm.output).toEqual([
      { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'lookup_order', arguments: { orderId: 'A-17' } }] },
    ]);
  });

  it('maps an OpenInference TOOL span: name, arguments and result', () => {
    expect(span('lookup_order')).toMatchObject({
      kind: 'TOOL',
      tool: { name: 'lookup_order', arguments: { orderId: 'A-17' }, result: { status: 'refunded' } },
    });
  });

  it('maps a GenAI chat span: response model, provider, structured messages, tool call, usage, error status', () => {
    const chat = span('chat claude-sonnet');
    expect(chat).toMatchObject({
      kind: 'LLM',
      model: 'claude-sonnet-20250514',
      provider: 'anthropic',
      usage: { inputTokens: 200, outputTokens: 50, totalTokens: 250 },
      status: 'error',
      statusMessage: 'rate limited once',
      toolCalls: [{ id: 'call_w', name: 'get_weather', arguments: { city: 'Paris' } }],
      availableTools: [{ name: 'get_weather', parameters: { type: 'object' } }],
    });
    expect(chat.input).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather in Paris?' },
    ]);
    expect(chat.output).toEqual([
      { role: 'assistant', content: 'Let me check.', toolCalls: [{ id: 'call_w', name: 'get_weather', arguments: { city: 'Paris' } }] },
    ]);
  });

  it('maps a GenAI execute_tool span and the indexed gen_ai.prompt / gen_ai.completion form', () => {
    expect(span('execute_tool get_weather')).toMatchObject({
      kind: 'TOOL',
      otelKind: 'internal',
      tool: { name: 'get_weather', arguments: { city: 'Paris' }, result: 'rainy, 14°C' },
    });
    expect(span('openai.chat')).toMatchObject({
      kind: 'LLM',
      model: 'gpt-4o',
      provider: 'openai',
      input: [{ role: 'user', content: 'Say hi' }],
      output: [{ role: 'assistant', content: 'Hi!' }],
      usage: { inputTokens: 5, outputTokens: 2, totalTokens: 7 },
    });
  });

  it('redacts the e-mail address and the API key before storage, leaving the rest', () => {
    const redactor = createRedactor(['email', 'api_key', 'credit_card']);
    const llm = redactor.redactSpan(span('ChatCompletion'));
    expect(llm.input).toEqual([
      { role: 'system', content: 'You are a support agent.' },
      { role: 'user', content: 'Refund for A-17 please, I am [REDACTED:email]' },
    ]);
    expect(llm.attributes['input.value']).toBe('{"model":"gpt-4.1-mini","api_key":"[REDACTED:api_key]"}');
    expect(llm.attributes['llm.input_messages.1.message.contents.0.message_content.text']).toBe(
      'Refund for A-17 please, I am [REDACTED:email]',
    );
    expect(llm.model).toBe('gpt-4.1-mini');
    // The unredacted span is untouched.
    expect(span('ChatCompletion').attributes['input.value']).toContain('sk-proj-');
  });
});
