import { getMaxListeners, setMaxListeners } from 'node:events';
import { errorMessage } from '../core/errors.js';
import { sleep as defaultSleep } from '../models/with-retry.js';
import { callWithRetries } from './call-with-retries.js';
import { CachedResponseSchema, readCacheEntry } from './response-cache.js';
import type { Example } from '../core/example.js';
import type { CacheSource } from '../core/run.js';
import { errored, type Score } from '../core/score.js';
import { outputText, type TargetOutput } from '../core/target-output.js';
import type { ScoreInput, Scorer } from '../scorers/scorer.js';
import type { ConversationSpec } from '../core/conversation.js';
import { transcriptText, transcriptToolCalls } from '../core/transcript.js';
import type { SimulatedUser } from '../conversation/simulated-user.js';
import type { CacheRepository } from '../store/cache-repository.js';
import type { ResultWrite, RunRepository } from '../store/run-repository.js';
import type { Target } from '../targets/target.js';
import { cacheKey } from './cache-key.js';
import type { ProgressListener } from './progress.js';
import { ResultWriter, type CacheWrite } from './result-writer.js';
import { runConversation } from './run-conversation.js';
import { jobOrder, type Job } from './job-order.js';

export interface MetricScorer {
  readonly name: string;
  readonly scorer: Scorer;
}

export interface ExecuteRunOptions {
  readonly runId: string;
  readonly examples: readonly Example[];
  readonly target: Target;
  readonly metrics: readonly MetricScorer[];
  readonly concurrency: number;
  readonly repeat: number;
  /** Retries after the first attempt, for retryable target errors. */
  readonly retries: number;
  readonly cache: boolean;
  /** Per-invocation timeout applied on top of the target's own. */
  readonly timeoutMs?: number;
  /** Drives scenario examples (conversations with a simulated user). */
  readonly simulatedUser?: SimulatedUser;
  /** Aborting stops scheduling, abandons in-flight calls and keeps what finished. */
  readonly signal?: AbortSignal;
}

export interface ExecuteRunDeps {
  readonly runs: RunRepository;
  readonly cache: CacheRepository;
  readonly onProgress?: ProgressListener;
  readonly now?: () => number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface ExecuteRunOutcome {
  readonly interrupted: boolean;
  readonly written: number;
  /** The first reason each metric was skipped (e.g. a judge without a model), for a notice. */
  readonly skippedReasons: Readonly<Record<string, string>>;
  /** Where the results served from the cache came from: per earlier run, how many and when recorded. */
  readonly cachedFrom: readonly CacheSource[];
}



const HEARTBEAT_EVERY_MS = 10_000;

/** The abort listeners one call in flight may hold on the run's signal at once. */
const LISTENERS_PER_CALL = 4;

/**
 * The offline engine: runs the target over every example × trial with at most `concurrency` jobs in
 * flight (each worker takes the next job the moment its last one finishes; the longest conversations
 * first, see jobOrder), retries retryable failures with backoff (honouring Retry-After), reuses cached responses,
 * scores each output with every metric and streams results to the store in batches.
 */
export async function executeRun(options: ExecuteRunOptions, deps: ExecuteRunDeps): Promise<ExecuteRunOutcome> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? defaultSleep;
  const signal = options.signal ?? new AbortController().signal;
  // Every call in flight listens on the run's signal (its deadline, a retry's wait, a command scorer,
  // a judge's call): up to a few per call, which is not a leak at a concurrency above 3.
  setMaxListeners(Math.max(getMaxListeners(signal), LISTENERS_PER_CALL * options.concurrency + 10), signal);
  const writer = new ResultWriter(options.runId, deps.runs, deps.cache);
  const jobs = jobOrder(options.examples, options.repeat);
  const total = jobs.length;
  const started = now();
  const skippedReasons: Record<string, string> = {};
  const sources = new Map<string | null, { results: number; at: string | null }>();
  let next = 0;
  let done = 0;
  let errors = 0;
  let cached = 0;
  let lastProgress = 0;

  const report = (force: boolean): void => {
    const t = now();
    if (!deps.onProgress || (!force && t - lastProgress < 100)) return;
    lastProgress = t;
    deps.onProgress({ total, done, errors, cached, elapsedMs: t - started });
  };

  const worker = async (): Promise<void> => {
    while (!signal.aborted && next < total) {
      const job = jobs.at(next++);
      const result = await runJob(job, options, { signal, sleep, now, cache: deps.cache, cacheReads: options.target.cacheReadsOffReason === undefined });
      if (result === undefined) return; // aborted mid-call: not a finished result
      for (const [metric, score] of Object.entries(result.write.scores)) {
        if (score.status === 'skipped' && skippedReasons[metric] === undefined) skippedReasons[metric] = score.reason ?? 'skipped';
      }
      await writer.add(result.write, result.cacheWrite);
      done++;
      if (result.write.error !== undefined) errors++;
      if (result.write.cached) cached++;
      if (result.source) {
        const s = sources.get(result.source.runId) ?? { results: 0, at: null };
        s.results++;
        if (result.source.at !== null && (s.at === null || result.source.at < s.at)) s.at = result.source.at;
        sources.set(result.source.runId, s);
      }
      report(false);
    }
  };

  // A heartbeat even when no result finishes for a while (slow targets), so only a dead process's
  // run is ever shown as incomplete.
  const heartbeat = setInterval(() => void deps.runs.heartbeat(options.runId).catch(() => undefined), HEARTBEAT_EVERY_MS);
  heartbeat.unref();
  const workers = Array.from({ length: Math.max(1, Math.min(options.concurrency, total)) }, () => worker());
  const settled = await Promise.allSettled(workers);
  clearInterval(heartbeat);
  await writer.close();
  report(true);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  const cachedFrom = [...sources].map(([runId, s]) => ({ runId, results: s.results, at: s.at })).sort((a, b) => b.results - a.results);
  return { interrupted: signal.aborted && done < total, written: writer.count, skippedReasons, cachedFrom };
}

interface JobResult {
  readonly write: ResultWrite;
  readonly cacheWrite?: CacheWrite | readonly CacheWrite[];
  readonly source?: { runId: string | null; at: string | null };
}

interface JobDeps {
  readonly signal: AbortSignal;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly now: () => number;
  readonly cache: CacheRepository;
  /** False when the target says earlier runs' responses must not be served (responses are still recorded). */
  readonly cacheReads: boolean;
}


/** One example × trial: cached response or target call with retries, then every metric. */
async function runJob(job: Job, options: ExecuteRunOptions, jobDeps: JobDeps): Promise<JobResult | undefined> {
  if (job.example.conversation !== undefined) return runConversationJob(job, job.example.conversation, options, jobDeps);
  const { signal, sleep, now } = jobDeps;
  const { target } = options;
  const key = options.cache ? cacheKey(target.variant, job.example.input, job.trial) : undefined;
  let output: TargetOutput | undefined;
  let latencyMs = 0;
  let attempts = 0;
  let error: string | undefined;
  let fromCache = false;
  let source: JobResult['source'];

  if (key && jobDeps.cacheReads) {
    const hit = await readCacheEntry(jobDeps.cache, key, CachedResponseSchema);
    if (hit) {
      output = hit.output;
      latencyMs = hit.latencyMs;
      fromCache = true;
      source = { runId: hit.runId ?? null, at: hit.at ?? hit.recordedAt };
    }
  }

  if (!output) {
    const attempt = await callWithRetries(
      (callSignal) => target.invoke(job.example.input, { exampleId: job.example.id, trial: job.trial, metadata: job.example.metadata, signal: callSignal }),
      { signal, sleep, now, retries: options.retries, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) },
    );
    if (attempt === undefined) return undefined;
    attempts = attempt.attempts;
    latencyMs = attempt.latencyMs;
    if (attempt.ok) output = attempt.value;
    else error = attempt.message;
  }

  let scores: Record<string, Score> = {};
  if (output) {
    const scored = await scoreAll(options.metrics, {
      example: job.example,
      output: output.output,
      text: outputText(output.output),
      toolCalls: output.toolCalls,
      latencyMs,
      ...(output.costUsd === undefined ? {} : { costUsd: output.costUsd }),
      signal,
    });
    if (scored === undefined) return undefined;
    scores = scored;
  }

  const write: ResultWrite = {
    exampleId: job.example.id,
    trial: job.trial,
    output: output?.output,
    toolCalls: output?.toolCalls ?? [],
    latencyMs,
    ...(output?.usage?.inputTokens === undefined ? {} : { inputTokens: output.usage.inputTokens }),
    ...(output?.usage?.outputTokens === undefined ? {} : { outputTokens: output.usage.outputTokens }),
    // A cached response cost nothing this time.
    ...(output?.costUsd === undefined || fromCache ? {} : { costUsd: output.costUsd }),
    ...(error === undefined ? {} : { error }),
    cached: fromCache,
    attempts,
    scores,
  };
  const cacheWrite =
    key && output && !fromCache ? { key, targetVariant: target.variant, value: JSON.stringify({ output, latencyMs, runId: options.runId, at: new Date(now()).toISOString() }) } : undefined;
  return { write, ...(cacheWrite ? { cacheWrite } : {}), ...(source ? { source } : {}) };
}

/**
 * Every metric on one output; a scorer that throws gives an errored score. Undefined when the run was
 * aborted meanwhile.
 */
async function scoreAll(metrics: readonly MetricScorer[], input: ScoreInput): Promise<Record<string, Score> | undefined> {
  const scores: Record<string, Score> = {};
  for (const m of metrics) {
    try {
      scores[m.name] = await m.scorer.score(input);
    } catch (e) {
      if (input.signal?.aborted) return undefined;
      scores[m.name] = errored(m.scorer.version, `scorer failed: ${errorMessage(e)}`);
    }
  }
  return scores;
}

/**
 * A conversation example × trial: run turn by turn (runConversation), then every metric on the
 * transcript — `text` is the transcript's text, `toolCalls` every call of the session, latency and
 * cost the sums over the turns. A conversation that ended in error is that result's error, unscored,
 * exactly as a single-turn target error.
 */
async function runConversationJob(job: Job, conversation: ConversationSpec, options: ExecuteRunOptions, jobDeps: JobDeps): Promise<JobResult | undefined> {
  const { signal, sleep, now } = jobDeps;
  const outcome = await runConversation({
    example: job.example,
    conversation,
    trial: job.trial,
    target: options.target,
    ...(options.simulatedUser ? { simulatedUser: options.simulatedUser } : {}),
    ...(options.cache ? { cache: { repo: jobDeps.cache, reads: jobDeps.cacheReads, runId: options.runId } } : {}),
    retry: { signal, sleep, now, retries: options.retries, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) },
  });
  if (outcome === undefined) return undefined;
  const { transcript } = outcome;
  const toolCalls = transcriptToolCalls(transcript);
  let scores: Record<string, Score> = {};
  if (outcome.error === undefined) {
    const scored = await scoreAll(options.metrics, {
      example: job.example,
      output: transcript,
      text: transcriptText(transcript),
      toolCalls,
      latencyMs: outcome.latencyMs,
      ...(outcome.costUsd === undefined ? {} : { costUsd: outcome.costUsd }),
      transcript,
      signal,
    });
    if (scored === undefined) return undefined;
    scores = scored;
  }
  const write: ResultWrite = {
    exampleId: job.example.id,
    trial: job.trial,
    output: transcript,
    toolCalls,
    latencyMs: outcome.latencyMs,
    ...(outcome.usage?.inputTokens === undefined ? {} : { inputTokens: outcome.usage.inputTokens }),
    ...(outcome.usage?.outputTokens === undefined ? {} : { outputTokens: outcome.usage.outputTokens }),
    ...(outcome.costUsd === undefined ? {} : { costUsd: outcome.costUsd }),
    ...(outcome.error === undefined ? {} : { error: outcome.error }),
    cached: outcome.cached,
    attempts: outcome.attempts,
    scores,
  };
  return { write, cacheWrite: outcome.cacheWrites, ...(outcome.source ? { source: outcome.source } : {}) };
}
