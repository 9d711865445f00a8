import { EvalOpsError } from '../core/errors.js';
import type { Example } from '../core/example.js';
import type { FeedbackRecord } from '../core/feedback.js';
import { SpanIoSchema, type Span, type SpanIo } from '../core/span.js';
import { previewSpanIo } from '../core/span-preview.js';
import { addExamples } from '../datasets/add-examples.js';
import type { DatasetVersionRecord } from '../store/dataset-repository.js';
import { SessionQueries, type SessionActivity } from '../store/session-queries.js';
import { SpanQueries, type SpanHead } from '../store/span-queries.js';
import type { Store } from '../store/store.js';
import { encodePageCursor } from './page-cursor.js';
import { summariseFeedbackCounts } from './feedback-summary.js';
import { summariseSession, type SessionSummary } from './session-summary.js';
import type { SessionListParams, TraceListParams } from './trace-query.js';
import { summariseTrace, type TraceSummary } from './trace-summary.js';
import { traceToExample } from './trace-to-example.js';

/**
 * Traces in use: lists and sessions over ingested spans, one trace's span tree, and promotion of
 * traces into a dataset version. Every function takes the store and the project's name.
 */

/** A page of a list; `nextCursor` is absent on the last page. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor?: string;
}

/** Traces of a project by their root span, filtered, in time order (newest first by default). */
export async function listTraces(store: Store, projectName: string, params: TraceListParams): Promise<Page<TraceListItem>> {
  const projectId = await projectIdOf(store, projectName);
  const roots = await queriesOf(store).traceRoots({ ...params, ...(await releaseAliases(store, projectId, params.release)), projectId, limit: params.limit + 1 });
  const page = roots.slice(0, params.limit);
  const last = page.at(-1);
  const items = await summarise(store, projectId, page.map((r) => r.traceId));
  return { items, ...(roots.length > params.limit && last ? { nextCursor: encodePageCursor({ timeMs: last.startTimeMs, id: last.traceId }) } : {}) };
}

/** Ids of the traces a filter selects (for promoting a filtered set), in the filter's order. */
export async function selectTraceIds(store: Store, projectName: string, params: TraceListParams): Promise<string[]> {
  const projectId = await projectIdOf(store, projectName);
  return (await queriesOf(store).traceRoots({ ...params, ...(await releaseAliases(store, projectId, params.release)), projectId })).map((r) => r.traceId);
}

/** Every span of one trace, in start order. */
export async function traceSpans(store: Store, projectName: string, traceId: string): Promise<Span[]> {
  const projectId = await projectIdOf(store, projectName);
  const spans = await store.spans.list({ projectId, traceId: traceId.toLowerCase() });
  if (spans.length === 0) throw new EvalOpsError('not_found', `trace ${traceId} not found in project ${projectName}`);
  return spans;
}

/**
 * Sessions of a project, the most recently active first (by the latest end of a span naming the
 * session). The page's ids come first, from the index; figures and feedback for those only.
 */
export async function listSessions(store: Store, projectName: string, params: SessionListParams): Promise<Page<SessionSummary>> {
  const projectId = await projectIdOf(store, projectName);
  const queries = new SessionQueries(store.db, store.dialect);
  const found = await queries.sessionPage({ ...params, ...(await releaseAliases(store, projectId, params.release)), projectId, limit: params.limit + 1 });
  const page = found.slice(0, params.limit);
  const items = await summariseSessions(store, projectId, page);
  const last = page.at(-1);
  return { items, ...(found.length > params.limit && last ? { nextCursor: encodePageCursor({ timeMs: last.lastActivityMs, id: last.sessionId }) } : {}) };
}

/**
 * A release filter widened to every string spans may carry for the release (its names and variant),
 * so `--release 2.1.0` and `--release <variant>` list the same traces; an unknown name matches itself.
 */
async function releaseAliases(store: Store, projectId: string, release: string | readonly string[] | undefined): Promise<{ release?: readonly string[] }> {
  if (release === undefined) return {};
  const refs = typeof release === 'string' ? [release] : release;
  return { release: [...new Set((await Promise.all(refs.map((r) => store.releases.aliases(projectId, r)))).flat())] };
}

/** One session and its traces, oldest first. */
export async function getSession(store: Store, projectName: string, sessionId: string): Promise<{ session: SessionSummary; traces: TraceListItem[] }> {
  const projectId = await projectIdOf(store, projectName);
  const queries = new SessionQueries(store.db, store.dialect);
  const [session] = await summariseSessions(store, projectId, await queries.sessionPage({ projectId, sessionIds: [sessionId], limit: 1 }));
  if (session === undefined) throw new EvalOpsError('not_found', `session "${sessionId}" not found in project ${projectName}`);
  const traces = (await summarise(store, projectId, await queries.sessionTraceIds(projectId, sessionId))).sort((a, b) => a.startTimeMs - b.startTimeMs || a.traceId.localeCompare(b.traceId));
  return { session, traces };
}

/** Summaries of these sessions, in the order given: their figures and their traces' feedback. */
async function summariseSessions(store: Store, projectId: string, page: readonly SessionActivity[]): Promise<SessionSummary[]> {
  const queries = new SessionQueries(store.db, store.dialect);
  const ids = page.map((s) => s.sessionId);
  const figures = new Map((await queries.sessionFigures(projectId, ids)).map((f) => [f.sessionId, f]));
  const feedback = await queries.sessionFeedback(projectId, ids);
  return page.flatMap((activity) => {
    const row = figures.get(activity.sessionId);
    return row === undefined ? [] : [summariseSession({ ...row, ...activity }, summariseFeedbackCounts(feedback.get(activity.sessionId) ?? []))];
  });
}

export interface PromoteResult {
  readonly dataset: string;
  readonly version: DatasetVersionRecord;
  readonly created: boolean;
  readonly promoted: number;
  readonly examples: number;
}

/**
 * Promotes traces into a new version of a dataset (the first turn of the flywheel): each trace becomes
 * an example with `source: trace` (see traceToExample), added to the dataset's latest version (an
 * example of the same trace is replaced). Nothing is stored when any trace is missing.
 */
export async function promoteTraces(store: Store, projectName: string, traceIds: readonly string[], datasetName: string): Promise<PromoteResult> {
  if (traceIds.length === 0) throw new EvalOpsError('usage', 'no trace to promote: name trace ids, or a filter that matches some');
  const projectId = await projectIdOf(store, projectName);
  const promoted: Example[] = [];
  for (const id of traceIds) promoted.push(traceToExample(await traceSpans(store, projectName, id)));
  const { version, created, examples } = await addExamples(store, projectId, datasetName, promoted, `traces:${traceIds.length}`);
  return { dataset: datasetName, version, created, promoted: promoted.length, examples };
}

/** A trace of a list: its summary, previews of its root span's input and output, its online verdicts. */
export type TraceListItem = TraceSummary & { readonly inputPreview?: string; readonly outputPreview?: string; readonly online: { metric: string; status: string; pass: boolean | null }[] };

/** Summaries of these traces, in the order given (triage reads them too). */
export async function summarise(store: Store, projectId: string, traceIds: readonly string[]): Promise<TraceListItem[]> {
  const queries = queriesOf(store);
  const spans = groupBy<SpanHead>(await queries.spanHeads(projectId, traceIds), (s) => s.traceId);
  const feedback = groupBy<FeedbackRecord>(await store.feedback.forTraces(projectId, traceIds), (f) => f.traceId);
  const io = await queries.rootIo(projectId, traceIds);
  const verdicts = await store.onlineScores.verdictsForTraces(projectId, traceIds);
  return traceIds.flatMap((id) => {
    const heads = spans.get(id);
    if (!heads) return [];
    const root = io.get(id);
    const input = previewSpanIo(ioOf(root?.input), 'input');
    const output = previewSpanIo(ioOf(root?.output), 'output');
    return [{ ...summariseTrace(heads, feedback.get(id) ?? []), ...(input === undefined ? {} : { inputPreview: input }), ...(output === undefined ? {} : { outputPreview: output }), online: verdicts.get(id) ?? [] }];
  });
}

/** A stored span's input or output as the span schema reads it; anything else previews as nothing. */
function ioOf(value: unknown): SpanIo | undefined {
  const parsed = SpanIoSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

function queriesOf(store: Store): SpanQueries {
  return new SpanQueries(store.db, store.dialect);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(key(item)) ?? [];
    list.push(item);
    out.set(key(item), list);
  }
  return out;
}

async function projectIdOf(store: Store, name: string): Promise<string> {
  const project = await store.projects.findByName(name);
  if (!project) throw new EvalOpsError('not_found', `project "${name}" not found`);
  return project.id;
}
