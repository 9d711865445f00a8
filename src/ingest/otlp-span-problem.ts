import type { OtlpSpan } from './otlp-span.js';

const NANOS_PER_MS = 1_000_000n;
/** 2000-01-01T00:00:00Z: no real span starts before it; a start before it is a unit or clock mistake. */
const EARLIEST_NS = 946_684_800_000n * NANOS_PER_MS;
const DAY_MS = 86_400_000;

/**
 * Why one OTLP span cannot be stored, or `undefined` when it can: a problem the decoder found, a
 * missing or malformed trace, span or parent id (all-zero ids are invalid, as in W3C Trace Context), a
 * missing time, an end before the start, a start before 2000 or an end more than a day after `nowMs`.
 * @example otlpSpanProblem({ ...span, traceId: 'abc' }, Date.now()) // 'traceId "abc" is not 32 hex characters (16 bytes)'
 */
export function otlpSpanProblem(span: OtlpSpan, nowMs: number): string | undefined {
  if (span.problem !== undefined) return span.problem;
  const idProblem = idIssue('traceId', span.traceId, 32) ?? idIssue('spanId', span.spanId, 16);
  if (idProblem !== undefined) return idProblem;
  if (span.parentSpanId !== '' && !ALL_ZERO.test(span.parentSpanId) && !isHex(span.parentSpanId, 16)) {
    return `parentSpanId ${quote(span.parentSpanId)} is not 16 hex characters (8 bytes)`;
  }
  const start = span.startTimeUnixNano;
  const end = span.endTimeUnixNano;
  if (start === 0n) return 'startTimeUnixNano is missing';
  if (end === 0n) return 'endTimeUnixNano is missing';
  if (end < start) return `ends before it starts (endTimeUnixNano ${end} < startTimeUnixNano ${start})`;
  if (start < EARLIEST_NS) return `starts before the year 2000 (startTimeUnixNano ${start}; nanoseconds expected)`;
  const latestNs = BigInt(Math.floor(nowMs + DAY_MS)) * NANOS_PER_MS;
  if (end > latestNs) return `ends more than a day in the future (endTimeUnixNano ${end})`;
  return undefined;
}

const ALL_ZERO = /^0+$/;
const LOWER_HEX = /^[0-9a-f]*$/;

function isHex(id: string, length: number): boolean {
  return id.length === length && LOWER_HEX.test(id);
}

function idIssue(field: string, id: string, length: number): string | undefined {
  if (id === '') return `${field} is missing`;
  if (!isHex(id, length)) return `${field} ${quote(id)} is not ${length} hex characters (${length / 2} bytes)`;
  if (ALL_ZERO.test(id)) return `${field} is all zeros`;
  return undefined;
}

function quote(id: string): string {
  return JSON.stringify(id.length > 40 ? `${id.slice(0, 40)}…` : id);
}
