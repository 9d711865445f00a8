import type { Kysely, Transaction } from 'kysely';
import { EvalOpsError } from '../core/errors.js';
import { rollbackTargetCheck } from '../core/monitor/monitor-cohort.js';
import { MonitorSpecSchema } from '../core/monitor/monitor-spec.js';
import { withWriteRetry, type AuditRepository, type Executor } from './audit-repository.js';
import type { Database } from './database.js';
import { newId } from './ids.js';
import { fromJson } from './json-column.js';

export interface RollbackRuleRecord {
  readonly id: string;
  readonly projectId: string;
  readonly releaseId: string;
  readonly monitorId: string;
  /** `rollback`: the release goes to rolled_back; `narrow`: its canary shrinks to `percent`. */
  readonly action: 'rollback' | 'narrow';
  readonly percent: number | null;
  readonly createdBy: string;
  readonly createdAt: string;
}

export type NewRollbackRule = Omit<RollbackRuleRecord, 'id' | 'createdAt'>;

/**
 * Rollback rules: when a bound monitor fires, what happens to the release. One per release and
 * monitor. A rule binds a release and a monitor of one project: both are looked up in the rule's
 * project when it is saved (one of another project is not found), and a firing monitor only ever
 * reaches releases of its own project. A rule may bind only a release the monitor watches (its
 * canary, or its `release:` cohort; src/core/monitor/monitor-cohort.ts): any other is refused as
 * input naming the monitor, its cohort and the release. Every save and removal appends a
 * `rollback_rule.change` audit entry in the same transaction.
 */
export class RollbackRuleRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditRepository,
    private readonly now: () => number = Date.now,
  ) {}

  async save(rule: NewRollbackRule): Promise<{ rule: RollbackRuleRecord; created: boolean }> {
    if (rule.action === 'narrow' && (rule.percent === null || rule.percent < 1 || rule.percent > 99)) {
      throw new EvalOpsError('input', 'a narrowing rollback rule needs a percent from 1 to 99');
    }
    return withWriteRetry(() => this.db.transaction().execute((trx) => this.saveIn(trx, rule)));
  }

  /** The rules of a release of the project, oldest first (none for a release of another project). */
  async forRelease(projectId: string, releaseId: string): Promise<RollbackRuleRecord[]> {
    return (await this.db.selectFrom('rollback_rules').selectAll().where('project_id', '=', projectId).where('release_id', '=', releaseId).orderBy('created_at').execute()).map(toRecord);
  }

  /**
   * The rules a firing monitor applies: only those whose rule, release and monitor are of one project,
   * so even a row written across projects before this guard existed cannot move another project's release.
   */
  async forMonitor(monitorId: string, db: Executor = this.db): Promise<RollbackRuleRecord[]> {
    const rows = await db
      .selectFrom('rollback_rules as b')
      .innerJoin('monitors as m', 'm.id', 'b.monitor_id')
      .innerJoin('releases as r', 'r.id', 'b.release_id')
      .selectAll('b')
      .where('b.monitor_id', '=', monitorId)
      .whereRef('m.project_id', '=', 'b.project_id')
      .whereRef('r.project_id', '=', 'b.project_id')
      .orderBy('b.created_at')
      .execute();
    return rows.map(toRecord);
  }

  /** Removes the rule binding a monitor to a release of the project, audited; false when there was none. */
  async remove(projectId: string, releaseId: string, monitorId: string, actor: string): Promise<RollbackRuleRecord | undefined> {
    return withWriteRetry(() =>
      this.db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('rollback_rules').selectAll().where('project_id', '=', projectId).where('release_id', '=', releaseId).where('monitor_id', '=', monitorId).executeTakeFirst();
        if (!row) return undefined;
        await trx.deleteFrom('rollback_rules').where('id', '=', row.id).execute();
        const removed = toRecord(row);
        await this.appendAudit(trx, removed, 'delete', actor);
        return removed;
      }),
    );
  }

  private async saveIn(trx: Transaction<Database>, rule: NewRollbackRule): Promise<{ rule: RollbackRuleRecord; created: boolean }> {
    // Both ends in the rule's project, by a WHERE on it: the API resolved them there, this is the last word.
    const release = await trx.selectFrom('releases').select(['id', 'target_variant']).where('id', '=', rule.releaseId).where('project_id', '=', rule.projectId).executeTakeFirst();
    if (!release) throw new EvalOpsError('not_found', `release ${rule.releaseId} not found`);
    const monitor = await trx.selectFrom('monitors').select(['id', 'name', 'spec']).where('id', '=', rule.monitorId).where('project_id', '=', rule.projectId).executeTakeFirst();
    if (!monitor) throw new EvalOpsError('not_found', `monitor ${rule.monitorId} not found`);
    const names = (await trx.selectFrom('release_names').select('name').where('release_id', '=', release.id).where('project_id', '=', rule.projectId).orderBy('created_at').execute()).map((n) => n.name);
    const target = rollbackTargetCheck(monitor.name, fromJson(monitor.spec, MonitorSpecSchema, `monitor ${monitor.name}`), { id: release.id, variant: release.target_variant, names });
    if (!target.ok) throw new EvalOpsError('input', target.message);
    const at = new Date(this.now()).toISOString();
    const id = newId('rbr', this.now());
    const percent = rule.action === 'narrow' ? rule.percent : null;
    await trx
      .insertInto('rollback_rules')
      .values({ id, project_id: rule.projectId, release_id: rule.releaseId, monitor_id: rule.monitorId, action: rule.action, percent, created_by: rule.createdBy, created_at: at })
      .onConflict((oc) => oc.columns(['release_id', 'monitor_id']).doUpdateSet({ action: rule.action, percent, created_by: rule.createdBy, created_at: at }))
      .execute();
    const row = await trx.selectFrom('rollback_rules').selectAll().where('release_id', '=', rule.releaseId).where('monitor_id', '=', rule.monitorId).executeTakeFirstOrThrow();
    const saved = toRecord(row);
    const created = saved.id === id;
    await this.appendAudit(trx, saved, created ? 'create' : 'update', rule.createdBy);
    return { rule: saved, created };
  }

  private async appendAudit(trx: Transaction<Database>, rule: RollbackRuleRecord, change: 'create' | 'update' | 'delete', actor: string): Promise<void> {
    const names = await trx
      .selectFrom('releases as r')
      .innerJoin('monitors as m', (j) => j.on('m.id', '=', rule.monitorId))
      .select(['r.target_variant', 'm.name'])
      .where('r.id', '=', rule.releaseId)
      .executeTakeFirst();
    await this.audit.append(
      rule.projectId,
      {
        actor,
        action: 'rollback_rule.change',
        entityType: 'rollback_rule',
        entityId: rule.id,
        payload: { change, release: rule.releaseId, variant: names?.target_variant ?? null, monitor: rule.monitorId, monitorName: names?.name ?? null, action: rule.action, percent: rule.percent },
      },
      trx,
    );
  }
}

function toRecord(row: Database['rollback_rules']): RollbackRuleRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    releaseId: row.release_id,
    monitorId: row.monitor_id,
    action: row.action === 'narrow' ? 'narrow' : 'rollback',
    percent: row.percent === null ? null : Number(row.percent),
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}
