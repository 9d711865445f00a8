import type { Kysely, Migration } from 'kysely';

/**
 * Release configs (src/core/release-config.ts): stored once per project and content hash, and bound
 * to a release by `releases.config_hash`. A config is immutable; a release's config is set once (a
 * changed config is a new release), so what a gate approved is what resolvers serve.
 */
export const releaseConfigsMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('release_configs')
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('config', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('release_configs_pk', ['project_id', 'hash'])
      .execute();
    await db.schema.alterTable('releases').addColumn('config_hash', 'text').execute();
  },
  async down(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('releases').dropColumn('config_hash').execute();
    await db.schema.dropTable('release_configs').execute();
  },
};
