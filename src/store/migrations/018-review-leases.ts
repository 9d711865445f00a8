import type { Kysely, Migration } from 'kysely';

/**
 * Review assignments that expire: a queue's lease (`lease_minutes`, default 30) after which an item a
 * reviewer took and did not label returns to the queue, and `review_skips`, the items a reviewer
 * passed on (never offered to them again). Touches only review tables, so it runs the same whether or
 * not other migrations numbered near it exist.
 */
export const reviewLeasesMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('review_queues').addColumn('lease_minutes', 'integer', (c) => c.notNull().defaultTo(30)).execute();
    await db.schema
      .createTable('review_skips')
      .addColumn('item_id', 'text', (c) => c.notNull().references('review_items.id'))
      .addColumn('queue_id', 'text', (c) => c.notNull())
      .addColumn('reviewer', 'text', (c) => c.notNull())
      .addColumn('skipped_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('review_skips_pk', ['item_id', 'reviewer'])
      .execute();
    // The lease sweep reads a queue's open assignments by age.
    await db.schema.createIndex('review_assignments_open_age').on('review_assignments').columns(['queue_id', 'assigned_at']).execute();
  },
  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropIndex('review_assignments_open_age').execute();
    await db.schema.dropTable('review_skips').execute();
    await db.schema.alterTable('review_queues').dropColumn('lease_minutes').execute();
  },
};
