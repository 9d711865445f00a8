import type { Kysely, Migration } from 'kysely';

/**
 * Ingested spans. The key (project, trace, span) makes a span sent twice stored once. Filterable
 * columns are copied out of the span document; the document keeps everything else.
 */
export const spansMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('spans')
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('trace_id', 'text', (c) => c.notNull())
      .addColumn('span_id', 'text', (c) => c.notNull())
      .addColumn('parent_span_id', 'text')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('start_time_ms', 'double precision', (c) => c.notNull())
      .addColumn('end_time_ms', 'double precision', (c) => c.notNull())
      .addColumn('duration_ms', 'double precision', (c) => c.notNull())
      .addColumn('model', 'text')
      .addColumn('session_id', 'text')
      .addColumn('user_id', 'text')
      .addColumn('release', 'text')
      .addColumn('service_name', 'text')
      .addColumn('input_tokens', 'integer')
      .addColumn('output_tokens', 'integer')
      .addColumn('cost_usd', 'double precision')
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('spans_pk', ['project_id', 'trace_id', 'span_id'])
      .execute();
    await db.schema.createIndex('spans_project_start').on('spans').columns(['project_id', 'start_time_ms']).execute();
    await db.schema.createIndex('spans_project_session').on('spans').columns(['project_id', 'session_id']).execute();
  },
  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable('spans').execute();
  },
};
