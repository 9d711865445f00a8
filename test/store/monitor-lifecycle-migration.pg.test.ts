import { openPostgres } from '../../src/store/postgres/open-postgres.js';
import { TEST_PG_URL, useTestPostgres } from '../support/test-postgres.js';
import { monitorLifecycleMigrationSuite } from './monitor-lifecycle-migration.js';

const { newSchema } = useTestPostgres('evalops_migration_013');

monitorLifecycleMigrationSuite('PostgreSQL', async () => {
  const schema = newSchema();
  const db = await openPostgres(TEST_PG_URL, { schema });
  return { db, schema, close: () => db.destroy() };
});
