import type { OtlpSpan } from '../otlp-span.js';
import { aiSdkConvention } from './ai-sdk-convention.js';
import { genAiConvention } from './genai-convention.js';
import { openInferenceConvention } from './openinference-convention.js';
import type { ConventionName, SpanConvention, SpanDraft } from './span-convention.js';
import { traceloopConvention } from './traceloop-convention.js';

/** Every convention by name: a new name without a mapper does not compile. */
const BY_NAME: Readonly<Record<ConventionName, SpanConvention>> = {
  openinference: openInferenceConvention,
  'ai-sdk': aiSdkConvention,
  traceloop: traceloopConvention,
  genai: genAiConvention,
};

/**
 * The order in which conventions read a span; the first to set a field keeps it (docs/integrations.md,
 * "Precedence"). OpenInference first: a span that declares `openinference.span.kind` says what it is
 * (OpenInference span processors also rewrite AI SDK spans into it). Then the two framework
 * conventions, recognised by their tracer's name: the AI SDK's `ai.*` and Traceloop's entities, whose
 * spans also carry some `gen_ai.*` attributes that they read more fully. The generic GenAI conventions
 * last, filling whatever is left.
 */
export const CONVENTION_PRECEDENCE: readonly ConventionName[] = ['openinference', 'ai-sdk', 'traceloop', 'genai'];

const ORDERED: readonly SpanConvention[] = CONVENTION_PRECEDENCE.map((name) => BY_NAME[name]);

/**
 * Session and user ids, in the order they are looked up (first found wins), one key per convention:
 * OpenInference, the GenAI conventions, the AI SDK's telemetry metadata, Traceloop's association
 * properties. Keyed lookups on every span; documented in docs/integrations.md.
 */
export const SESSION_ID_KEYS: readonly string[] = [
  'session.id',
  'gen_ai.conversation.id',
  'ai.telemetry.metadata.sessionId',
  'ai.telemetry.metadata.session_id',
  'traceloop.association.properties.session_id',
];
export const USER_ID_KEYS: readonly string[] = [
  'user.id',
  'enduser.id',
  'ai.telemetry.metadata.userId',
  'ai.telemetry.metadata.user_id',
  'traceloop.association.properties.user_id',
];

/** Runs every convention that applies to the span, in precedence order, into a new draft. */
export function readConventions(span: OtlpSpan): SpanDraft {
  const draft: SpanDraft = { usage: {} };
  for (const convention of ORDERED) if (convention.applies(span)) convention.map(span, draft);
  return draft;
}
