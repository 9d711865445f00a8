import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

/**
 * Cheaper span writes (bench/RESULTS.md §6), the queries unchanged:
 *
 * - The (project, session) index becomes partial: only spans that name a session are in it. Every
 *   query by session (`session_id = ?`, `IN (…)`, `IS NOT NULL`) implies the index's condition, so
 *   SQLite and PostgreSQL still use it; spans without a session (tool calls, retrievals, apps that set
 *   the session on the root span only) no longer cost an index insert.
 * - PostgreSQL: span documents are compressed with lz4 instead of pglz when a row is over the 2 KB
 *   TOAST threshold (a typical LLM span is just over it): pglz was about a quarter of PostgreSQL's CPU
 *   per span. Kept as it is on a server built without lz4 (or older than 14); new rows only.
 */
export const spanIngestCostMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.dropIndex('spans_project_session').execute();
    await db.schema.createIndex('spans_project_session').on('spans').columns(['project_id', 'session_id']).where(sql.ref('session_id'), 'is not', null).execute();
    if (db.getExecutor().adapter instanceof PostgresAdapter) {
      await sql`do $$ begin
        execute 'alter table spans alter column document set compression lz4';
      exception when others then
        raise notice 'span documents keep the default compression: %', sqlerrm;
      end $$`.execute(db);
    }
  },
  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropIndex('spans_project_session').execute();
    await db.schema.createIndex('spans_project_session').on('spans').columns(['project_id', 'session_id']).execute();
    if (db.getExecutor().adapter instanceof PostgresAdapter) {
      await sql`do $$ begin
        execute 'alter table spans alter column document set compression default';
      exception when others then null;
      end $$`.execute(db);
    }
  },
};
