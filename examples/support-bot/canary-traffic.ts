/**
 * Canary traffic for the production walkthrough: the support bot's live release and a canary of the
 * next one answer the same mix of customer questions and send their traces over OTLP/HTTP (protobuf)
 * with the OpenTelemetry SDK. The canary stopped citing the refund policy in a share of its answers:
 * the online rule's `cites_policy` check sees it, and the canary monitor compares the two releases.
 *
 *   EVALOPS_API_KEY=eo_… npx tsx examples/support-bot/canary-traffic.ts [--endpoint URL] [--traces 800]
 *   EVALOPS_API_KEY=eo_… EVALOPS_RESOLVE_KEY=eo_… npx tsx examples/support-bot/canary-traffic.ts   # releases from the resolver
 *
 * With a resolver (a `resolve` key), the app asks EvalOps which release each customer gets — the
 * canary's share by a sticky hash of the customer id — and answers with that release's config: its
 * model id and system prompt go on the LLM span, its name on the trace. Without one, a seeded coin
 * sends `canaryShare` of the traffic to the canary.
 *
 * Deterministic: the same seed gives the same traces (ids aside).
 */
import { OpenInferenceSpanKind, SemanticConventions as OI } from '@arizeai/openinference-semantic-conventions';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';
import type { ReleaseConfig } from '../../src/core/release-config.js';
import { renderTemplate } from '../../src/core/template.js';
import { seededRandom } from '../../src/core/stats/seeded-random.js';
import { createResolver, type Resolver } from '../../src/resolver/create-resolver.js';

export interface CanaryTrafficOptions {
  readonly endpoint: string;
  readonly apiKey: string;
  readonly traces: number;
  /** Share of traffic on the canary (0..1). */
  readonly canaryShare: number;
  readonly live: { readonly release: string; readonly citesPolicy: number };
  readonly canary: { readonly release: string; readonly citesPolicy: number };
  readonly seed?: number;
  /** Start of the first trace (ms); traces are spaced `spacingMs` apart. Default: now − traces × spacing. */
  readonly startMs?: number;
  readonly spacingMs?: number;
  /**
   * How the app names its release: the span attribute `evalops.release` (default; one process sends
   * both sides), or the OTel resource attribute `service.version`, as a deployed app would (one
   * tracer provider per release).
   */
  readonly stamp?: 'evalops.release' | 'service.version';
  /**
   * Which release (and config) each customer gets, from EvalOps (`createResolver`); without it a
   * seeded coin picks the side with `canaryShare`. Only with the `evalops.release` stamp.
   */
  readonly resolver?: Pick<Resolver, 'resolve'>;
}

export interface CanaryTrafficResult {
  readonly sent: { readonly release: string; readonly traces: number; readonly citing: number }[];
  readonly traceIds: string[];
  /** Every trace: its id, release, and whether the answer cited the policy. */
  readonly traces: { readonly traceId: string; readonly release: string; readonly cites: boolean }[];
}

const QUESTIONS = ['I want a refund for order A1001, it arrived broken.', 'Can I return shoes I wore once?', 'My refund for A1007 has not arrived after two weeks.', 'Do you refund shipping costs?'];

export async function sendCanaryTraffic(o: CanaryTrafficOptions): Promise<CanaryTrafficResult> {
  // Seeded, so the walkthrough and the tests see the same traffic.
  const seeded = seededRandom(o.seed ?? 7);
  const random = (): number => seeded.next();
  const spacing = o.spacingMs ?? 1000;
  const start = o.startMs ?? Date.now() - o.traces * spacing;
  const endpoint = o.endpoint.replace(/\/+$/, '');
  const byVersion = o.stamp === 'service.version';
  const providerFor = (version: string | undefined): BasicTracerProvider =>
    new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'support-bot', 'deployment.environment.name': 'production', ...(version === undefined ? {} : { 'service.version': version }) }),
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint}/v1/traces`, headers: { Authorization: `Bearer ${o.apiKey}` } }), { maxExportBatchSize: 512, scheduledDelayMillis: 200 })],
    });
  const providers = byVersion ? [providerFor(o.live.release), providerFor(o.canary.release)] : [providerFor(undefined)];
  const tracers = providers.map((p) => p.getTracer('support-bot-canary', '1.0.0'));
  const counts = new Map<string, { traces: number; citing: number }>();
  const traceIds: string[] = [];
  const sentTraces: { traceId: string; release: string; cites: boolean }[] = [];
  for (let i = 0; i < o.traces; i++) {
    const subject = `C-${i % 300}`;
    const resolved = byVersion ? undefined : o.resolver?.resolve(subject);
    const onCanary = resolved === undefined ? random() < o.canaryShare : resolved.release === o.canary.release;
    const side = onCanary ? o.canary : o.live;
    const cites = random() < side.citesPolicy;
    const question = QUESTIONS[i % QUESTIONS.length] as string;
    const answer = cites ? 'I have issued your refund; per our refund policy it reaches your card within 5 working days.' : 'I have issued your refund. It should arrive soon.';
    const t0 = start + i * spacing;
    const tracer = (byVersion && onCanary ? tracers[1] : tracers[0]) as (typeof tracers)[number];
    const root = tracer.startSpan('support-agent', { kind: SpanKind.SERVER, startTime: t0 }, ROOT_CONTEXT);
    root.setAttributes({
      [OI.OPENINFERENCE_SPAN_KIND]: OpenInferenceSpanKind.AGENT,
      [OI.INPUT_VALUE]: question,
      [OI.SESSION_ID]: `chat-${i % 200}`,
      [OI.USER_ID]: subject,
      ...(byVersion ? {} : { 'evalops.release': side.release }),
      'evalops.slice.intent': 'refund',
    });
    const llm = tracer.startSpan('ChatCompletion', { kind: SpanKind.CLIENT, startTime: t0 + 5 }, trace.setSpan(ROOT_CONTEXT, root));
    llm.setAttributes({
      [OI.OPENINFERENCE_SPAN_KIND]: OpenInferenceSpanKind.LLM,
      [OI.LLM_MODEL_NAME]: resolved?.config?.model?.id ?? (onCanary ? 'support-rules-v3' : 'support-rules-v2'),
      ...messagesIn(resolved?.config ?? null, question),
      [`${OI.LLM_OUTPUT_MESSAGES}.0.${OI.MESSAGE_ROLE}`]: 'assistant',
      [`${OI.LLM_OUTPUT_MESSAGES}.0.${OI.MESSAGE_CONTENT}`]: answer,
      [OI.LLM_TOKEN_COUNT_PROMPT]: 120,
      [OI.LLM_TOKEN_COUNT_COMPLETION]: 30,
      [OI.LLM_COST_TOTAL]: 0.0004,
    });
    llm.setStatus({ code: SpanStatusCode.OK });
    llm.end(t0 + 300 + Math.floor(random() * 400));
    root.setAttribute(OI.OUTPUT_VALUE, answer);
    root.setStatus({ code: SpanStatusCode.OK });
    root.end(t0 + 320 + Math.floor(random() * 400));
    traceIds.push(root.spanContext().traceId);
    sentTraces.push({ traceId: root.spanContext().traceId, release: side.release, cites });
    const c = counts.get(side.release) ?? { traces: 0, citing: 0 };
    c.traces += 1;
    if (cites) c.citing += 1;
    counts.set(side.release, c);
  }
  for (const provider of providers) {
    await provider.forceFlush();
    await provider.shutdown();
  }
  return { sent: [...counts].map(([release, c]) => ({ release, ...c })), traceIds, traces: sentTraces };
}

/** The LLM span's input messages: the release config's system prompt (when there is one), then the question. */
function messagesIn(config: ReleaseConfig | null, question: string): Record<string, string> {
  const system = config?.prompts?.['system']?.template;
  const messages = [...(system === undefined ? [] : [{ role: 'system', content: renderTemplate(system, { input: { message: question, lang: 'en' } }) }]), { role: 'user', content: question }];
  return Object.fromEntries(messages.flatMap((m, i) => [[`${OI.LLM_INPUT_MESSAGES}.${i}.${OI.MESSAGE_ROLE}`, m.role], [`${OI.LLM_INPUT_MESSAGES}.${i}.${OI.MESSAGE_CONTENT}`, m.content]]));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      endpoint: { type: 'string', default: process.env['EVALOPS_ENDPOINT'] ?? 'http://127.0.0.1:8787' },
      traces: { type: 'string', default: '800' },
      live: { type: 'string', default: '2.0.0' },
      canary: { type: 'string', default: '2.1.0' },
    },
  });
  const apiKey = process.env['EVALOPS_API_KEY'];
  if (!apiKey) throw new Error('set EVALOPS_API_KEY to an ingest key: evalops keys create --role ingest --project support-bot');
  // The app's releases come from EvalOps when it has a resolve key; the bundled config of the live
  // release is what it answers with should EvalOps be unreachable.
  const resolveKey = process.env['EVALOPS_RESOLVE_KEY'];
  const fallback = JSON.parse(readFileSync(new URL('./releases/2.0.0.json', import.meta.url), 'utf8')) as ReleaseConfig;
  const resolver = resolveKey ? createResolver({ url: values.endpoint, key: resolveKey, project: 'support-bot', fallback: { release: values.live, config: fallback } }) : undefined;
  await resolver?.ready();
  const result = await sendCanaryTraffic({ endpoint: values.endpoint, apiKey, traces: Number(values.traces), canaryShare: 0.3, live: { release: values.live, citesPolicy: 0.92 }, canary: { release: values.canary, citesPolicy: 0.7 }, ...(resolver ? { resolver } : {}) });
  resolver?.close();
  process.stdout.write(`${result.sent.map((s) => `${s.release}: ${s.traces} traces, ${s.citing} citing the policy`).join('; ')}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e: unknown) => {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  });
}
