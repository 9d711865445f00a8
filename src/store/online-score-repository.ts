import { sql, type Kysely } from 'kysely';
import type { Executor } from './audit-repository.js';
import { withWriteRetry } from './audit-repository.js';
import type { Database } from './database.js';
import { EvalOpsError } from '../core/errors.js';
import { fromJson, toJson } from './json-column.js';
import { z } from 'zod';

/** One trace as an online rule scored it. */
export interface OnlineTraceRecord {
  readonly ruleId: string;
  readonly traceId: string;
  readonly projectId: string;
  /** In the rule's sample (counts in the time series); false when only a flag picked it. */
  readonly sampled: boolean;
  readonly flags: readonly string[];
  readonly release: string | null;
  readonly cohort: Readonly<Record<string, string>>;
  readonly traceStartMs: number;
  readonly latencyMs: number;
  readonly costUsd: number | null;
  readonly error: boolean;
  readonly scoringCostUsd: number;
  readonly scoredAt: string;
}

export interface OnlineScoreRecord {
  readonly metric: string;
  readonly spanId: string | null;
  readonly status: string;
  readonly value: number | null;
  readonly pass: boolean | null;
  readonly label: string | null;
  readonly reason: string | null;
  readonly scorerVersion: string;
}

export interface ScoredTrace extends OnlineTraceRecord {
  readonly scores: readonly OnlineScoreRecord[];
}

/** One time bucket of a metric's pass rate over sampled traces. */
export interface PassBucket {
  readonly startMs: number;
  readonly passed: number;
  readonly total: number;
}

/** One sampled trace with a metric's verdict, for series computed in memory (cohorts, latency, cost). */
export interface SeriesPoint {
  readonly traceId: string;
  readonly traceStartMs: number;
  readonly release: string | null;
  readonly cohort: Readonly<Record<string, string>>;
  readonly latencyMs: number;
  readonly costUsd: number | null;
  readonly error: boolean;
  readonly pass: boolean | null;
  readonly value: number | null;
}

const CohortSchema = z.record(z.string(), z.string());
const FlagsSchema = z.array(z.string());

/**
 * Scored traces and their scores. A trace is recorded once per rule: the trace row and its scores
 * are written in one transaction, and a second write of the same (rule, trace) — a job retried after
 * a worker died, or run twice — stores nothing, so every score is stored exactly once.
 */
export class OnlineScoreRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async has(ruleId: string, traceId: string): Promise<boolean> {
    const row = await this.db.selectFrom('online_traces').select('trace_id').where('rule_id', '=', ruleId).where('trace_id', '=', traceId).executeTakeFirst();
    return row !== undefined;
  }

  /** Stores the trace and its scores; false (and nothing written) when the trace was already recorded. */
  async record(trace: OnlineTraceRecord, scores: readonly OnlineScoreRecord[]): Promise<boolean> {
    return withWriteRetry(() =>
      this.db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('online_traces')
          .values({
            rule_id: trace.ruleId,
            trace_id: trace.traceId,
            project_id: trace.projectId,
            sampled: trace.sampled ? 1 : 0,
            flags: toJson(trace.flags),
            release: trace.release,
            cohort: toJson(trace.cohort),
            trace_start_ms: trace.traceStartMs,
            latency_ms: trace.latencyMs,
            cost_usd: trace.costUsd,
            error: trace.error ? 1 : 0,
            scoring_cost_usd: trace.scoringCostUsd,
            scored_at: trace.scoredAt,
          })
          .onConflict((oc) => oc.columns(['rule_id', 'trace_id']).doNothing())
          .returning('trace_id')
          .executeTakeFirst();
        if (inserted === undefined) return false;
        if (scores.length > 0) {
          await trx
            .insertInto('online_scores')
            .values(
              scores.map((s) => ({
                rule_id: trace.ruleId,
                trace_id: trace.traceId,
                metric: s.metric,
                project_id: trace.projectId,
                span_id: s.spanId,
                sampled: trace.sampled ? 1 : 0,
                release: trace.release,
                trace_start_ms: trace.traceStartMs,
                status: s.status,
                value: s.value,
                pass: s.pass === null ? null : s.pass ? 1 : 0,
                label: s.label,
                reason: s.reason,
                scorer_version: s.scorerVersion,
              })),
            )
            .execute();
        }
        return true;
      }),
    );
  }

  /** Every rule's record of one trace, with scores. */
  async forTrace(projectId: string, traceId: string): Promise<ScoredTrace[]> {
    const traces = await this.db.selectFrom('online_traces').selectAll().where('project_id', '=', projectId).where('trace_id', '=', traceId).orderBy('rule_id').execute();
    if (traces.length === 0) return [];
    const scores = await this.db.selectFrom('online_scores').selectAll().where('project_id', '=', projectId).where('trace_id', '=', traceId).orderBy('metric').execute();
    return traces.map((t) => ({
      ...toTrace(t),
      scores: scores.filter((s) => s.rule_id === t.rule_id).map(toScore),
    }));
  }

  /**
   * The online verdicts of these traces (every rule's, every metric's), for a list's badges: per trace,
   * the metric, its status and pass. One query per 500 traces.
   */
  async verdictsForTraces(projectId: string, traceIds: readonly string[]): Promise<Map<string, { metric: string; status: string; pass: boolean | null }[]>> {
    const out = new Map<string, { metric: string; status: string; pass: boolean | null }[]>();
    for (let i = 0; i < traceIds.length; i += 500) {
      const chunk = traceIds.slice(i, i + 500);
      const rows = await this.db.selectFrom('online_scores').select(['trace_id', 'metric', 'status', 'pass']).where('project_id', '=', projectId).where('trace_id', 'in', chunk).orderBy('metric').execute();
      for (const r of rows) {
        const list = out.get(r.trace_id) ?? [];
        list.push({ metric: r.metric, status: r.status, pass: r.pass === null ? null : Number(r.pass) === 1 });
        out.set(r.trace_id, list);
      }
    }
    return out;
  }

  /** Counts of a rule's recorded traces: all, sampled, flagged, and judge spend, since a time. */
  async ruleStats(ruleId: string, sinceIso = ''): Promise<{ traces: number; sampled: number; flagged: number; spentUsd: number }> {
    const row = await this.db
      .selectFrom('online_traces')
      .select([
        sql<number>`count(*)`.as('traces'),
        sql<number>`coalesce(sum(sampled), 0)`.as('sampled'),
        sql<number>`coalesce(sum(case when flags <> '[]' then 1 else 0 end), 0)`.as('flagged'),
        sql<number>`coalesce(sum(scoring_cost_usd), 0)`.as('spent'),
      ])
      .where('rule_id', '=', ruleId)
      .where('scored_at', '>=', sinceIso)
      .executeTakeFirstOrThrow();
    return { traces: Number(row.traces), sampled: Number(row.sampled), flagged: Number(row.flagged), spentUsd: Number(row.spent) };
  }

  /** A metric's pass counts over sampled traces per bucket of `bucketMs`, from `fromMs`, oldest first. */
  async passBuckets(ruleId: string, metric: string, options: { release?: ReleaseMatch | undefined; fromMs: number; toMs?: number; bucketMs: number }): Promise<PassBucket[]> {
    // The bucket size inline (a whole number of ms): as a bound parameter, PostgreSQL sees the select,
    // group by and order by expressions as three different ones and refuses the query.
    if (!Number.isSafeInteger(options.bucketMs) || options.bucketMs <= 0) throw new EvalOpsError('input', `bucketMs must be a positive whole number (got ${options.bucketMs})`);
    const bucket = sql<number>`floor(trace_start_ms / ${sql.lit(options.bucketMs)})`;
    let q = this.db
      .selectFrom('online_scores')
      .select([bucket.as('b'), sql<number>`sum(case when pass = 1 then 1 else 0 end)`.as('passed'), sql<number>`count(*)`.as('total')])
      .where('rule_id', '=', ruleId)
      .where('metric', '=', metric)
      .where('sampled', '=', 1)
      .where('pass', 'is not', null)
      .where('trace_start_ms', '>=', options.fromMs);
    if (options.toMs !== undefined) q = q.where('trace_start_ms', '<', options.toMs);
    if (options.release !== undefined) q = q.where('release', 'in', releaseList(options.release));
    const rows = await q.groupBy(bucket).orderBy(bucket).execute();
    return rows.map((r) => ({ startMs: Number(r.b) * options.bucketMs, passed: Number(r.passed), total: Number(r.total) }));
  }

  /** Pass counts of a metric over sampled traces of a release since `fromMs`, and the first such trace's start. */
  async passWindow(ruleId: string, metric: string, release: ReleaseMatch, fromMs: number): Promise<{ passed: number; total: number; firstMs: number | null }> {
    const row = await this.db
      .selectFrom('online_scores')
      .select([sql<number>`coalesce(sum(case when pass = 1 then 1 else 0 end), 0)`.as('passed'), sql<number>`count(*)`.as('total'), sql<number | null>`min(trace_start_ms)`.as('first')])
      .where('rule_id', '=', ruleId)
      .where('metric', '=', metric)
      .where('sampled', '=', 1)
      .where('pass', 'is not', null)
      .where('release', 'in', releaseList(release))
      .where('trace_start_ms', '>=', fromMs)
      .executeTakeFirstOrThrow();
    return { passed: Number(row.passed), total: Number(row.total), firstMs: row.first === null ? null : Number(row.first) };
  }

  /** Sampled traces that failed the metric since `fromMs`, newest first: the examples an alert cites. */
  async failingTraces(ruleId: string, metric: string, options: { release?: ReleaseMatch | undefined; fromMs: number; limit: number }): Promise<string[]> {
    let q = this.db
      .selectFrom('online_scores')
      .select('trace_id')
      .where('rule_id', '=', ruleId)
      .where('metric', '=', metric)
      .where('sampled', '=', 1)
      .where('pass', '=', 0)
      .where('trace_start_ms', '>=', options.fromMs);
    if (options.release !== undefined) q = q.where('release', 'in', releaseList(options.release));
    const rows = await q.orderBy('trace_start_ms', 'desc').limit(options.limit).execute();
    return rows.map((r) => r.trace_id);
  }

  /** Sampled traces of a rule in a time range, each with one metric's verdict (null when not scored). */
  async seriesPoints(ruleId: string, metric: string | undefined, fromMs: number, toMs: number, limit = 200_000): Promise<SeriesPoint[]> {
    const rows = await this.db
      .selectFrom('online_traces as t')
      .leftJoin('online_scores as s', (j) => j.onRef('s.rule_id', '=', 't.rule_id').onRef('s.trace_id', '=', 't.trace_id').on('s.metric', '=', metric ?? ''))
      .select(['t.trace_id', 't.trace_start_ms', 't.release', 't.cohort', 't.latency_ms', 't.cost_usd', 't.error', 's.pass', 's.value'])
      .where('t.rule_id', '=', ruleId)
      .where('t.sampled', '=', 1)
      .where('t.trace_start_ms', '>=', fromMs)
      .where('t.trace_start_ms', '<', toMs)
      .orderBy('t.trace_start_ms')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      traceId: r.trace_id,
      traceStartMs: Number(r.trace_start_ms),
      release: r.release,
      cohort: fromJson(r.cohort, CohortSchema, 'online trace cohort'),
      latencyMs: Number(r.latency_ms),
      costUsd: r.cost_usd === null ? null : Number(r.cost_usd),
      error: Number(r.error) === 1,
      pass: r.pass === null || r.pass === undefined ? null : Number(r.pass) === 1,
      value: r.value === null || r.value === undefined ? null : Number(r.value),
    }));
  }

  /** Scores of one metric, newest trace first: what `evalops online scores` lists (failing only, on request). */
  async listScores(ruleId: string, metric: string, options: { release?: ReleaseMatch | undefined; fromMs?: number; failing?: boolean; limit: number }): Promise<(OnlineScoreRecord & { traceId: string; traceStartMs: number; release: string | null; sampled: boolean })[]> {
    let q = this.db.selectFrom('online_scores').selectAll().where('rule_id', '=', ruleId).where('metric', '=', metric);
    if (options.release !== undefined) q = q.where('release', 'in', releaseList(options.release));
    if (options.fromMs !== undefined) q = q.where('trace_start_ms', '>=', options.fromMs);
    if (options.failing) q = q.where('pass', '=', 0);
    const rows = await q.orderBy('trace_start_ms', 'desc').limit(options.limit).execute();
    return rows.map((r) => ({ ...toScore(r), traceId: r.trace_id, traceStartMs: Number(r.trace_start_ms), release: r.release, sampled: Number(r.sampled) === 1 }));
  }

  /** How many score rows a (rule, trace) has: the exactly-once check of the reliability tests. */
  async scoreCount(ruleId: string, db: Executor = this.db): Promise<{ traces: number; scores: number; duplicates: number }> {
    const t = await db.selectFrom('online_traces').select(sql<number>`count(*)`.as('n')).where('rule_id', '=', ruleId).executeTakeFirstOrThrow();
    const s = await db.selectFrom('online_scores').select(sql<number>`count(*)`.as('n')).where('rule_id', '=', ruleId).executeTakeFirstOrThrow();
    const d = await db
      .selectFrom(
        db
          .selectFrom('online_scores')
          .select(sql<number>`count(*)`.as('c'))
          .where('rule_id', '=', ruleId)
          .groupBy(['trace_id', 'metric'])
          .having(sql`count(*)`, '>', 1)
          .as('dups'),
      )
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    return { traces: Number(t.n), scores: Number(s.n), duplicates: Number(d.n) };
  }
}

function toTrace(t: Database['online_traces']): OnlineTraceRecord {
  return {
    ruleId: t.rule_id,
    traceId: t.trace_id,
    projectId: t.project_id,
    sampled: Number(t.sampled) === 1,
    flags: fromJson(t.flags, FlagsSchema, 'online trace flags'),
    release: t.release,
    cohort: fromJson(t.cohort, CohortSchema, 'online trace cohort'),
    traceStartMs: Number(t.trace_start_ms),
    latencyMs: Number(t.latency_ms),
    costUsd: t.cost_usd === null ? null : Number(t.cost_usd),
    error: Number(t.error) === 1,
    scoringCostUsd: Number(t.scoring_cost_usd),
    scoredAt: t.scored_at,
  };
}

function toScore(s: Database['online_scores']): OnlineScoreRecord {
  return {
    metric: s.metric,
    spanId: s.span_id,
    status: s.status,
    value: s.value === null ? null : Number(s.value),
    pass: s.pass === null ? null : Number(s.pass) === 1,
    label: s.label,
    reason: s.reason,
    scorerVersion: s.scorer_version,
  };
}

/**
 * The release strings a query matches: one, or every alias of a release (its names and variant, see
 * ReleaseRepository.aliases), so spans stamped with a name or a variant hash count alike.
 */
export type ReleaseMatch = string | readonly string[];

function releaseList(release: ReleaseMatch): readonly string[] {
  return typeof release === 'string' ? [release] : release.length > 0 ? release : [''];
}
