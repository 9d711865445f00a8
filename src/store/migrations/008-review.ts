import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Human review and judge calibration: review queues, their items (each at most once per queue),
 * assignments (a reviewer gets an item at most once; at most one open assignment per reviewer and
 * queue), labels (one per reviewer and item), frozen gold sets of settled labels, and calibrations
 * of a judge version against a gold set.
 */
export const reviewMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('review_queues')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('metric', 'text', (c) => c.notNull())
      /** JSON: the rubric (labels with definitions, pass labels, ordinal). */
      .addColumn('rubric', 'text', (c) => c.notNull())
      /** JSON: reviewer names allowed to take items; empty: any reviewer. */
      .addColumn('reviewers', 'text', (c) => c.notNull())
      .addColumn('reviewers_per_item', 'integer', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('review_queues_project_name', ['project_id', 'name'])
      .execute();
    await db.schema
      .createTable('review_items')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('queue_id', 'text', (c) => c.notNull().references('review_queues.id'))
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      /** `result:RUN:EXAMPLE:TRIAL` or `trace:TRACE`: what the item is, once per queue. */
      .addColumn('item_key', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('run_id', 'text')
      .addColumn('example_id', 'text')
      .addColumn('trace_id', 'text')
      /** Why it entered the queue: low, borderline, disagreement, errored, feedback, sample, manual. */
      .addColumn('reason', 'text', (c) => c.notNull())
      /** JSON: what the reviewer sees (input, expected, output, tool calls, judge verdict, slices). */
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('assigned', 'integer', (c) => c.notNull())
      .addColumn('labelled', 'integer', (c) => c.notNull())
      /** The settled label: unanimous once every reviewer labelled, or adjudicated. */
      .addColumn('truth', 'text')
      .addColumn('truth_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('review_items_queue_key', ['queue_id', 'item_key'])
      .execute();
    await db.schema.createIndex('review_items_queue_open').on('review_items').columns(['queue_id', 'assigned', 'position']).execute();
    await db.schema
      .createTable('review_assignments')
      .addColumn('item_id', 'text', (c) => c.notNull().references('review_items.id'))
      .addColumn('queue_id', 'text', (c) => c.notNull())
      .addColumn('reviewer', 'text', (c) => c.notNull())
      .addColumn('assigned_at', 'text', (c) => c.notNull())
      .addColumn('labelled_at', 'text')
      .addPrimaryKeyConstraint('review_assignments_pk', ['item_id', 'reviewer'])
      .execute();
    // One open assignment per reviewer and queue: two `next` calls at once cannot both hand one out.
    await db.schema
      .createIndex('review_assignments_one_open')
      .on('review_assignments')
      .columns(['queue_id', 'reviewer'])
      .unique()
      .where(sql.ref('labelled_at'), 'is', null)
      .execute();
    await db.schema
      .createTable('review_labels')
      .addColumn('item_id', 'text', (c) => c.notNull().references('review_items.id'))
      .addColumn('queue_id', 'text', (c) => c.notNull())
      .addColumn('reviewer', 'text', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('seconds', 'double precision')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('review_labels_pk', ['item_id', 'reviewer'])
      .execute();
    await db.schema.createIndex('review_labels_queue').on('review_labels').columns(['queue_id', 'created_at']).execute();
    await db.schema
      .createTable('gold_sets')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('metric', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('item_count', 'integer', (c) => c.notNull())
      /** JSON: the rubric the labels were given under. */
      .addColumn('rubric', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('gold_sets_metric_version', ['project_id', 'metric', 'version'])
      .execute();
    await db.schema
      .createTable('gold_items')
      .addColumn('gold_set_id', 'text', (c) => c.notNull().references('gold_sets.id'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('item_key', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('gold_items_pk', ['gold_set_id', 'position'])
      .execute();
    await db.schema
      .createTable('calibrations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('metric', 'text', (c) => c.notNull())
      .addColumn('judge_version', 'text', (c) => c.notNull())
      .addColumn('gold_set_id', 'text', (c) => c.notNull().references('gold_sets.id'))
      /** calibrated | uncalibrated (stale is read off the judge's current version). */
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('kappa', 'double precision')
      .addColumn('n', 'integer', (c) => c.notNull())
      /** JSON: the whole report (agreement, interval, confusion matrix, rates, slices, disagreements). */
      .addColumn('report', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('calibrations_metric').on('calibrations').columns(['project_id', 'metric', 'created_at']).execute();
  },
  async down(db: Kysely<any>): Promise<void> {
    for (const t of ['calibrations', 'gold_items', 'gold_sets', 'review_labels', 'review_assignments', 'review_items', 'review_queues']) await db.schema.dropTable(t).execute();
  },
};
