import { z } from 'zod';
import { NewFeedbackSchema, type FeedbackRecord } from '../core/feedback.js';
import { SpanEventSchema, SpanSchema } from '../core/span.js';
import type { FeedbackSummary } from '../traces/feedback-summary.js';
import type { SessionSummary } from '../traces/session-summary.js';
import { parseTraceListQuery, SessionListQuerySchema, toSessionListParams, toTraceListParams, TraceListQuerySchema } from '../traces/trace-query.js';
import {
  getSession as sessionWithTraces,
  listSessions as sessionPage,
  listTraces as tracePage,
  promoteTraces as promoteIntoDataset,
  selectTraceIds,
  traceSpans,
} from '../traces/trace-service.js';
import { traceNotices, type TraceNotice } from '../traces/trace-notices.js';
import type { TraceSummary } from '../traces/trace-summary.js';
import { ProjectParams } from './api-schemas.js';
import { defineOperation } from './operation.js';
import { projectId } from './project-id.js';

/**
 * Traces in use: the filtered list with cursor paging, one trace's spans, feedback, sessions, and
 * promotion into a dataset version. `evalops traces list|show|sessions|session|promote`. The list
 * queries are the schemas of src/traces/trace-query.ts, so the API and the CLI's flags accept the
 * same values.
 */

export const FeedbackSummarySchema = z.object({
  count: z.number().int(),
  up: z.number().int(),
  down: z.number().int(),
  comments: z.number().int(),
  signals: z.record(z.string(), z.object({ count: z.number().int(), mean: z.number() })),
}) satisfies z.ZodType<FeedbackSummary>;

export const TraceSummarySchema = z.object({
  traceId: z.string(),
  name: z.string(),
  kind: z.string(),
  startTimeMs: z.number(),
  durationMs: z.number(),
  spans: z.number().int(),
  errors: z.number().int(),
  status: z.string().describe("the root span's status in the span's words: unset, ok or error"),
  sessionId: z.string().optional(),
  userId: z.string().optional(),
  release: z.string().optional(),
  model: z.string().optional(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  costUsd: z.number().optional(),
  feedback: FeedbackSummarySchema,
}) satisfies z.ZodType<TraceSummary>;

/** A trace of the list: its summary, previews of its root span's input and output, its online verdicts. */
export const TraceListItemSchema = TraceSummarySchema.extend({
  inputPreview: z.string().optional().describe("the root span's input on one line, at most 160 characters (chat: the last user message)"),
  outputPreview: z.string().optional().describe("the root span's output on one line, at most 160 characters (chat: the last message)"),
  online: z.array(z.object({ metric: z.string(), status: z.string(), pass: z.boolean().nullable() })).describe('what the online rules scored on the trace, by metric'),
});

export const SessionSummarySchema = z.object({
  sessionId: z.string(),
  userId: z.string().optional(),
  traces: z.number().int(),
  spans: z.number().int(),
  errors: z.number().int(),
  firstTimeMs: z.number(),
  lastTimeMs: z.number().describe('The latest end of any span of its traces'),
  lastActivityMs: z.number().describe("The latest end of a span naming the session: the list's order and the cursor's position"),
  inputTokens: z.number(),
  outputTokens: z.number(),
  totalTokens: z.number(),
  costUsd: z.number(),
  feedback: FeedbackSummarySchema,
}) satisfies z.ZodType<SessionSummary>;

export const FeedbackRecordSchema = z.object({
  id: z.string(),
  traceId: z.string(),
  kind: z.enum(['thumbs', 'text', 'signal']),
  value: z.number().nullable(),
  name: z.string().nullable(),
  comment: z.string().nullable(),
  userId: z.string().nullable(),
  createdAt: z.string(),
}) satisfies z.ZodType<FeedbackRecord>;

/**
 * A span as the API answers it. Attribute values are any JSON; described as such rather than by the
 * recursive JSON-value schema, which the OpenAPI generator cannot follow.
 */
const AnyAttributes = z.record(z.string(), z.unknown());
export const ApiSpanSchema = SpanSchema.extend({ attributes: AnyAttributes, resource: AnyAttributes, events: z.array(SpanEventSchema.extend({ attributes: AnyAttributes })) });

export const TraceNoticeSchema = z.object({ kind: z.enum(['mapping']), message: z.string(), spanId: z.string().optional() }) satisfies z.ZodType<TraceNotice>;

const TraceId = z
  .string()
  .regex(/^[0-9a-fA-F]{32}$/, 'must be 32 hex characters')
  .transform((id) => id.toLowerCase());
const TraceParams = ProjectParams.extend({ traceId: TraceId });
const SessionParams = ProjectParams.extend({ sessionId: z.string().min(1).max(500) });
const DatasetName = z.string().regex(/^[A-Za-z0-9][\w.-]*$/, 'dataset names use letters, digits, ".", "_" and "-"').max(200);
const NextCursor = z.string().optional().describe('the next page: pass it as `cursor`; absent on the last page');

/** Named traces, or those a list filter selects (the list's query parameters as an object). */
const PromoteBody = z
  .strictObject({
    dataset: DatasetName,
    traceIds: z.array(TraceId).min(1).max(10_000).optional(),
    filter: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])).optional().describe('the query parameters of the trace list, e.g. { "hasFeedback": "negative", "limit": 50 }'),
  })
  .refine((b) => (b.traceIds === undefined) !== (b.filter === undefined), { message: 'give traceIds or filter, one of them', path: ['traceIds'] });

export const listTraces = defineOperation({
  id: 'listTraces',
  method: 'get',
  path: '/projects/{project}/traces',
  summary: 'Traces of a project by their root span, filtered, newest first, a page at a time (keyset cursor)',
  tags: ['traces'],
  permission: 'traces:read',
  params: ProjectParams,
  query: TraceListQuerySchema,
  response: z.object({ project: z.string(), traces: z.array(TraceListItemSchema), nextCursor: NextCursor }),
  async handle(ctx, { params, query }) {
    const page = await tracePage(ctx.store, params.project, toTraceListParams(query));
    return { project: params.project, traces: [...page.items], ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  },
});

export const getTrace = defineOperation({
  id: 'getTrace',
  method: 'get',
  path: '/projects/{project}/traces/{traceId}',
  summary: 'Every span of one trace, in start order: inputs, outputs, tool calls, model, tokens, cost, timing, attributes',
  tags: ['traces'],
  permission: 'traces:read',
  params: TraceParams,
  response: z.object({
    project: z.string(),
    traceId: z.string(),
    spans: z.array(ApiSpanSchema),
    notices: z.array(TraceNoticeSchema).describe('how the spans were read: malformed attributes, or no input/output recognised (naming the attribute namespaces seen)'),
  }),
  async handle(ctx, { params }) {
    const spans = await traceSpans(ctx.store, params.project, params.traceId);
    return { project: params.project, traceId: params.traceId, spans, notices: traceNotices(spans) };
  },
});

// Feedback comes from the application (an ingest key is enough) or from people reviewing traces.
export const addTraceFeedback = defineOperation({
  id: 'addTraceFeedback',
  method: 'post',
  path: '/projects/{project}/traces/{traceId}/feedback',
  summary: 'Records feedback on a trace: thumbs, text, or a named signal',
  tags: ['traces'],
  permission: 'traces:write',
  params: TraceParams,
  body: NewFeedbackSchema,
  response: FeedbackRecordSchema,
  status: 201,
  async handle(ctx, { params, body }) {
    await traceSpans(ctx.store, params.project, params.traceId); // 404 for a trace that was never ingested
    return ctx.store.feedback.add(await projectId(ctx.store, params.project), params.traceId, body);
  },
});

export const listTraceFeedback = defineOperation({
  id: 'listTraceFeedback',
  method: 'get',
  path: '/projects/{project}/traces/{traceId}/feedback',
  summary: 'The feedback on one trace, oldest first',
  tags: ['traces'],
  permission: 'traces:read',
  params: TraceParams,
  response: z.object({ traceId: z.string(), feedback: z.array(FeedbackRecordSchema) }),
  async handle(ctx, { params }) {
    await traceSpans(ctx.store, params.project, params.traceId); // 404 for a trace the project never ingested, as for one that does not exist
    return { traceId: params.traceId, feedback: await ctx.store.feedback.forTrace(await projectId(ctx.store, params.project), params.traceId) };
  },
});

export const listSessions = defineOperation({
  id: 'listSessions',
  method: 'get',
  path: '/projects/{project}/sessions',
  summary: 'Sessions (conversations), the most recently active first: traces, time, tokens, cost, errors, feedback. Order and filters (since, until, release, user) look at the spans that name the session',
  tags: ['traces'],
  permission: 'traces:read',
  params: ProjectParams,
  query: SessionListQuerySchema,
  response: z.object({ project: z.string(), sessions: z.array(SessionSummarySchema), nextCursor: NextCursor }),
  async handle(ctx, { params, query }) {
    const page = await sessionPage(ctx.store, params.project, toSessionListParams(query));
    return { project: params.project, sessions: [...page.items], ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  },
});

export const getSession = defineOperation({
  id: 'getSession',
  method: 'get',
  path: '/projects/{project}/sessions/{sessionId}',
  summary: 'One session and its traces, oldest first',
  tags: ['traces'],
  permission: 'traces:read',
  params: SessionParams,
  response: z.object({ project: z.string(), session: SessionSummarySchema, traces: z.array(TraceListItemSchema) }),
  async handle(ctx, { params }) {
    return { project: params.project, ...(await sessionWithTraces(ctx.store, params.project, params.sessionId)) };
  },
});

export const promoteTraces = defineOperation({
  id: 'promoteTraces',
  method: 'post',
  path: '/projects/{project}/traces/promote',
  summary: 'Adds traces (named, or those a list filter selects) to a new version of a dataset, as examples with source: trace',
  tags: ['traces'],
  permission: 'datasets:write',
  params: ProjectParams,
  body: PromoteBody,
  response: z.object({
    project: z.string(),
    dataset: z.string(),
    version: z.string().describe('the hash of the dataset version holding the traces'),
    created: z.boolean().describe('false when the version already held these examples'),
    promoted: z.number().int(),
    examples: z.number().int(),
    traceIds: z.array(z.string()),
  }),
  statusOf: (r) => (r.created ? 201 : 200),
  async handle(ctx, { params, body }) {
    // The filter is a query of the trace list, checked as one; numbers and booleans as a query string carries them.
    const traceIds =
      body.traceIds ??
      (await selectTraceIds(
        ctx.store,
        params.project,
        parseTraceListQuery(
          Object.fromEntries(Object.entries(body.filter ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v : String(v)])),
          'input',
          (p) => `body field filter.${p}`,
        ),
      ));
    const r = await promoteIntoDataset(ctx.store, params.project, traceIds, body.dataset);
    return { project: params.project, dataset: r.dataset, version: r.version.hash, created: r.created, promoted: r.promoted, examples: r.examples, traceIds };
  },
});
