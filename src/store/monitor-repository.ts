import type { Kysely } from 'kysely';
import { z } from 'zod';
import { EvalOpsError } from '../core/errors.js';
import { MonitorSpecSchema, type MonitorSpec } from '../core/monitor/monitor-spec.js';
import type { Executor } from './audit-repository.js';
import type { Database } from './database.js';
import { newId } from './ids.js';
import { fromJson, toJson } from './json-column.js';

export interface MonitorRecord {
  readonly id: string;
  readonly projectId: string;
  readonly name: string;
  readonly spec: MonitorSpec;
  readonly enabled: boolean;
  /** The last evaluation as stored (see src/monitor/evaluate-monitors.ts), or null before the first. */
  readonly lastEvaluation: Record<string, unknown> | null;
  readonly evaluatedAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Set while the monitor is paused (`evalops monitors pause`): it neither evaluates nor alerts. */
  readonly paused: MonitorPause | null;
  /** After a rollback rule acted: the monitor reads its cohort's traces from this time (ms) on only. */
  readonly evaluateFromMs: number | null;
}

export interface MonitorPause {
  readonly at: string;
  readonly by: string;
  readonly reason: string | null;
}

const EvaluationSchema = z.record(z.string(), z.unknown()).nullable();

/** Monitors by project and name; saving an existing name replaces its spec. */
export class MonitorRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  async save(projectId: string, spec: MonitorSpec, db: Executor = this.db): Promise<{ monitor: MonitorRecord; created: boolean }> {
    const at = new Date(this.now()).toISOString();
    const id = newId('mon', this.now());
    await db
      .insertInto('monitors')
      .values({ id, project_id: projectId, name: spec.name, spec: toJson(spec), enabled: 1, last_evaluation: null, evaluated_at: null, created_at: at, updated_at: at })
      .onConflict((oc) => oc.columns(['project_id', 'name']).doUpdateSet({ spec: toJson(spec), updated_at: at }))
      .execute();
    const monitor = await this.find(projectId, spec.name, db);
    if (!monitor) throw new EvalOpsError('internal', `monitor ${spec.name} vanished after insert`);
    return { monitor, created: monitor.id === id };
  }

  async get(id: string, db: Executor = this.db): Promise<MonitorRecord> {
    const row = await db.selectFrom('monitors').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new EvalOpsError('not_found', `monitor ${id} not found`);
    return toRecord(row);
  }

  async find(projectId: string, name: string, db: Executor = this.db): Promise<MonitorRecord | undefined> {
    const row = await db.selectFrom('monitors').selectAll().where('project_id', '=', projectId).where('name', '=', name).executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  async resolve(projectId: string, ref: string): Promise<MonitorRecord> {
    const row = await this.db.selectFrom('monitors').selectAll().where('project_id', '=', projectId).where((eb) => eb.or([eb('name', '=', ref), eb('id', '=', ref)])).executeTakeFirst();
    if (!row) throw new EvalOpsError('not_found', `no monitor named ${ref}`);
    return toRecord(row);
  }

  async list(projectId: string): Promise<MonitorRecord[]> {
    return (await this.db.selectFrom('monitors').selectAll().where('project_id', '=', projectId).orderBy('name').execute()).map(toRecord);
  }

  async listEnabled(): Promise<MonitorRecord[]> {
    return (await this.db.selectFrom('monitors').selectAll().where('enabled', '=', 1).where('paused_at', 'is', null).orderBy('id').execute()).map(toRecord);
  }

  /**
   * Pauses (with who and why) or resumes (null) the monitor, conditional on its current state so a
   * concurrent pause or resume is not overwritten; false when it was already in that state.
   */
  async setPaused(id: string, pause: MonitorPause | null, db: Executor = this.db): Promise<boolean> {
    const q = db
      .updateTable('monitors')
      .set({ paused_at: pause?.at ?? null, paused_by: pause?.by ?? null, pause_reason: pause?.reason ?? null, updated_at: new Date(this.now()).toISOString() })
      .where('id', '=', id);
    const result = await (pause ? q.where('paused_at', 'is', null) : q.where('paused_at', 'is not', null)).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** From now on the monitor reads its cohort's traces from `ms` on only (after a rollback rule acted); never moves back. */
  async evaluateFrom(id: string, ms: number, db: Executor = this.db): Promise<void> {
    await db
      .updateTable('monitors')
      .set({ evaluate_from_ms: ms })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('evaluate_from_ms', 'is', null), eb('evaluate_from_ms', '<', ms)]))
      .execute();
  }

  async setEnabled(id: string, enabled: boolean): Promise<void> {
    await this.db.updateTable('monitors').set({ enabled: enabled ? 1 : 0, updated_at: new Date(this.now()).toISOString() }).where('id', '=', id).execute();
  }

  async recordEvaluation(id: string, evaluation: Record<string, unknown>, db: Executor = this.db): Promise<void> {
    await db.updateTable('monitors').set({ last_evaluation: toJson(evaluation), evaluated_at: new Date(this.now()).toISOString() }).where('id', '=', id).execute();
  }
}

function toRecord(row: Database['monitors']): MonitorRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    name: row.name,
    spec: fromJson(row.spec, MonitorSpecSchema, `monitor ${row.name}`),
    enabled: Number(row.enabled) === 1,
    lastEvaluation: fromJson(row.last_evaluation, EvaluationSchema, `monitor ${row.name} evaluation`),
    evaluatedAt: row.evaluated_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    paused: row.paused_at === null ? null : { at: row.paused_at, by: row.paused_by ?? 'unknown', reason: row.pause_reason },
    evaluateFromMs: row.evaluate_from_ms === null ? null : Number(row.evaluate_from_ms),
  };
}
