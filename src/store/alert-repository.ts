import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { AlertResolutionKindSchema, alertTransition, AlertStatusSchema, type AlertAction, type AlertResolutionKind, type AlertStatus } from '../core/monitor/alert-lifecycle.js';
import { EvalOpsError } from '../core/errors.js';
import type { Executor } from './audit-repository.js';
import type { Database } from './database.js';
import { newId } from './ids.js';
import type { ProjectScope } from './project-scope.js';
import { fromJson, toJson } from './json-column.js';

export type AlertKind = 'monitor' | 'budget';

export interface AlertRecord {
  readonly id: string;
  readonly projectId: string;
  readonly monitorId: string | null;
  readonly ruleId: string | null;
  readonly kind: AlertKind;
  readonly dedupeKey: string;
  readonly status: AlertStatus;
  readonly severity: string;
  readonly title: string;
  readonly evidence: Record<string, unknown>;
  readonly openedAt: string;
  readonly acknowledgedBy: string | null;
  readonly acknowledgedAt: string | null;
  /** The note left when acknowledging. */
  readonly acknowledgement: string | null;
  readonly resolvedBy: string | null;
  readonly resolvedAt: string | null;
  readonly resolution: string | null;
  /** How it was resolved: acted (a rollback rule moved the release), recovered, manual; null while unresolved. */
  readonly resolvedAs: AlertResolutionKind | null;
  readonly updatedAt: string;
}

export interface NewAlert {
  readonly projectId: string;
  readonly monitorId: string | null;
  readonly ruleId: string | null;
  readonly kind: AlertKind;
  readonly dedupeKey: string;
  readonly severity: string;
  readonly title: string;
  readonly evidence: Record<string, unknown>;
}

const EvidenceSchema = z.record(z.string(), z.unknown());

/**
 * Alerts. Opening is deduplicated by the database: a partial unique index allows one unresolved
 * alert per (project, dedupe key), so two workers evaluating the same monitor open it once.
 */
export class AlertRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Opens the alert unless one with its key is unresolved; `created` says which happened. */
  async open(alert: NewAlert, db: Executor = this.db): Promise<{ alert: AlertRecord; created: boolean }> {
    const at = new Date(this.now()).toISOString();
    const id = newId('alr', this.now());
    const inserted = await db
      .insertInto('alerts')
      .values({
        id,
        project_id: alert.projectId,
        monitor_id: alert.monitorId,
        rule_id: alert.ruleId,
        kind: alert.kind,
        dedupe_key: alert.dedupeKey,
        status: 'open',
        severity: alert.severity,
        title: alert.title,
        evidence: toJson(alert.evidence),
        opened_at: at,
        acknowledged_by: null,
        acknowledged_at: null,
        acknowledgement: null,
        resolved_by: null,
        resolved_at: null,
        resolution: null,
        resolved_as: null,
        updated_at: at,
      })
      // The target repeats the partial index's predicate literally: SQLite matches it by its text.
      .onConflict((oc) => oc.columns(['project_id', 'dedupe_key']).where(sql<boolean>`status <> 'resolved'`).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) return { alert: await this.get(id, db), created: true };
    const existing = await this.unresolved(alert.projectId, alert.dedupeKey, db);
    if (!existing) throw new EvalOpsError('conflict', `alert ${alert.dedupeKey} was resolved while being opened; evaluate again`, { retryable: true });
    return { alert: existing, created: false };
  }

  async get(id: string, db: Executor = this.db): Promise<AlertRecord> {
    return this.getInProject(null, id, db);
  }

  /** An alert of the project in scope (any project for null): one of another project is not found. */
  async getInProject(scope: ProjectScope, id: string, db: Executor = this.db): Promise<AlertRecord> {
    let q = db.selectFrom('alerts').selectAll().where('id', '=', id);
    if (scope !== null) q = q.where('project_id', '=', scope);
    const row = await q.executeTakeFirst();
    if (!row) throw new EvalOpsError('not_found', `alert ${id} not found`);
    return toRecord(row);
  }

  async unresolved(projectId: string, dedupeKey: string, db: Executor = this.db): Promise<AlertRecord | undefined> {
    const row = await db.selectFrom('alerts').selectAll().where('project_id', '=', projectId).where('dedupe_key', '=', dedupeKey).where('status', '<>', 'resolved').executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  /** Alerts of a project, newest first, optionally by status or monitor. */
  async list(projectId: string, options: { status?: AlertStatus | 'unresolved'; monitorId?: string; limit?: number } = {}): Promise<AlertRecord[]> {
    let q = this.db.selectFrom('alerts').selectAll().where('project_id', '=', projectId);
    if (options.status === 'unresolved') q = q.where('status', '<>', 'resolved');
    else if (options.status) q = q.where('status', '=', options.status);
    if (options.monitorId) q = q.where('monitor_id', '=', options.monitorId);
    return (await q.orderBy('opened_at', 'desc').orderBy('id', 'desc').limit(options.limit ?? 100).execute()).map(toRecord);
  }

  /**
   * Acknowledges or resolves, with the note (the acknowledgement or the resolution); an illegal move
   * is EvalOpsError('conflict'). The update is conditional
   * on the status read, so a concurrent move is refused rather than overwritten.
   */
  async move(id: string, action: AlertAction, actor: string, note: string | null, db: Executor = this.db, resolvedAs: AlertResolutionKind = 'manual'): Promise<{ alert: AlertRecord; from: AlertStatus }> {
    const current = await this.get(id, db);
    const next = alertTransition(current.status, action);
    if (!next.ok) throw new EvalOpsError('conflict', `alert ${id}: ${next.message}`);
    const at = new Date(this.now()).toISOString();
    const result = await db
      .updateTable('alerts')
      .set(
        action === 'acknowledge'
          ? { status: next.status, acknowledged_by: actor, acknowledged_at: at, acknowledgement: note, updated_at: at }
          : { status: next.status, resolved_by: actor, resolved_at: at, resolution: note, resolved_as: resolvedAs, updated_at: at },
      )
      .where('id', '=', id)
      .where('status', '=', current.status)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw new EvalOpsError('conflict', `alert ${id} changed while being moved; read it again`, { retryable: true });
    return { alert: await this.get(id, db), from: current.status };
  }

  /** Adds keys to the alert's evidence (e.g. the actions a rollback rule took). */
  async addEvidence(id: string, extra: Record<string, unknown>, db: Executor = this.db): Promise<void> {
    const current = await this.get(id, db);
    await db.updateTable('alerts').set({ evidence: toJson({ ...current.evidence, ...extra }) }).where('id', '=', id).execute();
  }
}

function toRecord(row: Database['alerts']): AlertRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    monitorId: row.monitor_id,
    ruleId: row.rule_id,
    kind: row.kind === 'budget' ? 'budget' : 'monitor',
    dedupeKey: row.dedupe_key,
    status: AlertStatusSchema.parse(row.status),
    severity: row.severity,
    title: row.title,
    evidence: fromJson(row.evidence, EvidenceSchema, `alert ${row.id} evidence`),
    openedAt: row.opened_at,
    acknowledgedBy: row.acknowledged_by,
    acknowledgedAt: row.acknowledged_at,
    acknowledgement: row.acknowledgement,
    resolvedBy: row.resolved_by,
    resolvedAt: row.resolved_at,
    resolution: row.resolution,
    resolvedAs: row.resolved_as === null ? null : AlertResolutionKindSchema.parse(row.resolved_as),
    updatedAt: row.updated_at,
  };
}
