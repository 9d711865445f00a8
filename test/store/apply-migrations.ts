import { Migrator, type Kysely, type Migration } from 'kysely';

/**
 * Brings a database up through exactly these migrations (under the store's migration table names),
 * so a migration test can stop before the migration under test, seed old rows, then apply the rest.
 */
export async function applyMigrations(db: Kysely<any>, migrations: Record<string, Migration>, schema?: string): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, migrationTableName: 'evalops_migrations', migrationLockTableName: 'evalops_migrations_lock', ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}
