import type { Kysely, Migration } from 'kysely';

/** Tables for projects, datasets, versions, examples, runs, results, scores and the response cache. */
export const initialMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('projects')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('datasets')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('datasets_project_name', ['project_id', 'name'])
      .execute();
    await db.schema
      .createTable('dataset_versions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('dataset_id', 'text', (c) => c.notNull().references('datasets.id'))
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('example_count', 'integer', (c) => c.notNull())
      .addColumn('source_path', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('dataset_versions_dataset_hash', ['dataset_id', 'hash'])
      .execute();
    await db.schema
      .createTable('examples')
      .addColumn('version_id', 'text', (c) => c.notNull().references('dataset_versions.id'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('input', 'text', (c) => c.notNull())
      .addColumn('expected', 'text')
      .addColumn('metadata', 'text', (c) => c.notNull())
      .addColumn('slices', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('examples_pk', ['version_id', 'id'])
      .execute();
    await db.schema
      .createTable('runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('dataset_version_id', 'text', (c) => c.notNull().references('dataset_versions.id'))
      .addColumn('target_type', 'text', (c) => c.notNull())
      .addColumn('target_variant', 'text', (c) => c.notNull())
      .addColumn('metrics', 'text', (c) => c.notNull())
      .addColumn('labels', 'text', (c) => c.notNull())
      .addColumn('repeat', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('error', 'text')
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .addColumn('heartbeat_at', 'text', (c) => c.notNull())
      .addColumn('summary', 'text')
      .execute();
    await db.schema.createIndex('runs_project_started').on('runs').columns(['project_id', 'started_at']).execute();
    await db.schema
      .createTable('results')
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id'))
      .addColumn('example_id', 'text', (c) => c.notNull())
      .addColumn('trial', 'integer', (c) => c.notNull())
      .addColumn('output', 'text')
      .addColumn('tool_calls', 'text', (c) => c.notNull())
      .addColumn('latency_ms', 'double precision', (c) => c.notNull())
      .addColumn('input_tokens', 'integer')
      .addColumn('output_tokens', 'integer')
      .addColumn('cost_usd', 'double precision')
      .addColumn('error', 'text')
      .addColumn('cached', 'integer', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('results_pk', ['run_id', 'example_id', 'trial'])
      .execute();
    await db.schema
      .createTable('scores')
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id'))
      .addColumn('example_id', 'text', (c) => c.notNull())
      .addColumn('trial', 'integer', (c) => c.notNull())
      .addColumn('metric', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('value', 'double precision')
      .addColumn('pass', 'integer')
      .addColumn('label', 'text')
      .addColumn('reason', 'text')
      .addColumn('scorer_version', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('scores_pk', ['run_id', 'example_id', 'trial', 'metric'])
      .execute();
    await db.schema
      .createTable('response_cache')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('target_variant', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('hits', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  },
  async down(db: Kysely<any>): Promise<void> {
    for (const t of ['response_cache', 'scores', 'results', 'runs', 'examples', 'dataset_versions', 'datasets', 'projects']) {
      await db.schema.dropTable(t).execute();
    }
  },
};
