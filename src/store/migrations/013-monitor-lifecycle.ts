import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The monitor lifecycle around an action: a monitor can be paused (who, when, why; it neither
 * evaluates nor alerts), and after a rollback rule acts it reads its cohort only from the action on
 * (`evaluate_from_ms`), so the stale traces of the window cannot reopen the alert. An alert records
 * how it was resolved (`resolved_as`: acted, recovered, manual); alerts resolved before this
 * migration are backfilled from who resolved them. Touches only `monitors` and `alerts`, so it runs
 * the same whether or not other migrations numbered near it exist.
 */
export const monitorLifecycleMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('monitors').addColumn('paused_at', 'text').execute();
    await db.schema.alterTable('monitors').addColumn('paused_by', 'text').execute();
    await db.schema.alterTable('monitors').addColumn('pause_reason', 'text').execute();
    await db.schema.alterTable('monitors').addColumn('evaluate_from_ms', 'double precision').execute();
    await db.schema.alterTable('alerts').addColumn('resolved_as', 'text').execute();
    await sql`update alerts set resolved_as = case when resolved_by like 'monitor:%' then 'recovered' else 'manual' end where status = 'resolved'`.execute(db);
  },
  async down(db: Kysely<any>): Promise<void> {
    for (const c of ['paused_at', 'paused_by', 'pause_reason', 'evaluate_from_ms']) await db.schema.alterTable('monitors').dropColumn(c).execute();
    await db.schema.alterTable('alerts').dropColumn('resolved_as').execute();
  },
};
