import type { Span } from '../core/span.js';

/** How a batch of mapped spans fared, for the server's counters. */
export interface MappingCounts {
  /** Spans with at least one mapping notice. */
  readonly withNotices: number;
  /** Root spans (no parent) with neither input nor output: no convention recognised them. */
  readonly rootsWithoutIo: number;
}

/**
 * Counts the spans of one request that the mapping could not read fully. A root span is what online
 * rules score and promotion copies, so one without input or output is a trace they will see nothing
 * of; its descendants may arrive in other requests, so this counts roots, not traces.
 * @example mappingCounts([{ ...root, input: undefined, output: undefined }]) // { withNotices: 0, rootsWithoutIo: 1 }
 */
export function mappingCounts(spans: readonly Span[]): MappingCounts {
  let withNotices = 0;
  let rootsWithoutIo = 0;
  for (const span of spans) {
    if (span.mappingNotices !== undefined) withNotices++;
    if (span.parentSpanId === undefined && span.input === undefined && span.output === undefined) rootsWithoutIo++;
  }
  return { withNotices, rootsWithoutIo };
}
