import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Session lists by last activity (bench/RESULTS.md §7). The partial (project, session) index gains the
 * span's end and start times, so the page of sessions (newest last activity first, since/until
 * bounds) is read from the index alone, without visiting the spans. It stays partial: still one index
 * insert per span that names a session, none for the others, so span writes cost what they did.
 * Queries by session id (`=`, `IN`) use its leading columns as before.
 */
export const sessionActivityMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.createIndex('spans_session_activity').on('spans').columns(['project_id', 'session_id', 'end_time_ms', 'start_time_ms']).where(sql.ref('session_id'), 'is not', null).execute();
    await db.schema.dropIndex('spans_project_session').execute();
  },
  async down(db: Kysely<any>): Promise<void> {
    await db.schema.createIndex('spans_project_session').on('spans').columns(['project_id', 'session_id']).where(sql.ref('session_id'), 'is not', null).execute();
    await db.schema.dropIndex('spans_session_activity').execute();
  },
};
