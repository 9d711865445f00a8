import type { Kysely, Migration } from 'kysely';

/**
 * Outgoing webhooks: the endpoints of a project (name unique per project), one delivery per webhook
 * and event (a unique key, so an event emitted twice is delivered once), and the delivery log of
 * every attempt. Times are ISO text; the due query orders by a numeric ms column.
 */
export const webhooksMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('webhooks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      /** The HMAC key; kept in the clear because every attempt is signed with it. */
      .addColumn('secret', 'text', (c) => c.notNull())
      /** JSON array of event types, or ["*"]. */
      .addColumn('events', 'text', (c) => c.notNull())
      .addColumn('active', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('webhooks_project_name', ['project_id', 'name'])
      .execute();
    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('webhook_id', 'text', (c) => c.notNull().references('webhooks.id'))
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('event_type', 'text', (c) => c.notNull())
      /** JSON: the event's data, sent as the body's `data`. */
      .addColumn('payload', 'text', (c) => c.notNull())
      /** pending → delivering → delivered, or back to pending (retry), or failed. */
      .addColumn('status', 'text', (c) => c.notNull())
      /** Attempts ever made; the next attempt's number is this plus one (numbering goes on after a replay). */
      .addColumn('attempts', 'integer', (c) => c.notNull())
      /** Attempts made before the last replay: the give-up rule counts only the attempts after it. */
      .addColumn('round_start_attempts', 'integer', (c) => c.notNull())
      /** pending: when the next attempt is due; delivering: when the claim's lease runs out. */
      .addColumn('next_attempt_ms', 'double precision', (c) => c.notNull())
      /** The first attempt of this round (since creation or the last replay): when to give up. */
      .addColumn('first_attempt_ms', 'double precision')
      .addColumn('last_status_code', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('delivered_at', 'text')
      .addUniqueConstraint('webhook_deliveries_webhook_event', ['webhook_id', 'event_id'])
      .execute();
    await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_ms']).execute();
    await db.schema.createIndex('webhook_deliveries_project').on('webhook_deliveries').columns(['project_id', 'id']).execute();
    await db.schema
      .createTable('webhook_attempts')
      .addColumn('delivery_id', 'text', (c) => c.notNull().references('webhook_deliveries.id'))
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('status_code', 'integer')
      .addColumn('error', 'text')
      .addColumn('duration_ms', 'double precision', (c) => c.notNull())
      .addPrimaryKeyConstraint('webhook_attempts_pk', ['delivery_id', 'attempt'])
      .execute();
  },
  async down(db: Kysely<any>): Promise<void> {
    for (const t of ['webhook_attempts', 'webhook_deliveries', 'webhooks']) await db.schema.dropTable(t).execute();
  },
};
