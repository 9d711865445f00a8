import type { Kysely, Migration } from 'kysely';

/**
 * The subset a run ran on (`evalops run --subset NAME`): its description and the ids of its examples,
 * so a comparison restricts the baseline to exactly those — including ones the candidate has no
 * result for, which then count against it. A run without a row ran on the whole dataset. Touches only
 * its own table, so it runs the same whether or not migrations numbered near it exist.
 */
export const runSubsetsMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('run_subsets')
      .addColumn('run_id', 'text', (c) => c.primaryKey().references('runs.id'))
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      /** JSON: the RunSubset description (spec, seed, sizes). */
      .addColumn('description', 'text', (c) => c.notNull())
      /** JSON: the example ids of the subset. */
      .addColumn('example_ids', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable('run_subsets').execute();
  },
};
