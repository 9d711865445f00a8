import { sql, type Kysely, type Migration } from 'kysely';

/**
 * API keys (DESIGN.md §7): stored hashed, scoped to a project and a role. Every key has a project,
 * except `admin` keys, which may be instance-wide (project_id null); the check constraint holds that
 * rule in the database too. Revoked keys stay, for the record and so a revoked key is told apart
 * from an unknown one.
 */
export const authMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('api_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('prefix', 'text', (c) => c.notNull().unique())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('project_id', 'text', (c) => c.references('projects.id'))
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('name', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('last_used_at', 'text')
      .addColumn('revoked_at', 'text')
      .addColumn('revoked_by', 'text')
      .addCheckConstraint('api_keys_instance_wide_admin', sql`project_id is not null or role = 'admin'`)
      .execute();
    await db.schema.createIndex('api_keys_project').on('api_keys').columns(['project_id', 'created_at']).execute();
  },
  async down(db: Kysely<any>): Promise<void> {
    await db.schema.dropTable('api_keys').execute();
  },
};
