import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

/**
 * `span_sessions`: one row per session a span has named, with the earliest start and the latest end
 * of the spans naming it — what a session list sorts and bounds by. It is kept by the database itself
 * on every span insert (a trigger), so every writer (the server's queue, the SQLite worker, a bulk
 * load in SQL) keeps it, and a span skipped as already stored (`ON CONFLICT DO NOTHING`) changes
 * nothing. Without it, the newest page of sessions grouped every span naming a session in the project
 * (22 s at 1,000,000 spans on PostgreSQL, bench/RESULTS.md §19); with it, a page is an index range.
 *
 * - PostgreSQL: a statement trigger with a transition table on the partitioned `spans` (one grouped
 *   upsert per INSERT statement). The trigger's ORDER BY alone does not give one lock order (measured:
 *   writers of batches in arrival order deadlocked), so the writer puts every batch's rows in
 *   (project, session) order (postgres/insert-span-rows.ts) and two writers take the row locks in the
 *   same order; a transaction still aborted to break a deadlock with another writer is tried again.
 * - SQLite: a row trigger (SQLite has no statement triggers); one writer at a time, no lock order.
 *
 * Retention deletes the rows of sessions whose last activity is older than the cutoff
 * (span-retention.ts). Existing spans are summarised when the migration runs.
 */
export const spanSessionsMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('span_sessions')
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('session_id', 'text', (c) => c.notNull())
      .addColumn('first_start_ms', 'double precision', (c) => c.notNull())
      .addColumn('last_end_ms', 'double precision', (c) => c.notNull())
      .addPrimaryKeyConstraint('span_sessions_pk', ['project_id', 'session_id'])
      .execute();
    // The list: newest last activity first, ties by session id, keyset-paged.
    await db.schema.createIndex('span_sessions_activity').on('span_sessions').columns(['project_id', 'last_end_ms', 'session_id']).execute();
    await sql`
      insert into span_sessions (project_id, session_id, first_start_ms, last_end_ms)
      select project_id, session_id, min(start_time_ms), max(end_time_ms) from spans where session_id is not null group by project_id, session_id`.execute(db);
    if (db.getExecutor().adapter instanceof PostgresAdapter) {
      await sql`
        create function span_sessions_touch() returns trigger language plpgsql as $$
        begin
          insert into span_sessions (project_id, session_id, first_start_ms, last_end_ms)
          select project_id, session_id, min(start_time_ms), max(end_time_ms) from new_spans
          where session_id is not null group by project_id, session_id order by project_id collate "C", session_id collate "C"
          on conflict (project_id, session_id) do update set
            first_start_ms = least(span_sessions.first_start_ms, excluded.first_start_ms),
            last_end_ms = greatest(span_sessions.last_end_ms, excluded.last_end_ms)
          where excluded.first_start_ms < span_sessions.first_start_ms or excluded.last_end_ms > span_sessions.last_end_ms;
          return null;
        end $$`.execute(db);
      await sql`create trigger spans_span_sessions after insert on spans referencing new table as new_spans for each statement execute function span_sessions_touch()`.execute(db);
      return;
    }
    await sql`
      create trigger spans_span_sessions after insert on spans when new.session_id is not null begin
        insert into span_sessions (project_id, session_id, first_start_ms, last_end_ms)
        values (new.project_id, new.session_id, new.start_time_ms, new.end_time_ms)
        on conflict (project_id, session_id) do update set
          first_start_ms = min(span_sessions.first_start_ms, excluded.first_start_ms),
          last_end_ms = max(span_sessions.last_end_ms, excluded.last_end_ms)
        where excluded.first_start_ms < span_sessions.first_start_ms or excluded.last_end_ms > span_sessions.last_end_ms;
      end`.execute(db);
  },
  async down(db: Kysely<any>): Promise<void> {
    await sql`drop trigger if exists spans_span_sessions${db.getExecutor().adapter instanceof PostgresAdapter ? sql` on spans` : sql``}`.execute(db);
    if (db.getExecutor().adapter instanceof PostgresAdapter) await sql`drop function if exists span_sessions_touch()`.execute(db);
    await db.schema.dropTable('span_sessions').execute();
  },
};
