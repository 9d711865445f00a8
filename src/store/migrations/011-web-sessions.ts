import type { Kysely, Migration } from 'kysely';

/**
 * Sign-in sessions of the web UI. The browser's cookie holds an opaque random id; the table holds
 * only its SHA-256 (a copy of the database signs nobody in), the API key it acts as, and an absolute
 * expiry. Kept in the database so every `evalops serve` replica sees the same sessions. Named
 * `web_sessions` because a "session" in EvalOps is a conversation of traces.
 */
export const webSessionsMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('web_sessions')
      .addColumn('id_hash', 'text', (c) => c.primaryKey())
      .addColumn('key_id', 'text', (c) => c.notNull().references('api_keys.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_ms', 'double precision', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('web_sessions_key').on('web_sessions').column('key_id').execute();
    await db.schema.createIndex('web_sessions_expires').on('web_sessions').column('expires_ms').execute();
  },
  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable('web_sessions').execute();
  },
};
