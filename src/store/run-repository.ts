import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { EvalOpsError } from '../core/errors.js';
import { RunMetricSchema, RunStatusSchema, RunSummarySchema, type RunMetric, type RunStatus, type RunSummary } from '../core/run.js';
import type { Score } from '../core/score.js';
import type { ScoreColumns } from '../core/score-columns.js';
import { kyselyScoreColumns, type ScoreColumnsReader } from './score-columns-reader.js';
import type { ResultWriter } from './sqlite/sqlite-result-writer.js';
import { ToolCallSchema, type ToolCall } from '../core/target-output.js';
import type { Database } from './database.js';
import type { ProjectScope } from './project-scope.js';
import { newId } from './ids.js';
import { fromJson, fromJsonValue, toJson } from './json-column.js';
import { applyResultFilter, type ResultFilter } from './result-filter.js';

export interface NewRun {
  readonly projectId: string;
  readonly datasetVersionId: string;
  readonly targetType: string;
  readonly targetVariant: string;
  /** A readable name of the target (targetLabel); absent on runs recorded before it was kept. */
  readonly targetLabel?: string;
  readonly metrics: readonly RunMetric[];
  readonly labels: Readonly<Record<string, string>>;
  readonly repeat: number;
}

export interface RunRecord extends NewRun {
  readonly id: string;
  readonly status: RunStatus;
  readonly error: string | null;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly heartbeatAt: string;
  readonly summary: RunSummary | null;
}

/** One result (example × trial) with its scores, as the runner writes it. */
export interface ResultWrite {
  readonly exampleId: string;
  readonly trial: number;
  readonly output: unknown;
  readonly toolCalls: readonly ToolCall[];
  readonly latencyMs: number;
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  readonly costUsd?: number;
  readonly error?: string;
  readonly cached: boolean;
  readonly attempts: number;
  readonly scores: Readonly<Record<string, Score>>;
}

export interface ResultRecord extends Omit<ResultWrite, 'scores'> {
  readonly scores: Record<string, Score>;
}

export interface ScoreRow {
  readonly exampleId: string;
  readonly trial: number;
  readonly metric: string;
  readonly status: Score['status'];
  readonly value: number | null;
  readonly pass: boolean | null;
}

/** Per-metric counts and sums, aggregated in SQL so a 100k-result run is summarised in bounded memory. */
export interface MetricAggregate {
  readonly metric: string;
  readonly passed: number;
  readonly failed: number;
  readonly errored: number;
  readonly skipped: number;
  readonly valueCount: number;
  readonly valueSum: number;
}

export interface ResultAggregate {
  readonly total: number;
  readonly errors: number;
  readonly cached: number;
  readonly costUsd: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Results with no error whose scored metrics all passed. */
  readonly successes: number;
}

/** A run older than this without a heartbeat is shown as incomplete: its process is gone. */
export const HEARTBEAT_STALE_MS = 60_000;
const RESULT_BATCH = 500;
const SCORE_BATCH = 800;

const LabelsSchema = z.record(z.string(), z.string());
const MetricsSchema = z.array(RunMetricSchema);
const ToolCallsSchema = z.array(ToolCallSchema);

/** Runs, their results and scores. Results are appended in batches as they finish. */
export class RunRepository {
  private readonly readScoreColumns: ScoreColumnsReader;
  private readonly writeResults: ResultWriter | undefined;

  /**
   * `fast`: the dialect's own paths for the two hot spots (SQLite: sqlite/sqlite-score-columns.ts and
   * sqlite/sqlite-result-writer.ts); without them, Kysely (any dialect).
   */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
    fast: { readonly readScoreColumns?: ScoreColumnsReader; readonly writeResults?: ResultWriter } = {},
  ) {
    this.readScoreColumns = fast.readScoreColumns ?? kyselyScoreColumns(db);
    this.writeResults = fast.writeResults;
  }

  async create(run: NewRun): Promise<RunRecord> {
    const id = newId('run', this.now());
    const at = new Date(this.now()).toISOString();
    await this.db
      .insertInto('runs')
      .values({
        id,
        project_id: run.projectId,
        dataset_version_id: run.datasetVersionId,
        target_type: run.targetType,
        target_variant: run.targetVariant,
        target_label: run.targetLabel ?? null,
        metrics: toJson(run.metrics),
        labels: toJson(run.labels),
        repeat: run.repeat,
        status: 'running',
        error: null,
        started_at: at,
        finished_at: null,
        heartbeat_at: at,
        summary: null,
      })
      .execute();
    return { ...run, id, status: 'running', error: null, startedAt: at, finishedAt: null, heartbeatAt: at, summary: null };
  }

  /** Appends results and their scores in one transaction and refreshes the run's heartbeat. */
  async appendResults(runId: string, batch: readonly ResultWrite[]): Promise<void> {
    if (batch.length === 0) return;
    const at = new Date(this.now()).toISOString();
    const write = this.writeResults;
    if (write) {
      // Holding Kysely's connection: no Kysely transaction is open while the writer's own runs.
      await this.db.connection().execute(async () => write(runId, batch, at));
      return;
    }
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < batch.length; i += RESULT_BATCH) {
        const rows = batch.slice(i, i + RESULT_BATCH).map((r) => ({
          run_id: runId,
          example_id: r.exampleId,
          trial: r.trial,
          output: r.output === undefined ? null : toJson(r.output),
          tool_calls: toJson(r.toolCalls),
          latency_ms: r.latencyMs,
          input_tokens: r.inputTokens ?? null,
          output_tokens: r.outputTokens ?? null,
          cost_usd: r.costUsd ?? null,
          error: r.error ?? null,
          cached: r.cached ? 1 : 0,
          attempts: r.attempts,
          created_at: at,
        }));
        await trx.insertInto('results').values(rows).execute();
      }
      const scoreRows = batch.flatMap((r) =>
        Object.entries(r.scores).map(([metric, s]) => ({
          run_id: runId,
          example_id: r.exampleId,
          trial: r.trial,
          metric,
          status: s.status,
          value: s.value,
          pass: s.pass === null ? null : s.pass ? 1 : 0,
          label: s.label ?? null,
          reason: s.reason ?? null,
          scorer_version: s.scorerVersion,
        })),
      );
      for (let i = 0; i < scoreRows.length; i += SCORE_BATCH) {
        await trx.insertInto('scores').values(scoreRows.slice(i, i + SCORE_BATCH)).execute();
      }
      await trx.updateTable('runs').set({ heartbeat_at: at }).where('id', '=', runId).execute();
    });
  }

  async heartbeat(runId: string): Promise<void> {
    await this.db.updateTable('runs').set({ heartbeat_at: new Date(this.now()).toISOString() }).where('id', '=', runId).execute();
  }

  async finish(runId: string, status: Exclude<RunStatus, 'running'>, summary: RunSummary | null, error?: string): Promise<void> {
    await this.db
      .updateTable('runs')
      .set({ status, summary: summary ? toJson(summary) : null, error: error ?? null, finished_at: new Date(this.now()).toISOString() })
      .where('id', '=', runId)
      .execute();
  }

  async get(runId: string): Promise<RunRecord> {
    return this.getInProject(null, runId);
  }

  /** A run of the project in scope (any project for null): a run of another project is not found. */
  async getInProject(scope: ProjectScope, runId: string): Promise<RunRecord> {
    let q = this.db.selectFrom('runs').selectAll().where('id', '=', runId);
    if (scope !== null) q = q.where('project_id', '=', scope);
    const row = await q.executeTakeFirst();
    if (!row) throw new EvalOpsError('not_found', `run ${runId} not found`);
    return this.toRecord(row);
  }

  /** The target type and label of each of these runs (for naming their variants), without their summaries. */
  async targets(runIds: readonly string[]): Promise<Map<string, { readonly targetType: string; readonly targetVariant: string; readonly targetLabel?: string }>> {
    const out = new Map<string, { targetType: string; targetVariant: string; targetLabel?: string }>();
    for (let i = 0; i < runIds.length; i += 500) {
      const chunk = runIds.slice(i, i + 500);
      const rows = await this.db.selectFrom('runs').select(['id', 'target_type', 'target_variant', 'target_label']).where('id', 'in', chunk).execute();
      for (const r of rows) out.set(r.id, { targetType: r.target_type, targetVariant: r.target_variant, ...(r.target_label === null ? {} : { targetLabel: r.target_label }) });
    }
    return out;
  }

  /** Runs of a project, newest first; optionally filtered by status or target variant. */
  async list(projectId: string, options: { limit?: number; status?: RunStatus; targetVariant?: string } = {}): Promise<RunRecord[]> {
    let q = this.db.selectFrom('runs').selectAll().where('project_id', '=', projectId);
    if (options.targetVariant) q = q.where('target_variant', '=', options.targetVariant);
    // The status filter runs in SQL, before the limit: `running` and `incomplete` are both stored as
    // `running` and told apart by the heartbeat's age, as toRecord does.
    const staleBefore = new Date(this.now() - HEARTBEAT_STALE_MS).toISOString();
    if (options.status === 'running') q = q.where('status', '=', 'running').where('heartbeat_at', '>=', staleBefore);
    else if (options.status === 'incomplete') q = q.where((eb) => eb.or([eb('status', '=', 'incomplete'), eb.and([eb('status', '=', 'running'), eb('heartbeat_at', '<', staleBefore)])]));
    else if (options.status) q = q.where('status', '=', options.status);
    const rows = await q.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(options.limit ?? 50).execute();
    return rows.map((r) => this.toRecord(r));
  }

  /**
   * The newest runs over any of the given dataset versions that hold a result of one example, newest
   * first (the example page's "latest results"). One indexed query: the example's results by run.
   */
  async listWithExample(projectId: string, versionIds: readonly string[], exampleId: string, limit = 5): Promise<RunRecord[]> {
    if (versionIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('runs')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('dataset_version_id', 'in', [...versionIds])
      .where((eb) => eb.exists(eb.selectFrom('results').select('results.run_id').whereRef('results.run_id', '=', 'runs.id').where('results.example_id', '=', exampleId)))
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => this.toRecord(r));
  }

  async metricAggregates(runId: string): Promise<MetricAggregate[]> {
    const rows = await this.db
      .selectFrom('scores')
      .where('run_id', '=', runId)
      .groupBy('metric')
      .select((eb) => [
        'metric',
        eb.fn.sum<number>(sql`case when status = 'scored' and pass = 1 then 1 else 0 end`).as('passed'),
        eb.fn.sum<number>(sql`case when status = 'scored' and pass = 0 then 1 else 0 end`).as('failed'),
        eb.fn.sum<number>(sql`case when status = 'errored' then 1 else 0 end`).as('errored'),
        eb.fn.sum<number>(sql`case when status = 'skipped' then 1 else 0 end`).as('skipped'),
        eb.fn.count<number>('value').as('value_count'),
        eb.fn.sum<number>(sql`coalesce(value, 0)`).as('value_sum'),
      ])
      .execute();
    return rows.map((r) => ({
      metric: r.metric,
      passed: Number(r.passed),
      failed: Number(r.failed),
      errored: Number(r.errored),
      skipped: Number(r.skipped),
      valueCount: Number(r.value_count),
      valueSum: Number(r.value_sum),
    }));
  }

  async resultAggregate(runId: string): Promise<ResultAggregate> {
    const row = await this.db
      .selectFrom('results')
      .where('run_id', '=', runId)
      .select((eb) => [
        eb.fn.countAll<number>().as('total'),
        eb.fn.sum<number>(sql`case when error is not null then 1 else 0 end`).as('errors'),
        eb.fn.sum<number>('cached').as('cached'),
        eb.fn.sum<number>(sql`coalesce(cost_usd, 0)`).as('cost'),
        eb.fn.sum<number>(sql`coalesce(input_tokens, 0)`).as('input_tokens'),
        eb.fn.sum<number>(sql`coalesce(output_tokens, 0)`).as('output_tokens'),
      ])
      .executeTakeFirstOrThrow();
    const ok = await this.db
      .selectFrom('results as r')
      .where('r.run_id', '=', runId)
      .where('r.error', 'is', null)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('scores as s')
              .select('s.metric')
              .whereRef('s.run_id', '=', 'r.run_id')
              .whereRef('s.example_id', '=', 'r.example_id')
              .whereRef('s.trial', '=', 'r.trial')
              .where('s.status', '=', 'scored')
              .where('s.pass', '=', 0),
          ),
        ),
      )
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return {
      total: Number(row.total),
      errors: Number(row.errors ?? 0),
      cached: Number(row.cached ?? 0),
      costUsd: Number(row.cost ?? 0),
      inputTokens: Number(row.input_tokens ?? 0),
      outputTokens: Number(row.output_tokens ?? 0),
      successes: Number(ok.n),
    };
  }

  /** Latencies of results without errors, ascending (for percentiles). */
  async latencies(runId: string): Promise<Float64Array> {
    const rows = await this.db.selectFrom('results').select('latency_ms').where('run_id', '=', runId).where('error', 'is', null).orderBy('latency_ms').execute();
    return Float64Array.from(rows, (r) => Number(r.latency_ms));
  }

  /** Results with their scores, in example order, a page at a time. */
  async results(runId: string, options: { limit?: number; offset?: number; exampleIds?: readonly string[]; trial?: number; filter?: ResultFilter } = {}): Promise<ResultRecord[]> {
    let q = this.db.selectFrom('results').selectAll().where('run_id', '=', runId);
    if (options.exampleIds) q = q.where('example_id', 'in', [...options.exampleIds]);
    if (options.filter) q = applyResultFilter(q, options.filter);
    if (options.trial !== undefined) q = q.where('trial', '=', options.trial);
    const rows = await q
      .orderBy('example_id')
      .orderBy('trial')
      .limit(options.limit ?? 1000)
      .offset(options.offset ?? 0)
      .execute();
    if (rows.length === 0) return [];
    const scores = await this.db
      .selectFrom('scores')
      .selectAll()
      .where('run_id', '=', runId)
      .where('example_id', 'in', [...new Set(rows.map((r) => r.example_id))])
      .execute();
    const byKey = new Map<string, Record<string, Score>>();
    for (const s of scores) {
      const key = `${s.example_id}\u0000${s.trial}`;
      const bucket = byKey.get(key) ?? {};
      bucket[s.metric] = {
        status: s.status as Score['status'],
        value: s.value === null ? null : Number(s.value),
        pass: s.pass === null ? null : Number(s.pass) === 1,
        scorerVersion: s.scorer_version,
        ...(s.label === null ? {} : { label: s.label }),
        ...(s.reason === null ? {} : { reason: s.reason }),
      };
      byKey.set(key, bucket);
    }
    return rows.map((r) => ({
      exampleId: r.example_id,
      trial: Number(r.trial),
      output: fromJsonValue(r.output),
      toolCalls: fromJson(r.tool_calls, ToolCallsSchema, 'tool calls'),
      latencyMs: Number(r.latency_ms),
      ...(r.input_tokens === null ? {} : { inputTokens: Number(r.input_tokens) }),
      ...(r.output_tokens === null ? {} : { outputTokens: Number(r.output_tokens) }),
      ...(r.cost_usd === null ? {} : { costUsd: Number(r.cost_usd) }),
      ...(r.error === null ? {} : { error: r.error }),
      cached: Number(r.cached) === 1,
      attempts: Number(r.attempts),
      scores: byKey.get(`${r.example_id}\u0000${r.trial}`) ?? {},
    }));
  }

  /** How many results of a run the filter keeps (all of them without one). */
  async countResults(runId: string, filter: ResultFilter = {}): Promise<number> {
    const row = await applyResultFilter(this.db.selectFrom('results').where('run_id', '=', runId), filter)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Every score of a run in compact form, for paired comparison. */
  async scoreRows(runId: string): Promise<ScoreRow[]> {
    const rows = await this.db.selectFrom('scores').select(['example_id', 'trial', 'metric', 'status', 'value', 'pass']).where('run_id', '=', runId).execute();
    return rows.map((r) => ({
      exampleId: r.example_id,
      trial: Number(r.trial),
      metric: r.metric,
      status: r.status as Score['status'],
      value: r.value === null ? null : Number(r.value),
      pass: r.pass === null ? null : Number(r.pass) === 1,
    }));
  }

  /** Every score of a run in columns (core/score-columns.ts), ordered by example, trial and metric: what the gate reads. */
  async scoreColumns(runId: string): Promise<ScoreColumns> {
    return this.readScoreColumns(runId);
  }

  /** Every result of a run whose target call errored (it has no scores), with the error's message. */
  async errorRows(runId: string): Promise<{ exampleId: string; trial: number; error: string }[]> {
    const rows = await this.db.selectFrom('results').select(['example_id', 'trial', 'error']).where('run_id', '=', runId).where('error', 'is not', null).execute();
    return rows.map((r) => ({ exampleId: r.example_id, trial: Number(r.trial), error: String(r.error) }));
  }

  /** Ids of the examples that have at least one result in a run. */
  async exampleIds(runId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('results').select('example_id').distinct().where('run_id', '=', runId).execute();
    return rows.map((r) => r.example_id);
  }

  /** Results (first trial) of the given examples, for evidence in reports. */
  async resultsFor(runId: string, exampleIds: readonly string[]): Promise<ResultRecord[]> {
    if (exampleIds.length === 0) return [];
    return this.results(runId, { limit: exampleIds.length, exampleIds, trial: 0 });
  }

  private toRecord(row: Database['runs']): RunRecord {
    const stored = RunStatusSchema.parse(row.status);
    const stale = stored === 'running' && this.now() - Date.parse(row.heartbeat_at) > HEARTBEAT_STALE_MS;
    return {
      id: row.id,
      projectId: row.project_id,
      datasetVersionId: row.dataset_version_id,
      targetType: row.target_type,
      targetVariant: row.target_variant,
      ...(row.target_label === null ? {} : { targetLabel: row.target_label }),
      metrics: fromJson(row.metrics, MetricsSchema, 'run metrics'),
      labels: fromJson(row.labels, LabelsSchema, 'run labels'),
      repeat: Number(row.repeat),
      status: stale ? 'incomplete' : stored,
      error: row.error,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      heartbeatAt: row.heartbeat_at,
      summary: row.summary === null ? null : fromJson(row.summary, RunSummarySchema, 'run summary'),
    };
  }
}
