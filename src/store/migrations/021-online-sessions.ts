import type { Kysely, Migration } from 'kysely';

/**
 * Production sessions scored by online rules (`target: sessions`): one row per rule and session with
 * what the sweep has seen of it (traces counted, the arrival of the latest, whether a span ended it)
 * and whether it waits to be scored. A session is scored once it is ready (idle, or ended), and again
 * only when traces arrive after that scoring; `seen_traces` is the generation a scoring job names, so
 * a job whose session has grown meanwhile stores nothing. Touches no other table, so it runs the same
 * whether or not the migrations numbered before it exist.
 */
export const onlineSessionsMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('online_sessions')
      .addColumn('rule_id', 'text', (c) => c.notNull().references('online_rules.id'))
      .addColumn('session_id', 'text', (c) => c.notNull())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      /** Traces of the session the sweep has counted (the generation). */
      .addColumn('seen_traces', 'integer', (c) => c.notNull())
      /** Arrival (received_at, the server's clock) of the latest trace counted: idleness is measured from it. */
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      /** 1 when a span counted since the last scoring carried evalops.session.end = true. */
      .addColumn('ended', 'integer', (c) => c.notNull())
      /** 1 while traces counted are not covered by a scoring. */
      .addColumn('pending', 'integer', (c) => c.notNull())
      .addColumn('scored_traces', 'integer')
      .addColumn('scored_at', 'text')
      .addColumn('scorings', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('online_sessions_pk', ['rule_id', 'session_id'])
      .execute();
    // The readiness pass reads a rule's pending sessions by arrival of their latest trace.
    await db.schema.createIndex('online_sessions_pending').on('online_sessions').columns(['rule_id', 'pending', 'last_seen_at']).execute();
    await db.schema.createIndex('online_sessions_project').on('online_sessions').columns(['project_id', 'session_id']).execute();
  },
  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable('online_sessions').execute();
  },
};
