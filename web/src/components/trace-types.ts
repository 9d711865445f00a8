import type { operations } from '../api/schema.gen';

/** The shapes of the trace pages, from the generated API types. */

type Answer<K extends keyof operations> = operations[K]['responses'] extends { 200: { content: { 'application/json': infer T } } } ? T : never;

export type TraceListAnswer = Answer<'listTraces'>;
export type TraceSummary = TraceListAnswer['traces'][number];
export type TraceQuery = NonNullable<operations['listTraces']['parameters']['query']>;
export type SessionListAnswer = Answer<'listSessions'>;
export type SessionSummary = SessionListAnswer['sessions'][number];
export type SessionWithTraces = Answer<'getSession'>;
export type TraceDetail = Answer<'getTrace'>;
export type Span = TraceDetail['spans'][number];
export type SpanMessage = Exclude<NonNullable<Span['input']>, string>[number];
export type FeedbackItem = Answer<'listTraceFeedback'>['feedback'][number];
export type FeedbackSummary = TraceSummary['feedback'];
