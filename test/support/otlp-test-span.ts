import type { JsonValue } from '../../src/core/json.js';
import type { OtlpSpan } from '../../src/ingest/otlp-span.js';

/** An OTLP span for the conventions' unit tests: a root span of `scope` with these attributes. */
export function testSpan(attributes: Record<string, JsonValue>, over: Partial<OtlpSpan> = {}): OtlpSpan {
  return {
    resource: {},
    scope: { name: '', version: '' },
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: 'eee19b7ec3c1b174',
    parentSpanId: '',
    name: 'span',
    kind: 1,
    startTimeUnixNano: 1_750_000_000_000_000_000n,
    endTimeUnixNano: 1_750_000_000_250_000_000n,
    attributes,
    events: [],
    statusCode: 0,
    statusMessage: '',
    ...over,
  };
}
