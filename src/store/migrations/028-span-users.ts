import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The spans of a user, by index: `spans_project_user` on (project, user, session, trace), partial
 * (only spans that carry a user id). The trace and session lists filtered by user (`?user=`) read the
 * user's traces and sessions from it and then only those rows; before it they walked the project's
 * traces or sessions newest first and probed each one's spans for the user — 12–16 s for one user's
 * sessions at 10,000,000 spans on PostgreSQL (bench/RESULTS.md §31), linear in the project. The
 * session and trace ids are in the index so both lists read it alone (index-only on PostgreSQL once a
 * partition is vacuumed). On PostgreSQL an index on the partitioned `spans` is built on every day
 * partition, and on each new one as it is created.
 */
export const spanUsersMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.createIndex('spans_project_user').on('spans').columns(['project_id', 'user_id', 'session_id', 'trace_id']).where(sql.ref('user_id'), 'is not', null).execute();
  },
  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropIndex('spans_project_user').execute();
  },
};
