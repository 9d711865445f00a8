import type { Kysely, Migration } from 'kysely';

/** Gate decisions, overrides, releases and the hash-chained audit log. */
export const gateMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('gate_decisions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('candidate_run_id', 'text', (c) => c.notNull().references('runs.id'))
      .addColumn('baseline_run_id', 'text', (c) => c.references('runs.id'))
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('rollout_percent', 'integer')
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('gate_decisions_project_created').on('gate_decisions').columns(['project_id', 'created_at']).execute();
    await db.schema
      .createTable('overrides')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('decision_id', 'text', (c) => c.notNull().references('gate_decisions.id'))
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('evidence_url', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('releases')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('target_variant', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('canary_percent', 'integer')
      .addColumn('candidate_run_id', 'text')
      .addColumn('decision_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('releases_project_variant', ['project_id', 'target_variant'])
      .execute();
    await db.schema
      .createTable('audit_log')
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('entity_type', 'text', (c) => c.notNull())
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('audit_log_pk', ['project_id', 'seq'])
      .execute();
  },
  async down(db: Kysely<any>): Promise<void> {
    for (const t of ['audit_log', 'releases', 'overrides', 'gate_decisions']) await db.schema.dropTable(t).execute();
  },
};
