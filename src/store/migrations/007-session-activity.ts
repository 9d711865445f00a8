import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

/**
 * What the web UI's lists need to stay fast and readable (bench/RESULTS.md §7):
 *
 * - Session lists by last activity. The partial (project, session) index gains the span's end and
 *   start times, so the page of sessions (newest last activity first, since/until bounds) is read from
 *   the index alone, without visiting the spans. It stays partial: still one index insert per span
 *   that names a session, none for the others, so span writes cost what they did. Queries by session
 *   id (`=`, `IN`) use its leading columns as before.
 * - Runs keep a readable name of their target (`target_label`: the model, the module's path and
 *   export, the command, the HTTP method and URL) beside the variant hash; older runs have none.
 * - An override to narrow keeps its percentage (`rollout_percent`), so a decision shows it; older
 *   overrides get it back from their audit entry.
 */
export const sessionActivityMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.createIndex('spans_session_activity').on('spans').columns(['project_id', 'session_id', 'end_time_ms', 'start_time_ms']).where(sql.ref('session_id'), 'is not', null).execute();
    await db.schema.dropIndex('spans_project_session').execute();
    await db.schema.alterTable('runs').addColumn('target_label', 'text').execute();
    await db.schema.alterTable('overrides').addColumn('rollout_percent', 'integer').execute();
    const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
    const field = (name: string) => (postgres ? sql`(a.payload::jsonb ->> ${name})` : sql`json_extract(a.payload, ${`$.${name}`})`);
    await sql`update overrides set rollout_percent = (
        select cast(${field('rolloutPercent')} as integer) from audit_log a
        where a.action = 'gate.override' and a.entity_id = overrides.decision_id and ${field('overrideId')} = overrides.id
      ) where outcome = 'narrow'`.execute(db);
  },
  async down(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('overrides').dropColumn('rollout_percent').execute();
    await db.schema.alterTable('runs').dropColumn('target_label').execute();
    await db.schema.createIndex('spans_project_session').on('spans').columns(['project_id', 'session_id']).where(sql.ref('session_id'), 'is not', null).execute();
    await db.schema.dropIndex('spans_session_activity').execute();
  },
};
