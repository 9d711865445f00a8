import type { Kysely, Migration } from 'kysely';

/**
 * Conversation examples: `examples.conversation` holds an example's scripted turns or simulated-user
 * scenario as JSON (null for a single-turn example). Touches only the examples table, so it runs the
 * same whether or not other migrations numbered near it exist.
 */
export const exampleConversationsMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('examples').addColumn('conversation', 'text').execute();
  },
  async down(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('examples').dropColumn('conversation').execute();
  },
};
