import type { Kysely } from 'kysely';
import { EvalOpsError } from '../core/errors.js';
import type { Executor } from './audit-repository.js';
import type { Database } from './database.js';
import { newId } from './ids.js';

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

/** Rollback rules: when a bound monitor fires, what happens to the release. One per release and monitor. */
export class RollbackRuleRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  async save(rule: Omit<RollbackRuleRecord, 'id' | 'createdAt'>, db: Executor = this.db): Promise<RollbackRuleRecord> {
    if (rule.action === 'narrow' && (rule.percent === null || rule.percent < 1 || rule.percent > 99)) {
      throw new EvalOpsError('input', 'a narrowing rollback rule needs a percent from 1 to 99');
    }
    const at = new Date(this.now()).toISOString();
    await db
      .insertInto('rollback_rules')
      .values({ id: newId('rbr', this.now()), project_id: rule.projectId, release_id: rule.releaseId, monitor_id: rule.monitorId, action: rule.action, percent: rule.action === 'narrow' ? rule.percent : null, created_by: rule.createdBy, created_at: at })
      .onConflict((oc) => oc.columns(['release_id', 'monitor_id']).doUpdateSet({ action: rule.action, percent: rule.action === 'narrow' ? rule.percent : null, created_by: rule.createdBy, created_at: at }))
      .execute();
    const row = await db.selectFrom('rollback_rules').selectAll().where('release_id', '=', rule.releaseId).where('monitor_id', '=', rule.monitorId).executeTakeFirstOrThrow();
    return toRecord(row);
  }

  async forRelease(releaseId: string): Promise<RollbackRuleRecord[]> {
    return (await this.db.selectFrom('rollback_rules').selectAll().where('release_id', '=', releaseId).orderBy('created_at').execute()).map(toRecord);
  }

  async forMonitor(monitorId: string, db: Executor = this.db): Promise<RollbackRuleRecord[]> {
    return (await db.selectFrom('rollback_rules').selectAll().where('monitor_id', '=', monitorId).orderBy('created_at').execute()).map(toRecord);
  }

  async remove(releaseId: string, monitorId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('rollback_rules').where('release_id', '=', releaseId).where('monitor_id', '=', monitorId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
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
