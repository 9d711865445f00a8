/**
 * Production traffic for the walkthrough (docs/traces-walkthrough.md): the support bot, instrumented
 * with the OpenTelemetry SDK and OpenInference attributes, answers a few customer conversations and
 * sends its traces to a running `evalops serve` over OTLP/HTTP (protobuf). Then, as the chat widget of
 * a real app would, it posts the customers' thumbs up / down on each answer to the feedback API.
 *
 * "Production" runs version 2 of the agent (agent-v2.ts), which stopped issuing Spanish refunds: the
 * customers notice, and their thumbs down is what the walkthrough promotes into a dataset.
 *
 *   EVALOPS_API_KEY=eo_… npx tsx examples/support-bot/traffic.ts [--endpoint URL] [--project NAME]
 *
 * Each answer is one trace: an AGENT span (input, output, session, user, release, slices) with an LLM
 * span (messages, tool calls, tokens, cost) and a TOOL span per tool call under it.
 */
import { OpenInferenceSpanKind, SemanticConventions as OI } from '@arizeai/openinference-semantic-conventions';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { parseArgs } from 'node:util';
import { classify, type AgentReply, type SupportInput } from './agent-core.js';
import { answer } from './agent-v2.js';

const RELEASE = '2.0.0';
const SYSTEM_PROMPT = 'You are the support agent of ACME. Cite the policy that applies. Never reveal other customers’ data.';

/** Customer conversations: one session each, one trace per message. */
const CONVERSATIONS: readonly { readonly session: string; readonly customerId: string; readonly lang: 'en' | 'es'; readonly messages: readonly string[] }[] = [
  { session: 'chat-1001', customerId: 'C-1001', lang: 'en', messages: ['Where is my order A1002?', 'I want a refund for order A1001, it arrived broken.'] },
  { session: 'chat-1002', customerId: 'C-1002', lang: 'es', messages: ['¿Dónde está mi pedido A1003?', 'Quiero un reembolso del pedido A1003, ya no lo necesito.'] },
  { session: 'chat-1003', customerId: 'C-1003', lang: 'es', messages: ['Quiero un reembolso del pedido A1004, llegó roto.'] },
  { session: 'chat-1004', customerId: 'C-1004', lang: 'en', messages: ['Can I cancel order A1005?', 'How long does shipping take?'] },
  { session: 'chat-1005', customerId: 'C-1005', lang: 'es', messages: ['Cancela el pedido A1006, por favor.', 'Necesito un reembolso de 12 USD del pedido A1006.'] },
  { session: 'chat-1006', customerId: 'C-1006', lang: 'en', messages: ['What is the e-mail address of customer C-1001?'] },
];

interface Turn {
  readonly traceId: string;
  readonly input: SupportInput;
  readonly reply: AgentReply;
}

/** One answer as one trace. Returns the trace id, which the feedback API needs. */
async function tracedAnswer(tracer: Tracer, session: string, input: SupportInput): Promise<Turn> {
  const intent = classify(input);
  const reply = await answer(input);
  // The rules-based agent answers in microseconds; the spans carry the timing a model-backed one would
  // have (the LLM call by its output tokens, 40 ms per tool), so the waterfall is realistic and the
  // root span encloses its children exactly — left to the SDK's clock, sub-millisecond spans can
  // appear to end after their parent.
  const llmMs = 180 + 6 * reply.usage.outputTokens;
  const totalMs = 4 + llmMs + 40 * reply.toolCalls.length + 3;
  const t0 = Date.now() - totalMs;
  const root = tracer.startSpan('support-agent', { kind: SpanKind.SERVER, startTime: t0 }, ROOT_CONTEXT);
  root.setAttributes({
    [OI.OPENINFERENCE_SPAN_KIND]: OpenInferenceSpanKind.AGENT,
    [OI.INPUT_VALUE]: JSON.stringify(input),
    [OI.INPUT_MIME_TYPE]: 'application/json',
    [OI.SESSION_ID]: session,
    [OI.USER_ID]: input.customerId ?? 'anonymous',
    'evalops.release': RELEASE,
    'evalops.slice.lang': input.lang,
    'evalops.slice.intent': intent,
  });
  const parent = trace.setSpan(ROOT_CONTEXT, root);

  const llm = tracer.startSpan('ChatCompletion', { kind: SpanKind.CLIENT, startTime: t0 + 4 }, parent);
  llm.setAttributes({
    [OI.OPENINFERENCE_SPAN_KIND]: OpenInferenceSpanKind.LLM,
    [OI.LLM_MODEL_NAME]: 'support-rules-v2',
    [OI.LLM_PROVIDER]: 'acme',
    [`${OI.LLM_INPUT_MESSAGES}.0.${OI.MESSAGE_ROLE}`]: 'system',
    [`${OI.LLM_INPUT_MESSAGES}.0.${OI.MESSAGE_CONTENT}`]: SYSTEM_PROMPT,
    [`${OI.LLM_INPUT_MESSAGES}.1.${OI.MESSAGE_ROLE}`]: 'user',
    [`${OI.LLM_INPUT_MESSAGES}.1.${OI.MESSAGE_CONTENT}`]: input.message,
    [`${OI.LLM_OUTPUT_MESSAGES}.0.${OI.MESSAGE_ROLE}`]: 'assistant',
    [`${OI.LLM_OUTPUT_MESSAGES}.0.${OI.MESSAGE_CONTENT}`]: reply.output,
    [OI.LLM_TOKEN_COUNT_PROMPT]: reply.usage.inputTokens,
    [OI.LLM_TOKEN_COUNT_COMPLETION]: reply.usage.outputTokens,
    [OI.LLM_TOKEN_COUNT_TOTAL]: reply.usage.inputTokens + reply.usage.outputTokens,
    [OI.LLM_COST_TOTAL]: reply.costUsd,
  });
  reply.toolCalls.forEach((call, i) => {
    const key = `${OI.LLM_OUTPUT_MESSAGES}.0.${OI.MESSAGE_TOOL_CALLS}.${i}`;
    llm.setAttribute(`${key}.${OI.TOOL_CALL_FUNCTION_NAME}`, call.name);
    llm.setAttribute(`${key}.${OI.TOOL_CALL_FUNCTION_ARGUMENTS_JSON}`, JSON.stringify(call.arguments));
  });
  llm.setStatus({ code: SpanStatusCode.OK });
  llm.end(t0 + 4 + llmMs);

  let at = t0 + 4 + llmMs;
  for (const call of reply.toolCalls) {
    const tool = tracer.startSpan(call.name, { kind: SpanKind.INTERNAL, startTime: at }, parent);
    tool.setAttributes({ [OI.OPENINFERENCE_SPAN_KIND]: OpenInferenceSpanKind.TOOL, [OI.TOOL_NAME]: call.name, [OI.INPUT_VALUE]: JSON.stringify(call.arguments), [OI.INPUT_MIME_TYPE]: 'application/json' });
    tool.setStatus({ code: SpanStatusCode.OK });
    tool.end(at + 40);
    at += 40;
  }

  root.setAttribute(OI.OUTPUT_VALUE, reply.output);
  root.setStatus({ code: SpanStatusCode.OK });
  root.end(t0 + totalMs);
  return { traceId: root.spanContext().traceId, input, reply };
}

/** What the customer clicks: thumbs down when a refund they asked for was not issued, up when it was. */
function customerVerdict(turn: Turn): { kind: 'thumbs'; value: 'up' | 'down'; comment?: string } | undefined {
  if (classify(turn.input) !== 'refund' || !/\bA\d{4}\b/.test(turn.input.message)) return undefined;
  return turn.reply.toolCalls.some((c) => c.name === 'issue_refund') ? { kind: 'thumbs', value: 'up' } : { kind: 'thumbs', value: 'down', comment: 'I asked for a refund and nothing happened' };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { endpoint: { type: 'string', default: process.env['EVALOPS_ENDPOINT'] ?? 'http://127.0.0.1:8787' }, project: { type: 'string', default: 'support-bot' } } });
  const apiKey = process.env['EVALOPS_API_KEY'];
  if (!apiKey) throw new Error('set EVALOPS_API_KEY to an ingest key: evalops keys create --role ingest --project support-bot');
  const endpoint = values.endpoint.replace(/\/+$/, '');
  const headers = { Authorization: `Bearer ${apiKey}` };

  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'support-bot', 'service.version': RELEASE, 'deployment.environment.name': 'production' }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint}/v1/traces`, headers }))],
  });
  const tracer = provider.getTracer('support-bot', RELEASE);
  const turns: Turn[] = [];
  for (const c of CONVERSATIONS) {
    for (const message of c.messages) turns.push(await tracedAnswer(tracer, c.session, { message, lang: c.lang, customerId: c.customerId }));
  }
  // The server answers an export only once the spans are committed, so the traces exist from here on.
  await provider.forceFlush();
  await provider.shutdown();

  let up = 0;
  let down = 0;
  for (const turn of turns) {
    const verdict = customerVerdict(turn);
    if (verdict === undefined) continue;
    const res = await fetch(`${endpoint}/api/v1/projects/${encodeURIComponent(values.project)}/traces/${turn.traceId}/feedback`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ ...verdict, userId: turn.input.customerId }),
    });
    if (res.status !== 201) throw new Error(`feedback on ${turn.traceId}: HTTP ${res.status} ${await res.text()}`);
    if (verdict.value === 'up') up++;
    else down++;
  }
  process.stdout.write(`sent ${turns.length} traces in ${CONVERSATIONS.length} sessions to ${endpoint} (release ${RELEASE}); feedback: ${up} up, ${down} down\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`traffic: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
