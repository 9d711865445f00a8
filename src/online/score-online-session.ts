import { z } from 'zod';
import { EvalOpsError } from '../core/errors.js';
import { sessionSettings } from '../core/online/online-rule.js';
import { sessionFlags } from '../core/online/session-flags.js';
import { sessionTranscript } from '../core/online/session-transcript.js';
import { judgeIsUnsure } from '../core/online/trace-flags.js';
import { inSample } from '../core/online/trace-sample.js';
import type { Score } from '../core/score.js';
import type { Span } from '../core/span.js';
import { transcriptText, transcriptToolCalls, type Transcript } from '../core/transcript.js';
import { raiseBudgetAlert } from '../monitor/budget-alert.js';
import { meteredModels } from '../models/rate-limited-model-port.js';
import { addSessionItem } from '../review/route-items.js';
import { createScorer } from '../scorers/create-scorer.js';
import { NO_REGISTERED_SCORERS } from '../scorers/registered-scorers.js';
import type { ScoreInput } from '../scorers/scorer.js';
import type { OnlineRuleRecord } from '../store/online-rule-repository.js';
import type { OnlineScoreRecord } from '../store/online-score-repository.js';
import type { Store } from '../store/store.js';
import { sessionTraces } from '../traces/session-traces.js';
import type { JobContext } from './job-queue.js';
import type { ScoreTraceDeps } from './score-online-trace.js';

const ScoreSessionJobDataSchema = z.object({ kind: z.literal('session'), ruleId: z.string(), sessionId: z.string(), seen: z.number().int() });

export type ScoreSessionOutcome = 'scored' | 'skipped' | 'stale' | 'budget_spent' | 'rule_gone';

/** Whether a job's data names a session (else it names a trace). */
export function isSessionJob(data: Record<string, unknown>): boolean {
  return data['kind'] === 'session';
}

/**
 * The session scoring job: the session's traces become a transcript; when the session is in the
 * rule's sample (by session id) or a session flag holds, the rule's metrics score it (with
 * `transcript` set) and the scores replace the session's earlier ones; a flagged session goes to the
 * rule's review queue with its transcript. Stored by compare-and-set on the generation the job names:
 * a job for a session that grew meanwhile, or one run twice, stores nothing (`stale`).
 */
export async function scoreOnlineSession(store: Store, deps: ScoreTraceDeps, job: JobContext): Promise<ScoreSessionOutcome> {
  const data = ScoreSessionJobDataSchema.parse(job.data);
  const now = deps.now ?? Date.now;
  let rule: OnlineRuleRecord;
  try {
    rule = await store.onlineRules.get(data.ruleId);
  } catch (e) {
    if (e instanceof EvalOpsError && e.code === 'not_found') return 'rule_gone';
    throw e;
  }
  if (!rule.enabled || rule.spec.target !== 'sessions') return 'rule_gone';
  const state = await store.onlineSessions.get(rule.id, data.sessionId);
  if (!state || !state.pending || state.seenTraces !== data.seen) return 'stale';
  const usesModels = rule.spec.metrics.some((m) => m.scorer.type === 'judge' || m.scorer.type === 'similarity');
  if (rule.spec.budgetUsdPerDay !== undefined && usesModels) {
    const day = new Date(now()).toISOString().slice(0, 10);
    const spent = await store.onlineRules.spentSince(rule.id, `${day}T00:00:00.000Z`);
    if (spent >= rule.spec.budgetUsdPerDay) {
      await raiseBudgetAlert(store, rule, day, spent, now);
      return 'budget_spent';
    }
  }
  const traces = await sessionTraces(store, rule.projectId, data.sessionId);
  if (traces.length === 0) throw new EvalOpsError('infrastructure', `session ${data.sessionId} has no stored spans yet`, { retryable: true });
  const transcript = sessionTranscript(traces);
  const sampled = inSample(data.sessionId, rule.spec.sampleRate);
  const flags: string[] = sessionFlags(transcript, sessionSettings(rule.spec).flags);
  const scoredAt = new Date(now()).toISOString();
  if (!sampled && flags.length === 0) return (await store.onlineSessions.recordScoring(state, data.seen, scoredAt, null)) ? 'skipped' : 'stale';

  const meter = deps.models ? meteredModels(deps.models) : undefined;
  const input = sessionScoreInput(data.sessionId, transcript);
  const scores: OnlineScoreRecord[] = [];
  let unsure = false;
  for (const metric of rule.spec.metrics) {
    let score: Score;
    try {
      const scorer = await createScorer(metric.scorer, { baseDir: null, importModule: refuseImport, registered: deps.registered ?? NO_REGISTERED_SCORERS, ...(meter ? { models: meter.models } : {}) });
      score = await scorer.score(input);
    } catch (e) {
      score = { status: 'errored', value: null, pass: null, reason: `scorer failed: ${(e as Error).message}`, scorerVersion: 'unknown' };
    }
    if (metric.scorer.type === 'judge' && judgeIsUnsure({ status: score.status, label: score.label }, metric.scorer.labels, metric.scorer.pass)) unsure = true;
    scores.push({ metric: metric.name, spanId: null, status: score.status, value: score.value, pass: score.pass, label: score.label ?? null, reason: score.reason ?? null, scorerVersion: score.scorerVersion });
  }
  if (unsure && rule.spec.flags.some((f) => f.kind === 'low_judge_confidence')) flags.push('low_judge_confidence');
  const first = rootOf(traces[0]!);
  const lastRoot = rootOf(traces[traces.length - 1]!);
  const cohort: Record<string, string> = {};
  if (lastRoot.variant) cohort['variant'] = lastRoot.variant;
  for (const key of rule.spec.cohortAttributes) {
    const v = first.attributes[key];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') cohort[key] = String(v);
  }
  const all = traces.flat();
  const end = Math.max(...all.map((s) => s.endTimeMs));
  const stored = await store.onlineSessions.recordScoring(state, data.seen, scoredAt, {
    trace: {
      ruleId: rule.id,
      traceId: data.sessionId,
      projectId: rule.projectId,
      sampled,
      flags,
      release: lastRoot.release ?? null,
      cohort,
      traceStartMs: first.startTimeMs,
      latencyMs: Math.max(0, end - first.startTimeMs),
      costUsd: all.some((s) => s.costUsd !== undefined) ? all.reduce((sum, s) => sum + (s.costUsd ?? 0), 0) : null,
      error: all.some((s) => s.status === 'error'),
      scoringCostUsd: meter?.spentUsd() ?? 0,
      scoredAt,
    },
    scores,
  });
  if (!stored) return 'stale';
  if (flags.length > 0 && rule.spec.reviewQueue) {
    try {
      const queue = await store.reviews.getQueue(rule.projectId, rule.spec.reviewQueue);
      const judged = scores.find((s) => s.metric === queue.metric && rule.spec.metrics.some((m) => m.name === s.metric && m.scorer.type === 'judge'));
      await addSessionItem(store, queue, {
        sessionId: data.sessionId,
        lastTraceId: lastRoot.traceId,
        transcript,
        flags,
        judge: judged ? { status: judged.status, label: judged.label, pass: judged.pass, reason: judged.reason, version: judged.scorerVersion } : null,
        checks: Object.fromEntries(scores.filter((s) => s.status === 'scored' && s.pass !== null && s.metric !== queue.metric).map((s) => [s.metric, s.pass === true])),
      });
    } catch (e) {
      deps.log?.({ level: 'warn', msg: 'could not add a flagged session to its review queue', rule: rule.name, queue: rule.spec.reviewQueue, error: (e as Error).message });
    }
  }
  return 'scored';
}

/** A session as a scorer sees a conversation result: the transcript as output and text, every tool call. */
export function sessionScoreInput(sessionId: string, transcript: Transcript): ScoreInput {
  const cost = transcript.turns.some((t) => t.costUsd !== undefined) ? transcript.turns.reduce((sum, t) => sum + (t.costUsd ?? 0), 0) : undefined;
  return {
    example: { id: `session_${sessionId}`, input: transcript.turns[0]?.user ?? '', metadata: { sessionId, turns: transcript.turns.length } },
    output: transcript,
    text: transcriptText(transcript),
    toolCalls: transcriptToolCalls(transcript),
    latencyMs: transcript.turns.reduce((sum, t) => sum + t.latencyMs, 0),
    ...(cost === undefined ? {} : { costUsd: cost }),
    transcript,
  };
}

async function refuseImport(): Promise<Record<string, unknown>> {
  throw new EvalOpsError('config', 'an online rule loads no module; it names a registered scorer');
}

function rootOf(spans: readonly Span[]): Span {
  return spans.find((s) => s.parentSpanId === undefined) ?? spans[0]!;
}
