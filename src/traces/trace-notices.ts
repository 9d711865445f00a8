import type { Span } from '../core/span.js';

/** Something a person should know about how a trace was read: today, how its spans were mapped. */
export interface TraceNotice {
  readonly kind: 'mapping';
  readonly message: string;
  /** The span it is about; absent when it is about the whole trace. */
  readonly spanId?: string;
}

/** At most this many attribute namespaces are named in the notice. */
const MAX_NAMESPACES = 12;

/**
 * The notices of one trace: each span's mapping notices, and — when no span of the trace mapped to
 * an input or an output — one saying so and naming the attribute namespaces the spans did carry
 * (`ai.*`, `foo.*`), so an unknown convention shows on the first trace instead of as empty scores.
 * @example traceNotices([{ ...span, attributes: { 'foo.prompt': 'hi' } }])[0].message // 'no input/output attributes recognised: saw foo.*'
 */
export function traceNotices(spans: readonly Span[]): TraceNotice[] {
  const notices: TraceNotice[] = [];
  for (const span of spans) for (const message of span.mappingNotices ?? []) notices.push({ kind: 'mapping', message, spanId: span.spanId });
  if (spans.length > 0 && !spans.some((s) => s.input !== undefined || s.output !== undefined)) {
    notices.push({ kind: 'mapping', message: `no input/output attributes recognised: saw ${namespacesOf(spans)}` });
  }
  return notices;
}

function namespacesOf(spans: readonly Span[]): string {
  const seen = new Set<string>();
  for (const span of spans) {
    for (const key of Object.keys(span.attributes)) {
      const dot = key.indexOf('.');
      seen.add(dot > 0 ? `${key.slice(0, dot)}.*` : key);
    }
  }
  if (seen.size === 0) return 'no attributes';
  const names = [...seen].sort();
  return names.length > MAX_NAMESPACES ? `${names.slice(0, MAX_NAMESPACES).join(', ')}, … (${names.length - MAX_NAMESPACES} more)` : names.join(', ');
}
