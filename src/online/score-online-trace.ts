import { z } from 'zod';
import { EvalOpsError } from '../core/errors.js';
import { judgeIsUnsure } from '../core/online/trace-flags.js';
import type { Score } from '../core/score.js';
import type { Span } from '../core/span.js';
import { meteredModels } from '../models/rate-limited-model-port.js';
import type { ModelPort } from '../models/model-port.js';
import { addTraceItems } from '../review/route-items.js';
import { createScorer } from '../scorers/create-scorer.js';
import { NO_REGISTERED_SCORERS, type RegisteredScorers } from '../scorers/registered-scorers.js';
import type { ScoreInput } from '../scorers/scorer.js';
import type { OnlineScoreRecord } from '../store/online-score-repository.js';
import type { Store } from '../store/store.js';
import { traceToExample } from '../traces/trace-to-example.js';
import { raiseBudgetAlert } from '../monitor/budget-alert.js';
import type { JobContext } from './job-queue.js';
import { isJudgeConfig, isJudgeScorerType } from '../core/judge-scorer-types.js';

const ScoreJobDataSchema = z.object({ ruleId: z.string(), traceId: z.string(), sampled: z.boolean(), flags: z.array(z.string()) });

export interface ScoreTraceDeps {
  /** The LLM port for judges and embeddings; undefined when the worker has no provider. */
  readonly models?: ModelPort;
  /**
   * The scorers the operator registered (`--scorers DIR`): the only code an online rule runs. A rule
   * is data from a request, so nothing it names is read from disk or imported.
   */
  readonly registered?: RegisteredScorers;
  readonly now?: () => number;
  readonly log?: (entry: Record<string, unknown>) => void;
}

export type ScoreTraceOutcome = 'scored' | 'already_scored' | 'budget_spent' | 'rule_gone';

/**
 * The online scoring job: runs the rule's metrics on one trace and stores the trace's record and
 * scores in one transaction. Idempotent: a trace the rule already recorded is skipped, and if two
 * runs race, the store keeps the first write only. A rule over its daily budget scores nothing
 * (and raises the budget alert once per day).
 */
export async function scoreOnlineTrace(store: Store, deps: ScoreTraceDeps, job: JobContext): Promise<ScoreTraceOutcome> {
  const data = ScoreJobDataSchema.parse(job.data);
  const now = deps.now ?? Date.now;
  let rule;
  try {
    rule = await store.onlineRules.get(data.ruleId);
  } catch (e) {
    if (e instanceof EvalOpsError && e.code === 'not_found') return 'rule_gone';
    throw e;
  }
  if (!rule.enabled) return 'rule_gone';
  if (await store.onlineScores.has(rule.id, data.traceId)) return 'already_scored';
  const usesModels = rule.spec.metrics.some((m) => isJudgeScorerType(m.scorer.type) || m.scorer.type === 'similarity');
  if (rule.spec.budgetUsdPerDay !== undefined && usesModels) {
    const day = new Date(now()).toISOString().slice(0, 10);
    const spent = await store.onlineRules.spentSince(rule.id, `${day}T00:00:00.000Z`);
    if (spent >= rule.spec.budgetUsdPerDay) {
      await raiseBudgetAlert(store, rule, day, spent, now);
      return 'budget_spent';
    }
  }
  const spans = await store.spans.list({ projectId: rule.projectId, traceId: data.traceId, limit: 10_000 });
  if (spans.length === 0) throw new EvalOpsError('infrastructure', `trace ${data.traceId} has no stored spans yet`, { retryable: true });
  const input = scoreInput(spans);
  const meter = deps.models ? meteredModels(deps.models) : undefined;
  const scores: OnlineScoreRecord[] = [];
  const flags = [...data.flags];
  let unsure = false;
  const root = rootOf(spans);
  for (const metric of rule.spec.metrics) {
    let score: Score;
    try {
      const scorer = await createScorer(metric.scorer, { baseDir: null, importModule: refuseImport, registered: deps.registered ?? NO_REGISTERED_SCORERS, ...(meter ? { models: meter.models } : {}) });
      score = await scorer.score(input);
    } catch (e) {
      score = { status: 'errored', value: null, pass: null, reason: `scorer failed: ${(e as Error).message}`, scorerVersion: 'unknown' };
    }
    if (isJudgeConfig(metric.scorer) && judgeIsUnsure({ status: score.status, label: score.label }, metric.scorer.labels, metric.scorer.pass)) unsure = true;
    scores.push({ metric: metric.name, spanId: root.spanId, status: score.status, value: score.value, pass: score.pass, label: score.label ?? null, reason: score.reason ?? null, scorerVersion: score.scorerVersion });
  }
  if (unsure && rule.spec.flags.some((f) => f.kind === 'low_judge_confidence')) flags.push('low_judge_confidence');
  const cohort: Record<string, string> = {};
  if (root.variant) cohort['variant'] = root.variant;
  for (const key of rule.spec.cohortAttributes) {
    const v = root.attributes[key];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') cohort[key] = String(v);
  }
  const cost = spans.reduce((sum, s) => sum + (s.costUsd ?? 0), 0);
  const stored = await store.onlineScores.record(
    {
      ruleId: rule.id,
      traceId: data.traceId,
      projectId: rule.projectId,
      sampled: data.sampled,
      flags,
      release: root.release ?? null,
      cohort,
      traceStartMs: root.startTimeMs,
      latencyMs: root.durationMs,
      costUsd: spans.some((s) => s.costUsd !== undefined) ? cost : null,
      error: spans.some((s) => s.status === 'error'),
      scoringCostUsd: meter?.spentUsd() ?? 0,
      scoredAt: new Date(now()).toISOString(),
    },
    scores,
  );
  if (!stored) return 'already_scored';
  if (flags.length > 0 && rule.spec.reviewQueue) {
    const project = await store.projects.findById(rule.projectId);
    try {
      if (project) {
        // The judge's verdict on the queue's metric goes with the item, so the reviewers' labels
        // measure the online judge's disagreement with people (judge drift) without a second call.
        const queue = await store.reviews.getQueue(rule.projectId, rule.spec.reviewQueue);
        const judged = scores.find((s) => s.metric === queue.metric && rule.spec.metrics.some((m) => m.name === s.metric && isJudgeScorerType(m.scorer.type)));
        const verdicts = new Map(judged ? [[data.traceId, { status: judged.status, label: judged.label, pass: judged.pass, reason: judged.reason, version: judged.scorerVersion }]] : []);
        await addTraceItems(store, project.name, queue.id, [data.traceId], 'flagged', verdicts);
      }
    } catch (e) {
      deps.log?.({ level: 'warn', msg: 'could not add a flagged trace to its review queue', rule: rule.name, queue: rule.spec.reviewQueue, error: (e as Error).message });
    }
  }
  return 'scored';
}

/** Online scorers import nothing: registered scorers are loaded at start, and rules name no modules. */
async function refuseImport(): Promise<Record<string, unknown>> {
  throw new EvalOpsError('config', 'an online rule loads no module; it names a registered scorer');
}

function rootOf(spans: readonly Span[]): Span {
  return spans.find((s) => s.parentSpanId === undefined) ?? [...spans].sort((a, b) => a.startTimeMs - b.startTimeMs)[0]!;
}

/** A trace as a scorer sees a result: the root's input and output, the tool calls, latency and cost. */
export function scoreInput(spans: readonly Span[]): ScoreInput {
  const example = traceToExample(spans);
  const root = rootOf(spans);
  const output = (example.expected as { reference?: unknown } | undefined)?.reference ?? '';
  const toolCalls = Array.isArray(example.metadata['toolCalls']) ? (example.metadata['toolCalls'] as { name: string; arguments: unknown }[]) : [];
  const cost = spans.reduce((sum, s) => sum + (s.costUsd ?? 0), 0);
  return {
    example: { id: example.id, input: example.input, metadata: example.metadata },
    output,
    text: typeof output === 'string' ? output : JSON.stringify(output),
    toolCalls: toolCalls.map((t) => ({ name: t.name, arguments: (t.arguments ?? {}) as Record<string, unknown> })),
    latencyMs: root.durationMs,
    ...(spans.some((s) => s.costUsd !== undefined) ? { costUsd: cost } : {}),
  };
}
