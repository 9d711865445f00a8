import { EvalOpsError } from '../core/errors.js';
import type { Example } from '../core/example.js';
import { reviewItemKey, type JudgeVerdict, type ReviewReason } from '../core/review/review-item.js';
import { routeReason, type RouteRule } from '../core/review/routing-rule.js';
import { inSample } from '../core/review/sample-item.js';
import type { Score } from '../core/score.js';
import { transcriptToolCalls, type Transcript } from '../core/transcript.js';
import type { NewReviewItem, ReviewQueueRecord } from '../store/review-repository.js';
import type { ResultRecord } from '../store/run-repository.js';
import type { Store } from '../store/store.js';
import { traceToExample } from '../traces/trace-to-example.js';
import { traceSpans } from '../traces/trace-service.js';
import { queueOf } from './review-scope.js';
import { isJudgeScorerType } from '../core/judge-scorer-types.js';

/** How run results are picked for a queue. */
export interface RouteRunOptions {
  readonly runId: string;
  /** Rules on the queue metric's judge score: low, borderline, disagreement, errored. */
  readonly rules: readonly RouteRule[];
  /** Share of the remaining results drawn at random (deterministic by item key), 0..1. */
  readonly sampleRate?: number;
  /** Example ids to add by hand, whatever the rules say. */
  readonly exampleIds?: readonly string[];
}

export interface RouteOutcome {
  readonly queue: string;
  /** Results (or traces) looked at. */
  readonly considered: number;
  readonly added: number;
  /** Already in the queue. */
  readonly skipped: number;
  readonly byReason: Partial<Record<ReviewReason, number>>;
}

const PAGE = 1000;

/**
 * Routes a run's results into a queue: by rule on the queue metric's judge score, by a random sample
 * of the rest, or by hand. Code checks are the run's other metrics with a code scorer. An item is
 * added once; a result already in the queue is skipped.
 */
export async function routeRunResults(store: Store, projectName: string, queueRef: string, options: RouteRunOptions): Promise<RouteOutcome> {
  const { projectId, queue } = await queueOf(store, projectName, queueRef);
  const run = await store.runs.getInProject(projectId, options.runId);
  const metric = run.metrics.find((m) => m.name === queue.metric);
  if (!metric) throw new EvalOpsError('input', `run ${options.runId} has no metric ${queue.metric} (the metric of queue "${queue.name}")`, { location: '--run' });
  const codeMetrics = new Set(run.metrics.filter((m) => m.name !== queue.metric && !isJudgeScorerType(m.scorerType) && !['human', 'similarity'].includes(m.scorerType)).map((m) => m.name));
  const manual = new Set(options.exampleIds ?? []);
  const sampleRate = options.sampleRate ?? 0;
  const items: NewReviewItem[] = [];
  let considered = 0;
  for (let offset = 0; ; offset += PAGE) {
    const page = await store.runs.results(options.runId, { limit: PAGE, offset });
    if (page.length === 0) break;
    const examples = new Map((await store.datasets.examples(run.datasetVersionId, [...new Set(page.map((r) => r.exampleId))])).map((e) => [e.id, e]));
    for (const result of page) {
      considered++;
      const key = reviewItemKey({ source: 'result', runId: run.id, exampleId: result.exampleId, trial: result.trial });
      const judge = verdictOf(result.scores[queue.metric]);
      const checks = Object.fromEntries(Object.entries(result.scores).filter(([m, s]) => codeMetrics.has(m) && s.status === 'scored').map(([m, s]) => [m, s.pass === true]));
      const reason: ReviewReason | null = manual.has(result.exampleId)
        ? 'manual'
        : (routeReason({ judge, checks }, options.rules, queue.rubric) ?? (inSample(key, sampleRate, queue.id) ? 'sample' : null));
      if (reason === null) continue;
      const example = examples.get(result.exampleId);
      items.push(resultItem(run.id, result, example, reason, judge, checks));
    }
    if (page.length < PAGE) break;
  }
  const missing = [...manual].filter((id) => !items.some((i) => i.exampleId === id));
  if (missing.length > 0) throw new EvalOpsError('input', `run ${options.runId} has no result for example(s) ${missing.join(', ')}`, { location: '--example' });
  return outcome(queue, considered, items, await store.reviews.addItems(queue, items));
}

/** Adds traces to a queue (by hand, or flagged by negative feedback): the root span's input and output. */
export async function addTraceItems(
  store: Store,
  projectName: string,
  queueRef: string,
  traceIds: readonly string[],
  reason: ReviewReason,
  /** Judge verdicts on the queue's metric already given to these traces (online scoring), by trace id. */
  verdicts: ReadonlyMap<string, JudgeVerdict> = new Map(),
): Promise<RouteOutcome> {
  const { queue } = await queueOf(store, projectName, queueRef);
  const items: NewReviewItem[] = [];
  for (const traceId of traceIds) {
    const spans = await traceSpans(store, projectName, traceId);
    const example = traceToExample(spans);
    const id = String(example.metadata.traceId ?? traceId);
    const toolCalls = Array.isArray(example.metadata.toolCalls) ? (example.metadata.toolCalls as { name: string; arguments: unknown }[]) : [];
    const expected = example.expected as { reference?: unknown } | undefined;
    items.push({
      key: reviewItemKey({ source: 'trace', traceId: id }),
      source: 'trace',
      traceId: id,
      reason,
      payload: { input: example.input, output: expected?.reference ?? null, toolCalls, slices: example.slices, judge: verdicts.get(traceId) ?? null, checks: {}, latencyMs: null, costUsd: null },
    });
  }
  return outcome(queue, traceIds.length, items, await store.reviews.addItems(queue, items));
}

/** A production session flagged by a session rule, as a review item. */
export interface SessionItem {
  readonly sessionId: string;
  /** Its latest trace: the item's trace link. */
  readonly lastTraceId: string;
  readonly transcript: Transcript;
  readonly flags: readonly string[];
  readonly judge: JudgeVerdict | null;
  readonly checks: Readonly<Record<string, boolean>>;
}

/**
 * Adds a flagged session to a queue: the item's output is the session's transcript (the review page
 * shows it turn by turn), its input the first user message. Keyed by session and length, so a session
 * flagged again after it grew comes back once with its new turns.
 */
export async function addSessionItem(store: Store, queue: ReviewQueueRecord, item: SessionItem): Promise<{ added: number; skipped: number }> {
  return store.reviews.addItems(queue, [
    {
      key: `session:${item.sessionId}:${item.transcript.turns.length}`,
      source: 'trace',
      traceId: item.lastTraceId,
      reason: 'flagged',
      payload: {
        input: item.transcript.turns[0]?.user ?? '',
        output: item.transcript,
        toolCalls: transcriptToolCalls(item.transcript),
        slices: [`session:${item.sessionId}`, ...item.flags.map((f) => `flag:${f}`)].filter((s) => /^[^:\s]+:[^\s]+$/.test(s)),
        judge: item.judge,
        checks: { ...item.checks },
        latencyMs: item.transcript.turns.reduce((sum, t) => sum + t.latencyMs, 0),
        costUsd: null,
      },
    },
  ]);
}

function resultItem(runId: string, result: ResultRecord, example: Example | undefined, reason: ReviewReason, judge: JudgeVerdict | null, checks: Record<string, boolean>): NewReviewItem {
  return {
    key: reviewItemKey({ source: 'result', runId, exampleId: result.exampleId, trial: result.trial }),
    source: 'result',
    runId,
    exampleId: result.exampleId,
    reason,
    payload: {
      input: example?.input ?? null,
      ...(example?.expected === undefined ? {} : { expected: example.expected }),
      output: result.error ? { error: result.error } : result.output,
      toolCalls: [...result.toolCalls],
      slices: example?.slices ?? [],
      judge,
      checks,
      latencyMs: result.latencyMs,
      costUsd: result.costUsd ?? null,
    },
  };
}

function verdictOf(score: Score | undefined): JudgeVerdict | null {
  if (!score) return null;
  return { status: score.status, label: score.label ?? null, pass: score.pass, reason: score.reason ?? null, version: score.scorerVersion };
}

function outcome(queue: ReviewQueueRecord, considered: number, items: readonly NewReviewItem[], stored: { added: number; skipped: number }): RouteOutcome {
  const byReason: Partial<Record<ReviewReason, number>> = {};
  for (const i of items) byReason[i.reason] = (byReason[i.reason] ?? 0) + 1;
  return { queue: queue.name, considered, added: stored.added, skipped: stored.skipped, byReason };
}
